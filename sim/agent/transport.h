// AgentTransport: how one simulated agent reaches the manager: a long-poll
// GET and message POSTs to <url>agent/message/. The agent only sees this
// interface, so faults (failed connections, lost responses, latency) are
// injected by wrapping the real transport (sim/agent/faulty_transport.h),
// in the real code path, and unit tests can script the manager.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "net/http_types.h"
#include "net/tls_context.h"
#include "util/status.h"

namespace boost::asio {
class io_context;
}

namespace cs::agent {

using TransportCallback = std::function<void(Result<net::Response>)>;

class AgentTransport {
 public:
  virtual ~AgentTransport() = default;
  // GET message/?<query>; the query is already encoded.
  virtual void Get(const std::string& query, TransportCallback done) = 0;
  // POST message/ with a JSON body.
  virtual void Post(std::string body, TransportCallback done) = 0;
  // Aborts requests in flight (their callbacks are not called afterwards).
  virtual void Close() = 0;
};

// How one agent's connections authenticate: the fleet's client context
// (server verification, shared by every agent) and the server's own
// certificate and key (parsed once, set on each of its connections).
struct AgentTls {
  std::shared_ptr<boost::asio::ssl::context> context;  // null: the system's trust store
  std::shared_ptr<const net::TlsIdentity> identity;    // null: no client certificate
};

struct HttpsTransportOptions {
  std::string agent_url;  // "https://localhost:8000/agent/"
  AgentTls tls;
  std::string post_target = "message/";  // copytool monitors POST to copytool_event/
  std::chrono::milliseconds get_timeout{60000};   // the real agent's 60 s
  std::chrono::milliseconds post_timeout{60000};
};

// Two keep-alive HTTPS clients: one for the long poll, one for POSTs, both
// on options.tls's context and identity.
Result<std::unique_ptr<AgentTransport>> MakeHttpsTransport(boost::asio::io_context& io,
                                                           const HttpsTransportOptions& options);

}  // namespace cs::agent
