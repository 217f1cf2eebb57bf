#include "sim/agent/agent.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include "metrics/failure_reason.h"
#include "net/url.h"
#include "util/json_parse.h"

namespace cs::agent {

namespace asio = boost::asio;
using protocol::Message;
using metrics::RequestKind;

namespace {

bool IsActionComplete(const Message& m) {
  return m.type == protocol::MessageType::kData && m.plugin == kActionRunnerPlugin && m.body.is_object() &&
         m.body.value("type", "") == "ACTION_COMPLETE";
}

// Why a request failed, as failures are counted; empty when it succeeded.
std::string FailureOf(const Result<net::Response>& response, bool ok_status) {
  if (!response.ok()) return metrics::TransportFailure(response.status());
  return ok_status ? std::string() : metrics::HttpFailure(response->status);
}

}  // namespace

struct Agent::Io {
  explicit Io(asio::io_context& io) : strand(asio::make_strand(io)), timer(strand) {}
  asio::strand<asio::io_context::executor_type> strand;
  asio::steady_timer timer;
};

std::shared_ptr<Agent> Agent::Create(asio::io_context& io, AgentConfig config,
                                     std::unique_ptr<AgentTransport> transport, AgentHost* host,
                                     const Clock* clock) {
  return std::shared_ptr<Agent>(new Agent(io, std::move(config), std::move(transport), host, clock));
}

Agent::Agent(asio::io_context& io, AgentConfig config, std::unique_ptr<AgentTransport> transport,
             AgentHost* host, const Clock* clock)
    : config_(std::move(config)),
      transport_(std::move(transport)),
      host_(host),
      clock_(clock),
      io_(std::make_unique<Io>(io)),
      core_(config_.fqdn, config_.plugins, config_.timing) {}

Agent::~Agent() = default;

template <typename F>
void Agent::OnStrand(F&& f) {
  std::weak_ptr<Agent> weak = weak_from_this();
  asio::post(io_->strand, [weak, f = std::forward<F>(f)]() mutable {
    if (auto self = weak.lock()) {
      if (!self->stopped_) f(*self);
    }
  });
}

void Agent::Start() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (started_ || stopped_) return;
    started_ = true;
    client_start_time_ = FormatAgentTime(clock_->Now());
  }
  OnStrand([](Agent& self) {
    self.host_->Log(self.fqdn(), "info", "agent started (client start time " + self.client_start_time_ + ")");
    self.SendGet();
    self.Tick();
  });
}

void Agent::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopped_) return;
    stopped_ = true;
  }
  transport_->Close();
  asio::post(io_->strand, [self = shared_from_this()] { self->io_->timer.cancel(); });
}

std::string Agent::client_start_time() const {
  std::lock_guard<std::mutex> lock(mu_);
  return client_start_time_;
}

AgentStats Agent::stats() const {
  std::lock_guard<std::mutex> lock(mu_);
  return stats_;
}

std::vector<std::string> Agent::session_plugins() const {
  std::lock_guard<std::mutex> lock(mu_);
  return core_.SessionPlugins();
}

size_t Agent::session_count() const {
  std::lock_guard<std::mutex> lock(mu_);
  return core_.SessionCount();
}

std::string Agent::Query() const {
  // The manager compares client_start_time byte for byte with the POSTs'
  // envelopes, so '+' must survive the query string as %2B.
  return "server_boot_time=" + net::PercentEncode(config_.server_boot_time) +
         "&client_start_time=" + net::PercentEncode(client_start_time_);
}

void Agent::SendGet() {
  get_sent_at_ = clock_->Now();
  std::weak_ptr<Agent> weak = weak_from_this();
  transport_->Get(Query(), [weak](Result<net::Response> response) {
    if (auto self = weak.lock()) {
      self->OnStrand([response = std::move(response)](Agent& agent) mutable {
        agent.OnGet(std::move(response));
      });
    }
  });
}

