// HttpsServer: an asynchronous HTTP/1.1 server (TLS, or plain HTTP for
// tests) on one io_context. Connections are kept alive; each request is
// handed to a Handler, which answers by calling Respond now or later (the
// manager's long-poll GET answers up to 30 s later). Requests on one
// connection are handled one at a time; many connections are served at once.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "net/http_types.h"
#include "net/tls_context.h"
#include "util/status.h"

namespace boost::asio {
class io_context;
}

namespace cs::net {

// Sends the response to one request. Copyable; call it once, from any
// thread, now or later. Further calls are ignored. If every copy is
// destroyed without a call, the client gets a 500. If the connection closed
// meanwhile, the response is dropped.
using Respond = std::function<void(Response)>;

// Called on an io thread for every request; must not block. `request` stays
// valid until `respond` has been called (or dropped). Exceptions become 500s.
using Handler = std::function<void(const Request& request, Respond respond)>;

struct ServerOptions {
  std::string address = "127.0.0.1";
  uint16_t port = 0;                  // 0 = pick a free port; see port()
  std::optional<TlsServerConfig> tls;  // nullopt = plain HTTP
  size_t max_body_bytes = 16 << 20;   // larger bodies get 413 and a close
  std::chrono::milliseconds handshake_timeout{10000};
  // Waiting for the next request's header on a kept-alive connection.
  std::chrono::milliseconds idle_timeout{120000};
  // Reading a request's body once its header has arrived.
  std::chrono::milliseconds body_timeout{60000};
  std::chrono::milliseconds write_timeout{30000};
};

class HttpsServer {
 public:
  // Binds, listens and starts accepting on `io`. Fails on bad TLS material
  // or when the address cannot be bound.
  static Result<std::unique_ptr<HttpsServer>> Start(boost::asio::io_context& io,
                                                    ServerOptions options, Handler handler);
  // Stop()s. `io` must still exist.
  ~HttpsServer();
  HttpsServer(const HttpsServer&) = delete;
  HttpsServer& operator=(const HttpsServer&) = delete;

  uint16_t port() const;  // the bound port
  // Closes the listener and every connection. Afterwards the handler is not
  // called again and no call of it is still running (except the caller's own
  // when Stop is called from inside the handler). Responses not yet sent are
  // dropped. Thread-safe and idempotent.
  void Stop();

  uint64_t accepted_connections() const;  // since Start
  size_t open_connections() const;

  class Impl;

 private:
  explicit HttpsServer(std::shared_ptr<Impl> impl);
  std::shared_ptr<Impl> impl_;
};

}  // namespace cs::net
