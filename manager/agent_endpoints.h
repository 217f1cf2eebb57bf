// AgentEndpoints: the manager side of the chroma-agent protocol, with the
// original manager's semantics (chroma_agent_comms/views.py):
//   POST agent/register/<secret>/  registration with a token and a CSR
//   POST agent/message/            messages from the agent (200, empty body)
//   GET  agent/message/            long poll for messages to the agent
//   POST agent/copytool_event/     a copytool monitor's events
// Message requests must carry a client certificate issued by our CA whose
// serial belongs to a registered host (else 403, empty body), and every
// message's fqdn must be that host's (else 400 "Incorrect client name" and
// nothing in the POST is processed). A DATA message the manager cannot use
// is dropped alone (Hooks::on_bad_message); the POST still answers 200.
#pragma once

#include <functional>
#include <string>

#include "crypto/authority.h"
#include "manager/agent_sessions.h"
#include "manager/host_queues.h"
#include "manager/manager_store.h"
#include "net/https_server.h"
#include "protocol/messages.h"
#include "util/clock.h"

namespace cs::manager {

class AgentEndpoints {
 public:
  struct Hooks {
    // A host was registered; returns the id of its setup command (0: none).
    std::function<int64_t(const HostRecord&)> on_registered;
    // A DATA message on a current session, the hook's to keep (moved out
    // of the parsed POST, so a report is never copied on its way).
    std::function<void(const std::string& fqdn, protocol::Message&&)> on_data;
    // on_data threw on a message: it was dropped, everything else goes on.
    std::function<void(const std::string& fqdn, const std::string& plugin, const std::string& why)> on_bad_message;
    std::function<void(const std::string& fqdn, const std::string& plugin)> on_session_created;
    std::function<void(const std::string& fqdn, const std::string& plugin, SessionEnd why)> on_session_gone;
    // false: the manager is backed up; a POST is answered 503 before any of
    // its messages is taken (the agent sends them again), so nothing is lost.
    std::function<bool()> accepting;

    // A copytool monitor's POST body, from this host: the answer's body, or
    // InvalidArgument (a 400 with its message) when it cannot be used.
    std::function<Result<Json>(const std::string& fqdn, const Json& body)> on_copytool_events;
  };

  AgentEndpoints(ManagerStore& store, AgentSessions& sessions, HostQueues& queues,
                 const crypto::CertificateAuthority& ca, const Clock& clock, Hooks hooks);

  void Register(const net::Request& request, const std::string& secret, net::Respond respond);
  void Message(const net::Request& request, net::Respond respond);
  // Same certificate checks as Message; a body whose fqdn is another
  // host's is 400 "Incorrect client name" and nothing is stored.
  void CopytoolEvent(const net::Request& request, net::Respond respond);

  // Marks hosts silent for longer than `timeout` unreachable and ends their
  // sessions (the original's HostStatePoller). Call periodically.
  void ExpireSilent(std::chrono::microseconds timeout);
  // Ends a host's sessions without telling its agent (the host is being
  // removed from the manager).
  void Forget(const std::string& fqdn) { EndSessions(fqdn, false); }

 private:
  // The registered host the request's client certificate belongs to.
  std::optional<HostRecord> Authenticate(const net::Request& request);
  void Post(const HostRecord& host, const net::Request& request, net::Respond respond);
  void Get(const HostRecord& host, const net::Request& request, net::Respond respond);
  void EndSessions(const std::string& fqdn, bool tell_agent);
  void DeliverData(const std::string& fqdn, protocol::Message&& m);

  ManagerStore& store_;
  AgentSessions& sessions_;
  HostQueues& queues_;
  const crypto::CertificateAuthority& ca_;
  const Clock& clock_;
  Hooks hooks_;
};

// {"error": text} with the status: the manager's JSON error answer.
net::Response JsonError(int status, const std::string& text);

}  // namespace cs::manager
