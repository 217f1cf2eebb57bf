// Per-connection TLS helpers on a raw OpenSSL SSL*: what the server learns
// about a client certificate, and which name the client expects the server
// certificate to carry. Internal to net/.
#pragma once

#include <openssl/types.h>

#include <string>

#include "net/http_types.h"

namespace cs::net {

// Reads the peer certificate after a completed server-side handshake.
PeerCertificate ReadPeerCertificate(SSL* ssl);

// Before a client handshake: sends SNI (for DNS names) and makes OpenSSL's
// chain verification also check the certificate against `host` (a DNS name
// or an IP address literal). Returns false if OpenSSL refused the name.
bool ExpectPeerName(SSL* ssl, const std::string& host);

// After a failed client handshake: OpenSSL's reason when certificate
// verification was the cause ("hostname mismatch"), else "".
std::string VerifyFailure(SSL* ssl);

}  // namespace cs::net
