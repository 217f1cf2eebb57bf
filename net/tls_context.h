// TLS configuration and builders for boost::asio::ssl::context. Both sides
// take PEM text (read files with ReadPemFile) and allow TLS 1.2 and newer.
// HttpsServer and HttpsClient build their contexts from these configs; the
// builders are public for code that wants a context of its own.
#pragma once

#include <memory>
#include <string>

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

// Reads a whole PEM (or any) file.
Result<std::string> ReadPemFile(const std::string& path);

Result<std::shared_ptr<boost::asio::ssl::context>> MakeServerTlsContext(
    const TlsServerConfig& config);
Result<std::shared_ptr<boost::asio::ssl::context>> MakeClientTlsContext(
    const TlsClientConfig& config);

}  // namespace cs::net