void Agent::OnGet(Result<net::Response> response) {
  Status failure;
  std::string reason = FailureOf(response, response.ok() && response->status == 200);
  Result<std::vector<Message>> messages = Status::Internal("unset");
  if (!response.ok()) {
    failure = response.status();
  } else if (response->status != 200) {
    failure = Status::Unavailable("GET answered " + std::to_string(response->status));
  } else {
    JsonLimits limits;
    limits.refuse_duplicate_keys = false;  // the protocol's bulk traffic: see JsonLimits
    Json body = ParseUntrustedJsonOrDiscarded(response->body, limits);
    messages = protocol::MessagesFromJson(body);
    if (!messages.ok()) {
      failure = messages.status().Context("bad GET answer");
      reason = "bad answer";
    }
  }
  Measure(RequestKind::kLongPoll, get_sent_at_, reason, response.ok() ? response->body.size() : 0);
  if (!failure.ok()) {
    host_->Log(fqdn(), "warning", "GET failed: " + failure.message() + "; all sessions end");
    {
      std::lock_guard<std::mutex> lock(mu_);
      ++stats_.gets_failed;
      stats_.connected = false;
      core_.OnGetFailed();
    }
    std::weak_ptr<Agent> weak = weak_from_this();
    auto retry = std::make_shared<asio::steady_timer>(io_->strand, config_.get_retry);
    retry->async_wait([weak, retry](const boost::system::error_code&) {
      if (auto self = weak.lock()) {
        self->OnStrand([](Agent& agent) { agent.SendGet(); });
      }
    });
    return;
  }
  IncomingWork work;
  {
    std::lock_guard<std::mutex> lock(mu_);
    ++stats_.gets_ok;
    stats_.connected = true;
    for (const Message& m : *messages) {
      if (m.type == protocol::MessageType::kSessionTerminateAll) ++stats_.terminate_alls;
    }
    work = core_.Handle(*messages);
  }
  if (config_.metrics) {
    config_.metrics->AddLongPollMessages(messages->size());
    NoteSessionsCreated(*messages);
    const WallTime now = clock_->Now();
    for (const ActionStart& start : work.starts) action_timing_[start.id] = ActionTiming{now};
  }
  SendGet();
  HandleWork(std::move(work));
}

void Agent::HandleWork(IncomingWork work) {
  for (const std::string& w : work.warnings) host_->Log(fqdn(), "warning", w);
  for (ActionStart& start : work.starts) pending_actions_.push_back(std::move(start));
  for (const std::string& id : work.cancels) {
    auto before = pending_actions_.size();
    std::erase_if(pending_actions_, [&](const ActionStart& a) { return a.id == id; });
    if (pending_actions_.size() != before) {
      action_timing_.erase(id);  // never ran: no round trip to time
      std::lock_guard<std::mutex> lock(mu_);
      ++stats_.actions_cancelled;
      host_->Log(fqdn(), "info", "action " + id + " cancelled before it ran");
    }
  }
  // Run them in a later handler, so a cancel that arrives in the next GET
  // answer, before the strand gets to them, is still honoured.
  if (!pending_actions_.empty()) OnStrand([](Agent& agent) { agent.RunPendingActions(); });
  Tick();
}

void Agent::RunPendingActions() {
  std::vector<ActionStart> actions;
  actions.swap(pending_actions_);
  for (ActionStart& a : actions) {
    host_->Log(fqdn(), "info", "action " + a.action + " (" + a.id + ")");
    // The answer comes once the action's effect is durable, on the store's
    // commit thread: back to the strand (whose copy outlives the agent).
    std::weak_ptr<Agent> weak = weak_from_this();
    auto strand = io_->strand;
    const std::string action = a.action;
    const Json args = a.args;
    host_->RunAction(fqdn(), action, args, [weak, strand, a = std::move(a)](ActionReport report) mutable {
      asio::post(strand, [weak, a = std::move(a), report = std::move(report)]() mutable {
        auto self = weak.lock();
        if (self && !self->stopped_) self->OnActionDone(a, std::move(report));
      });
    });
  }
}

void Agent::OnActionDone(const ActionStart& a, ActionReport report) {
  if (report.exception) host_->Log(fqdn(), "warning", "action " + a.action + " failed: " + *report.exception);
  bool queued;
  {
    std::lock_guard<std::mutex> lock(mu_);
    ++stats_.actions_run;
    queued = core_.QueueActionComplete(a.session_id, a.id, report.result, report.exception);
  }
  if (auto timing = action_timing_.find(a.id); timing != action_timing_.end()) {
    timing->second.failed = report.exception.has_value();
    if (!queued) {  // its session ended: the answer will never go
      Measure(RequestKind::kActionRoundTrip, timing->second.read_at, "session ended");
      action_timing_.erase(timing);
    }
  }
  if (report.after != AfterAnswer::kNone) {
    if (queued) {
      after_answer_[a.id] = report.after;  // acts once the answer has gone
    } else {
      host_->AfterAnswerSent(fqdn(), report.after);  // no session to answer on: act now
    }
  }
  Flush();
}

void Agent::Tick() {
  std::vector<PollDue> due;
  {
    std::lock_guard<std::mutex> lock(mu_);
    due = core_.Tick(clock_->Now());
  }
  for (const PollDue& poll : due) {
    if (poll.plugin == kActionRunnerPlugin) continue;  // it only answers actions
    std::vector<Json> bodies = host_->PollPlugin(fqdn(), poll.plugin, poll.first);
    std::lock_guard<std::mutex> lock(mu_);
    for (Json& body : bodies) core_.QueueData(poll.plugin, poll.session_id, std::move(body));
  }
  Flush();
  ArmTimer();
}

