// HttpsClient: an asynchronous HTTP/1.1 client bound to one base URL
// ("https://manager:8000/"), on a shared io_context. It keeps one
// connection alive and sends its requests one after another over it, so a
// simulated agent owns two clients: one for its long-poll GET and one for
// its POSTs. Thousands of clients can share one io_context and one TLS
// client context (ClientOptions::shared_tls_context), each presenting its
// own certificate: an idle client is its socket, its SSL object and
// session, and a few hundred bytes (net/tls_stream.h says why no 17 KiB
// buffers stay).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "net/http_types.h"
#include "net/tls_context.h"
#include "net/url.h"
#include "util/status.h"

namespace boost::asio {
class io_context;
}

namespace cs::net {

struct ClientOptions {
  TlsClientConfig tls;  // ignored for http:// URLs
  // A client context shared by many clients (MakeClientTlsContext); when
  // set, no context is built and tls's CA and insecure settings are unused.
  std::shared_ptr<boost::asio::ssl::context> shared_tls_context;
  // The certificate and key presented on this client's connections; when
  // set, it replaces tls.client_cert_pem / client_key_pem.
  std::shared_ptr<const TlsIdentity> identity;
  // Whole-request deadline when ClientRequest::timeout is 0.
  std::chrono::milliseconds default_timeout{30000};
  size_t max_response_body_bytes = 64 << 20;
  // Remember Set-Cookie values and send them back in a Cookie header (unless
  // the request sets Cookie itself). Names only: no domain, path or expiry.
  bool use_cookies = true;
  std::string user_agent = "cluster-sim";
};

// Gets the response (any status, 4xx and 5xx included) or a Status:
// kUnavailable for connection refused, resolve failure, TLS handshake or
// certificate failure (with OpenSSL's reason), timeout, reset, Close().
using ResponseCallback = std::function<void(Result<Response>)>;

// Whether a failed request certainly never reached the server's handler:
// it failed resolving, connecting, in the TLS handshake (but for a
// certificate that does not verify, which trying again cannot mend) or
// while its bytes were still being written. Such a request may be sent
// again even when it is not idempotent (a registration spends a token);
// one that failed later (a timeout, reading the response) may have run.
bool RequestNeverSent(const Status& failure);

class HttpsClient {
 public:
  static Result<std::unique_ptr<HttpsClient>> Create(boost::asio::io_context& io,
                                                     std::string_view base_url,
                                                     ClientOptions options = {});
  // Aborts everything; callbacks of unfinished requests are NOT called, and
  // none is still running when the destructor returns (unless it runs on the
  // destroying thread). `io` must still exist.
  ~HttpsClient();
  HttpsClient(const HttpsClient&) = delete;
  HttpsClient& operator=(const HttpsClient&) = delete;

  // Queues a request; requests run one at a time in Send order. `done` is
  // called once, on an io thread; it must not block and may call Send.
  // Thread-safe.
  void Send(ClientRequest request, ResponseCallback done);

  // Replaces the client certificate (parsed here, once). Requests sent
  // after this call use a new connection with the new certificate; a
  // request already in flight finishes on the old one. Fails (and changes
  // nothing) on bad PEM. Thread-safe.
  Status SetClientCertificate(std::string cert_pem, std::string key_pem);

  // Aborts the request in flight and every queued one promptly (their
  // callbacks get kUnavailable "client closed") and drops the connection.
  // The client stays usable: a later Send reconnects. Thread-safe.
  void Close();

  // The cookie jar. Thread-safe.
  std::optional<std::string> GetCookie(std::string_view name) const;
  void SetCookie(std::string name, std::string value);
  void ClearCookies();

  const Url& base_url() const;
  // TCP connections opened so far (for tests and metrics).
  uint64_t connections_opened() const;

  class Impl;

 private:
  explicit HttpsClient(std::shared_ptr<Impl> impl);
  std::shared_ptr<Impl> impl_;
};

}  // namespace cs::net
