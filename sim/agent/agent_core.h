// AgentCore: the protocol logic of one simulated chroma-agent, with no I/O
// and no clock of its own, so it is deterministic and unit-testable. The
// runtime (sim/agent/agent.h) feeds it the time, the manager's messages and
// the outcome of each HTTP request, and carries out what it decides.
//
// The rules are the real agent's (reference section 4):
//  - a plugin without a session asks for one, then waits 10 s, doubling to
//    60 s, before asking again (the original's cap slipped to 80 s);
//  - a session polls its plugin at once, then every 10 s: the first poll is
//    start_session, later ones update_session;
//  - DATA is numbered per session from 0;
//  - a failed POST terminates the sessions whose DATA it lost; a failed GET
//    terminates every session;
//  - SESSION_TERMINATE_ALL drops every session, SESSION_TERMINATE one.
#pragma once

#include <chrono>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "protocol/messages.h"
#include "util/clock.h"

namespace cs::agent {

using Duration = std::chrono::microseconds;

struct AgentTiming {
  Duration poll_period = std::chrono::seconds(10);
  Duration min_session_backoff = std::chrono::seconds(10);
  Duration max_session_backoff = std::chrono::seconds(60);
};

// The plugin whose sessions carry actions both ways.
constexpr const char* kActionRunnerPlugin = "action_runner";

// A request from the manager to run an action.
struct ActionStart {
  std::string session_id;  // the action_runner session it came on
  std::string id;
  std::string action;
  Json args;
};

// What the manager's messages asked for, beyond session bookkeeping.
struct IncomingWork {
  std::vector<ActionStart> starts;
  std::vector<std::string> cancels;  // action ids
  std::vector<std::string> warnings;  // things a log should say (unknown session, bad body)
};

// A plugin whose session is due for a poll.
struct PollDue {
  std::string plugin;
  std::string session_id;
  bool first = false;  // start_session rather than update_session
};

class AgentCore {
 public:
  AgentCore(std::string fqdn, std::vector<std::string> plugins, AgentTiming timing = {});

  // Session requests and polls due at `now`; queues the requests.
  std::vector<PollDue> Tick(WallTime now);
  // The earliest time Tick has something to do (sessions to request or poll).
  WallTime NextDeadline(WallTime now) const;

  // Queues a DATA message for the plugin's current session, if it is still
  // `session_id`; returns false (and queues nothing) otherwise.
  bool QueueData(const std::string& plugin, const std::string& session_id, Json body);
  // ACTION_COMPLETE for an action that arrived on action_runner session
  // `session_id`: dropped if that session has ended meanwhile (the real
  // agent's teardown does the same).
  bool QueueActionComplete(const std::string& session_id, const std::string& action_id,
                           const Json& result, const std::optional<std::string>& exception);

  // Applies the manager's messages from a GET.
  IncomingWork Handle(const std::vector<protocol::Message>& messages);

  bool HasOutgoing() const { return !outgoing_.empty(); }
  // Takes queued messages up to one POST's worth (at least one message).
  std::vector<protocol::Message> TakeBatch(size_t max_bytes = protocol::kMaxBytesPerPost);
  void OnPostFailed(const std::vector<protocol::Message>& lost);
  void OnGetFailed() { TerminateAll(); }
  void TerminateAll();

  bool HasSession(const std::string& plugin) const { return sessions_.count(plugin) != 0; }
  std::optional<std::string> SessionId(const std::string& plugin) const;
  size_t SessionCount() const { return sessions_.size(); }
  // The plugins that have a session now.
  std::vector<std::string> SessionPlugins() const {
    std::vector<std::string> out;
    for (const auto& [plugin, session] : sessions_) out.push_back(plugin);
    return out;
  }
  const std::string& fqdn() const { return fqdn_; }

 private:
  struct Session {
    std::string id;
    int64_t next_seq = 0;
    std::optional<WallTime> last_poll;
  };
  struct Request {
    WallTime requested_at;
    Duration backoff;
  };

  void Terminate(const std::string& plugin);
  void HandleData(const protocol::Message& m, IncomingWork& work);

  std::string fqdn_;
  std::vector<std::string> plugins_;
  AgentTiming timing_;
  std::map<std::string, Session> sessions_;   // by plugin
  std::map<std::string, Request> requested_;  // plugins waiting for a session
  std::deque<protocol::Message> outgoing_;
};

}  // namespace cs::agent
