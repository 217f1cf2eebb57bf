// Agent: one simulated chroma-agent at run time. An asynchronous state
// machine on a strand of the shared io_context (never a thread of its own):
// a long-poll GET loop, a POST writer that sends one envelope at a time, and
// a timer that wakes it when a session is due. The protocol decisions are
// AgentCore's; what the agent reports and how actions change the world are
// the AgentHost's (the simulator).
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "metrics/registry.h"
#include "sim/agent/agent_core.h"
#include "sim/agent/transport.h"
#include "util/clock.h"

namespace boost::asio {
class io_context;
}

namespace cs::agent {

// What an action did, as the agent reports it.
enum class AfterAnswer { kNone, kDeregister, kShutdown, kReboot, kRestartAgent };
struct ActionReport {
  Json result;
  std::optional<std::string> exception;
  AfterAnswer after = AfterAnswer::kNone;
};

// The simulator, as seen by one agent. Called on the agent's strand; must
// not block for long.
class AgentHost {
 public:
  virtual ~AgentHost() = default;
  // A plugin's DATA bodies for this poll, in order; none sends nothing.
  virtual std::vector<Json> PollPlugin(const std::string& fqdn, const std::string& plugin,
                                       bool first) = 0;
  // Runs an action; `done` gets its report once the action's effect is
  // durable (group commit: state/store.h), on any thread, and must not
  // block. Actions of one agent are answered in the order they ran.
  using ActionDone = std::function<void(ActionReport)>;
  virtual void RunAction(const std::string& fqdn, const std::string& action, const Json& args,
                         ActionDone done) = 0;
  // Once the ACTION_COMPLETE of an answer-first action has been sent (or its
  // POST failed).
  virtual void AfterAnswerSent(const std::string& fqdn, AfterAnswer what) = 0;
  virtual void Log(const std::string& fqdn, const std::string& level, const std::string& text) = 0;
};

struct AgentConfig {
  std::string fqdn;
  std::vector<std::string> plugins;  // device plugins + action_runner
  std::string server_boot_time;      // agent time text
  AgentTiming timing;
  std::chrono::milliseconds get_retry{10000};  // after a failed GET
  // Where the agent's requests are timed (metrics/registry.h); none: not timed.
  metrics::Registry* metrics = nullptr;
};

// Counters for tests, status and benchmarks.
struct AgentStats {
  uint64_t gets_ok = 0, gets_failed = 0, posts_ok = 0, posts_failed = 0;
  uint64_t messages_sent = 0, actions_run = 0, actions_cancelled = 0;
  uint64_t terminate_alls = 0;
  bool connected = false;  // the last long poll was answered
};

class Agent : public std::enable_shared_from_this<Agent> {
 public:
  static std::shared_ptr<Agent> Create(boost::asio::io_context& io, AgentConfig config,
                                       std::unique_ptr<AgentTransport> transport, AgentHost* host,
                                       const Clock* clock);
  ~Agent();

  // Starts the GET loop and the session timer. The client start time is now.
  void Start();
  // Stops at once, like a killed process: no goodbye, requests abandoned.
  // Thread-safe; idempotent.
  void Stop();

  const std::string& fqdn() const { return config_.fqdn; }
  // Empty until Start().
  std::string client_start_time() const;
  AgentStats stats() const;
  size_t session_count() const;
  std::vector<std::string> session_plugins() const;

 private:
  struct Io;  // strand and timer: Boost stays in agent.cpp

  Agent(boost::asio::io_context& io, AgentConfig config, std::unique_ptr<AgentTransport> transport,
        AgentHost* host, const Clock* clock);
  // Everything below runs on the strand.
  void SendGet();
  void OnGet(Result<net::Response> response);
  void HandleWork(IncomingWork work);
  void RunPendingActions();
  void OnActionDone(const ActionStart& action, ActionReport report);
  void Tick();
  void ArmTimer();
  void Flush();
  void OnPost(std::vector<protocol::Message> batch, Result<net::Response> response);
  template <typename F>
  void OnStrand(F&& f);
  std::string Query() const;
  // Request timing (metrics/request_kind.h); strand only.
  void Measure(metrics::RequestKind kind, WallTime since, const std::string& failure, uint64_t bytes = 0);
  void NoteSent(const std::vector<protocol::Message>& batch);
  void NoteSessionsCreated(const std::vector<protocol::Message>& answer);
  void NotePostOutcome(const std::vector<protocol::Message>& batch, const std::string& failure);

  AgentConfig config_;
  std::unique_ptr<AgentTransport> transport_;
  AgentHost* host_;
  const Clock* clock_;
  std::unique_ptr<Io> io_;
  AgentCore core_;
  mutable std::mutex mu_;  // guards stats_, stopped_, client_start_time_ for other threads
  AgentStats stats_;
  std::atomic<bool> stopped_{false};
  bool started_ = false;
  bool post_in_flight_ = false;
  std::string client_start_time_;
  std::vector<ActionStart> pending_actions_;
  std::map<std::string, AfterAnswer> after_answer_;  // by action id
  // Strand only: when the request in flight went out, and what is awaited.
  WallTime get_sent_at_{};
  WallTime post_sent_at_{};
  std::map<std::string, WallTime> session_requested_at_;  // by plugin: posted, awaiting its response
  struct ActionTiming {
    WallTime read_at;
    bool failed = false;  // the action raised: its round trip counts as a failure
  };
  std::map<std::string, ActionTiming> action_timing_;  // by action id: read, not yet posted back
};

}  // namespace cs::agent
