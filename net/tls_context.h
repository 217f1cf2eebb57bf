// TLS configuration and builders for boost::asio::ssl::context. Both sides
// take PEM text (read files with ReadPemFile) and allow TLS 1.2 and newer.
// HttpsServer and HttpsClient build their contexts from these configs; the
// builders are public for code that wants a context of its own.
#pragma once

#include <openssl/types.h>

#include <memory>
#include <string>
#include <vector>

#include "util/status.h"

namespace boost::asio::ssl {
class context;
}

namespace cs::net {

struct TlsServerConfig {
  std::string cert_chain_pem;  // server certificate first, then intermediates
  std::string key_pem;
  // When set, clients are asked for a certificate and it is checked against
  // this CA; a missing or unverified certificate does NOT fail the handshake:
  // the handler sees Request::peer_cert and answers 403 itself.
  std::string client_ca_pem;
};

struct TlsClientConfig {
  // CA(s) that must have signed the server certificate; empty = the system's
  // default trust store. The server name is checked against the URL host
  // (DNS name or IP address in subjectAltName).
  std::string ca_pem;
  // Skips all server verification. For tests and lab setups only.
  bool insecure = false;
  // Optional client certificate and its key.
  std::string client_cert_pem;
  std::string client_key_pem;
};

// A client certificate (with any intermediates after it) and its key,
// parsed once and set on each connection that presents them
// (SSL_use_certificate / SSL_use_PrivateKey on the SSL object). So a whole
// fleet of agents, each with its own identity, shares one client context:
// a context costs tens of KiB, an identity a few (the parsed certificate
// and key, shared by every connection of the agent).
class TlsIdentity {
 public:
  // Fails on bad PEM or a key that does not match the certificate. The
  // key's text is never put in a message.
  static Result<std::shared_ptr<const TlsIdentity>> FromPem(const std::string& cert_pem,
                                                            const std::string& key_pem);
  // From a certificate and key already parsed (a registration has both in
  // memory: no PEM is decoded again). Takes a reference to each; fails on
  // a key that does not match the certificate.
  static Result<std::shared_ptr<const TlsIdentity>> FromParsed(X509* certificate, EVP_PKEY* key);
  ~TlsIdentity();
  TlsIdentity(const TlsIdentity&) = delete;
  TlsIdentity& operator=(const TlsIdentity&) = delete;

  // Sets the certificate, its chain and the key on one connection, before
  // its handshake.
  Status ApplyTo(SSL* ssl) const;

 private:
  TlsIdentity() = default;
  X509* certificate_ = nullptr;
  std::vector<X509*> chain_;
  EVP_PKEY* key_ = nullptr;
};

// Reads a whole PEM (or any) file.
Result<std::string> ReadPemFile(const std::string& path);

Result<std::shared_ptr<boost::asio::ssl::context>> MakeServerTlsContext(
    const TlsServerConfig& config);
// With a client certificate in `config`, the context presents it on every
// connection; HttpsClient instead keeps it as a TlsIdentity per client.
Result<std::shared_ptr<boost::asio::ssl::context>> MakeClientTlsContext(
    const TlsClientConfig& config);

}  // namespace cs::net
