// ControlServer: the control API on the network. Plain HTTP on the
// Simulator's io_context, bound to 127.0.0.1:8743 unless told otherwise:
//   GET  /api/v1/             every operation with its parameters
//   POST /api/v1/<operation>  body: a JSON object of named arguments
//                             answer: {"result": ...} or {"error": "..."}
//                             with 400/404/409/503 saying what kind of wrong
//   POST / or /RPC2           XML-RPC (text/xml), the original's method names
//                             with positional parameters; errors are faults
//                             whose faultCode is the HTTP status above
//   GET  /metrics             the load figures in Prometheus text format
//                             (metrics/prometheus.h); a plain GET, so a
//                             Prometheus scrape passes the guard's checks
// Before anything else every request passes the request guard
// (sim/control/request_guard.h: Host, Origin, Content-Type), so no web page
// can drive it. With a token, every request needs "Authorization: Bearer
// <token>" (401 otherwise); without one it refuses to start on a
// non-loopback address. Bodies are parsed bounded (util/json_parse.h).
// Every request is logged, escaped, with its outcome, never its body or
// token (register's secret travels in the body). See docs/control-api.md.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "sim/control/control_api.h"
#include "sim/log.h"
#include "util/status.h"

namespace boost::asio {
class io_context;
}

namespace cs {

constexpr uint16_t kDefaultControlPort = 8743;  // the original's SIMULATOR_PORT

struct ControlServerOptions {
  std::string address = "127.0.0.1";
  uint16_t port = kDefaultControlPort;  // 0: any free port (tests)
  std::optional<std::string> token;
};

// "ADDR:PORT", "[v6]:PORT" or ":PORT" (127.0.0.1) into options.
Status ParseListenAddress(const std::string& text, ControlServerOptions* options);
// The token in a file: its first line, surrounding whitespace removed.
Result<std::string> ReadTokenFile(const std::string& path);

class ControlServer {
 public:
  // `api` and `log` must outlive the server.
  static Result<std::unique_ptr<ControlServer>> Start(boost::asio::io_context& io, ControlApi& api, Log& log,
                                                      ControlServerOptions options);
  ~ControlServer();
  uint16_t port() const;
  // Stops listening; no handler runs afterwards. Idempotent.
  void Stop();

  class Impl;

 private:
  explicit ControlServer(std::shared_ptr<Impl> impl);
  std::shared_ptr<Impl> impl_;
};

}  // namespace cs
