#include "sim/control/control_server.h"

#include <atomic>
#include <fstream>

#include "metrics/prometheus.h"
#include "net/https_server.h"
#include "sim/control/request_guard.h"
#include "sim/control/xmlrpc.h"
#include "util/json_parse.h"

namespace cs {

namespace {

constexpr const char* kApiPrefix = "/api/v1/";

net::Response JsonAnswer(int status, const Json& body) {
  net::Response r = net::Response::Json(status, body.dump());
  return r;
}

net::Response ErrorAnswer(int status, const std::string& message) {
  return JsonAnswer(status, Json{{"error", message}});
}

net::Response XmlAnswer(int status, std::string body) {
  net::Response r;
  r.status = status;
  r.headers.Set("Content-Type", "text/xml");
  r.body = std::move(body);
  return r;
}

}  // namespace

class ControlServer::Impl {
 public:
  Impl(ControlApi& api, Log& log, ControlServerOptions options)
      : api_(api), log_(log), options_(std::move(options)) {}

  void Handle(const net::Request& request, net::Respond respond) {
    // Every answer goes through here, to be logged with its outcome.
    auto answer = [this, respond, what = request.method + " " + request.path,
                   from = request.remote_address](net::Response r, const std::string& detail) {
      const std::string line = what + " from " + from + " -> " + std::to_string(r.status) +
                               (detail.empty() ? "" : ": " + detail);
      if (r.status >= 500) {
        log_.Error("control", line);
      } else if (r.status >= 400) {
        log_.Warning("control", line);
      } else {
        log_.Info("control", line);
      }
      respond(std::move(r));
    };
    if (auto refused = CheckHostAndOrigin(request, options_.address, port.load())) {
      return answer(ErrorAnswer(refused->status, refused->message), "refused: " + refused->message);
    }
    if (options_.token) {
      if (!BearerMatches(request.headers.Get("Authorization").value_or(""), *options_.token)) {
        net::Response r = ErrorAnswer(401, "this control API needs Authorization: Bearer <token>");
        r.headers.Set("WWW-Authenticate", "Bearer");
        return answer(std::move(r), "missing or wrong token");
      }
    }
    if (request.path == "/" || request.path == "/RPC2") return HandleXmlRpc(request, answer);
    if (request.path == "/metrics") return HandleMetrics(request, answer);
    if (request.path == kApiPrefix || request.path == "/api/v1") {
      // GET for people and browsers; POST so clients can use one code path.
      return answer(JsonAnswer(200, Json{{"result", api_.Describe()}}), "");
    }
    if (request.path.rfind(kApiPrefix, 0) == 0) return HandleJson(request, answer);
    answer(ErrorAnswer(404, "no such path: the control API is under /api/v1/ (and XML-RPC at / and /RPC2)"), "");
  }

 private:
  using Answer = std::function<void(net::Response, const std::string&)>;

  void HandleJson(const net::Request& request, const Answer& answer) {
    const std::string op = request.path.substr(std::string(kApiPrefix).size());
    if (request.method != "POST") {
      return answer(ErrorAnswer(405, "operations are called with POST " + request.path), "");
    }
    if (auto refused = CheckContentType(request, "application/json")) {
      return answer(ErrorAnswer(refused->status, refused->message), op);
    }
    Json args = Json::object();
    if (!request.body.empty()) {
      Result<Json> parsed = ParseUntrustedJson(request.body);
      if (!parsed.ok()) return answer(ErrorAnswer(400, parsed.status().message()), op);
      args = std::move(*parsed);
      if (!args.is_object()) return answer(ErrorAnswer(400, "the body must be a JSON object of named arguments"), op);
    }
    api_.Call(op, args, [answer, op](Result<Json> r) {
      if (r.ok()) return answer(JsonAnswer(200, Json{{"result", *r}}), op);
      answer(ErrorAnswer(HttpStatusOf(r.status()), r.status().message()), op + ": " + r.status().message());
    });
  }

  // Prometheus scrapes with a plain GET: no body, so no Content-Type to check.
  void HandleMetrics(const net::Request& request, const Answer& answer) {
    if (request.method != "GET" && request.method != "HEAD") {
      return answer(ErrorAnswer(405, "GET /metrics (Prometheus text format)"), "");
    }
    net::Response r;
    r.status = 200;
    r.headers.Set("Content-Type", metrics::kPrometheusContentType);
    r.body = api_.PrometheusMetrics();
    answer(std::move(r), "");
  }