void Agent::ArmTimer() {
  WallTime now = clock_->Now();
  WallTime next;
  {
    std::lock_guard<std::mutex> lock(mu_);
    next = core_.NextDeadline(now);
  }
  // At least a few milliseconds, so a deadline that is already due cannot spin.
  auto wait = std::max<std::chrono::microseconds>(next - now, std::chrono::milliseconds(5));
  io_->timer.expires_after(wait);
  std::weak_ptr<Agent> weak = weak_from_this();
  io_->timer.async_wait([weak](const boost::system::error_code& ec) {
    if (ec) return;  // cancelled: re-armed or stopped
    if (auto self = weak.lock()) {
      if (!self->stopped_) self->Tick();
    }
  });
}

void Agent::Flush() {
  if (post_in_flight_) return;
  std::vector<Message> batch;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!core_.HasOutgoing()) return;
    batch = core_.TakeBatch();
  }
  protocol::Envelope envelope{batch, config_.server_boot_time, client_start_time_};
  post_in_flight_ = true;
  post_sent_at_ = clock_->Now();
  NoteSent(batch);
  std::weak_ptr<Agent> weak = weak_from_this();
  transport_->Post(envelope.ToJson().dump(), [weak, batch](Result<net::Response> response) mutable {
    if (auto self = weak.lock()) {
      self->OnStrand([batch = std::move(batch), response = std::move(response)](Agent& agent) mutable {
        agent.OnPost(std::move(batch), std::move(response));
      });
    }
  });
}

void Agent::OnPost(std::vector<Message> batch, Result<net::Response> response) {
  post_in_flight_ = false;
  const bool ok = response.ok() && response->status >= 200 && response->status < 300;
  const std::string reason = FailureOf(response, ok);
  Measure(RequestKind::kData, post_sent_at_, reason, response.ok() ? response->body.size() : 0);
  NotePostOutcome(batch, reason);
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (ok) {
      ++stats_.posts_ok;
      stats_.messages_sent += batch.size();
    } else {
      ++stats_.posts_failed;
      core_.OnPostFailed(batch);
    }
  }
  if (!ok) {
    host_->Log(fqdn(), "warning",
               "POST failed: " + (response.ok() ? "status " + std::to_string(response->status)
                                                : response.status().message()));
  }
  // Answer-first actions act once their answer has gone (or failed to).
  for (const Message& m : batch) {
    if (m.type != protocol::MessageType::kData || m.plugin != kActionRunnerPlugin) continue;
    auto it = after_answer_.find(m.body.value("id", ""));
    if (it == after_answer_.end()) continue;
    AfterAnswer what = it->second;
    after_answer_.erase(it);
    host_->AfterAnswerSent(fqdn(), what);
  }
  if (!stopped_) Flush();
}

}  // namespace cs::agent

namespace cs::agent {

void Agent::Measure(RequestKind kind, WallTime since, const std::string& failure, uint64_t bytes) {
  if (!config_.metrics) return;
  const auto took = std::chrono::duration_cast<std::chrono::microseconds>(clock_->Now() - since).count();
  config_.metrics->Record(kind, took > 0 ? static_cast<uint64_t>(took) : 0, failure, bytes);
}

// A session request goes out: its clock starts. One still unanswered from
// before (the core asks again after its backoff) never got its response.
void Agent::NoteSent(const std::vector<Message>& batch) {
  if (!config_.metrics) return;
  for (const Message& m : batch) {
    if (m.type != protocol::MessageType::kSessionCreateRequest) continue;
    auto [it, inserted] = session_requested_at_.try_emplace(m.plugin, post_sent_at_);
    if (!inserted) {
      Measure(RequestKind::kSessionCreate, it->second, "no response");
      it->second = post_sent_at_;
    }
  }
}

void Agent::NoteSessionsCreated(const std::vector<Message>& answer) {
  for (const Message& m : answer) {
    if (m.type != protocol::MessageType::kSessionCreateResponse) continue;
    auto it = session_requested_at_.find(m.plugin);
    if (it == session_requested_at_.end()) continue;
    Measure(RequestKind::kSessionCreate, it->second, "");
    session_requested_at_.erase(it);
  }
}

// What the POST's outcome means for the session requests and action
// answers it carried.
void Agent::NotePostOutcome(const std::vector<Message>& batch, const std::string& failure) {
  if (!config_.metrics) return;
  for (const Message& m : batch) {
    if (m.type == protocol::MessageType::kSessionCreateRequest && !failure.empty()) {
      auto it = session_requested_at_.find(m.plugin);
      if (it == session_requested_at_.end()) continue;
      Measure(RequestKind::kSessionCreate, it->second, failure);
      session_requested_at_.erase(it);
    } else if (IsActionComplete(m)) {
      auto it = action_timing_.find(m.body.value("id", ""));
      if (it == action_timing_.end()) continue;
      Measure(RequestKind::kActionRoundTrip, it->second.read_at,
              !failure.empty() ? failure : (it->second.failed ? "action failed" : ""));
      action_timing_.erase(it);
    }
  }
}

}  // namespace cs::agent