  void HandleXmlRpc(const net::Request& request, const Answer& answer) {
    if (request.method != "POST") return answer(ErrorAnswer(405, "XML-RPC calls are POSTed"), "");
    if (auto refused = CheckContentType(request, "text/xml")) {
      return answer(XmlAnswer(415, FormatFault(415, refused->message)), "XML-RPC without text/xml");
    }
    auto call = ParseMethodCall(request.body);
    if (!call.ok()) {
      return answer(XmlAnswer(400, FormatFault(400, "malformed XML-RPC call: " + call.status().message())),
                    "malformed XML-RPC");
    }
    const std::string method = call->method;
    if (method == "system.listMethods") return answer(XmlAnswer(200, FormatMethodResponse(api_.Names())), method);
    auto named = api_.NamedArgs(method, call->params);
    auto fault = [answer, method](const Status& s) {
      const int code = HttpStatusOf(s);
      answer(XmlAnswer(200, FormatFault(code, s.message())), "xmlrpc " + method + " fault " + std::to_string(code) + ": " + s.message());
    };
    if (!named.ok()) return fault(named.status());
    api_.Call(method, *named, [answer, fault, method](Result<Json> r) {
      if (!r.ok()) return fault(r.status());
      answer(XmlAnswer(200, FormatMethodResponse(*r)), "xmlrpc " + method);
    });
  }

  ControlApi& api_;
  Log& log_;
  ControlServerOptions options_;

 public:
  std::unique_ptr<net::HttpsServer> server;
  // The one listened on (options_.port may be 0). Atomic: it is stored
  // after the server already accepts, while pool threads read it in
  // Handle (a plain field was a data race TSan reported).
  std::atomic<uint16_t> port{0};
};

Status ParseListenAddress(const std::string& text, ControlServerOptions* options) {
  const size_t colon = text.rfind(':');
  if (colon == std::string::npos) return Status::InvalidArgument("--control-listen must be ADDR:PORT, not '" + text + "'");
  std::string host = text.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  if (host.empty()) host = "127.0.0.1";
  const std::string port = text.substr(colon + 1);
  if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos ||
      std::stoi(port) > 65535) {
    return Status::InvalidArgument("--control-listen: bad port '" + port + "'");
  }
  options->address = host;
  options->port = static_cast<uint16_t>(std::stoi(port));
  return Status::Ok();
}

Result<std::string> ReadTokenFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Status::IoError("cannot read the control token file " + path);
  std::string line;
  std::getline(in, line);
  const size_t begin = line.find_first_not_of(" \t\r\n");
  const size_t end = line.find_last_not_of(" \t\r\n");
  if (begin == std::string::npos) return Status::InvalidArgument("the control token file " + path + " is empty");
  return line.substr(begin, end - begin + 1);
}

Result<std::unique_ptr<ControlServer>> ControlServer::Start(boost::asio::io_context& io, ControlApi& api, Log& log,
                                                           ControlServerOptions options) {
  if (!options.token && !IsLoopbackAddress(options.address)) {
    return Status::InvalidArgument("the control API on " + options.address +
                                   " would let anyone who can reach it drive the simulator: a non-loopback "
                                   "--control-listen needs --control-token-file");
  }
  net::ServerOptions server_options;
  server_options.address = options.address;
  server_options.port = options.port;
  auto impl = std::make_shared<Impl>(api, log, options);
  std::weak_ptr<Impl> weak = impl;
  auto server = net::HttpsServer::Start(io, server_options, [weak](const net::Request& request, net::Respond respond) {
    if (auto self = weak.lock()) self->Handle(request, std::move(respond));
  });
  if (!server.ok()) {
    return server.status().Context("control API on " + options.address + ":" + std::to_string(options.port));
  }
  impl->server = std::move(*server);
  impl->port.store(impl->server->port());
  log.Info("control", "listening on " + options.address + ":" + std::to_string(impl->server->port()) +
                          (options.token ? " (bearer token required)" : ""));
  return std::unique_ptr<ControlServer>(new ControlServer(std::move(impl)));
}

ControlServer::ControlServer(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}
ControlServer::~ControlServer() { Stop(); }
uint16_t ControlServer::port() const { return impl_->server->port(); }
void ControlServer::Stop() { impl_->server->Stop(); }

}  // namespace cs
