#include "sim/hsm_service.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include "fakes/hsm/hsm_world.h"
#include "sim/agent/faulty_transport.h"
#include "util/json_parse.h"

namespace cs {

namespace asio = boost::asio;

struct HsmService::TimerHolder {
  explicit TimerHolder(asio::io_context& io) : timer(io) {}
  asio::steady_timer timer;
};

namespace {
using Transports = std::vector<std::unique_ptr<agent::AgentTransport>>;

// Moves the transports of `ids` out of `from` (to be destroyed, which
// aborts their requests, once the lock is released).
void TakeTransports(std::map<std::string, std::unique_ptr<agent::AgentTransport>>& from,
                    const std::vector<std::string>& ids, Transports& into) {
  for (const std::string& id : ids) {
    auto it = from.find(id);
    if (it == from.end()) continue;
    into.push_back(std::move(it->second));
    from.erase(it);
  }
}
}  // namespace

HsmService::HsmService(asio::io_context& io, Store& store, const Clock& clock, Options options, Log& log)
    : io_(io), store_(store), clock_(clock), options_(std::move(options)), log_(log),
      fleet_(options_.seed, options_.bandwidth), timer_(std::make_unique<TimerHolder>(io)) {}

HsmService::~HsmService() { Stop(); }

Status HsmService::Start(std::chrono::milliseconds tick) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (started_ || stopped_) return Status::Ok();
    started_ = true;
    tick_ = tick;
  }
  Status s = store_.Apply([&](World& world) {
    RestartHsm(world);
    return Status::Ok();
  });
  if (!s.ok()) log_.Warning("", "HSM: cannot re-register copytools: " + s.message());
  asio::post(io_, [this] { Tick(); });
  return s;
}

void HsmService::Stop() {
  std::map<std::string, std::unique_ptr<agent::AgentTransport>> transports;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopped_) return;
    stopped_ = true;
    transports.swap(transports_);
    // Under mu_, as Tick arms it: an Asio timer is not safe to touch from
    // two threads at once (TSan saw this cancel meet Tick's async_wait).
    timer_->timer.cancel();
  }
  transports.clear();  // aborts every POST; their callbacks are not called
}

void HsmService::ScheduleLocked() {
  timer_->timer.expires_after(tick_);
  timer_->timer.async_wait([this](const boost::system::error_code& ec) {
    if (!ec) Tick();
  });
}

bool HsmService::AgentRunning(const std::string& fqdn) const {
  return !options_.agent_running || options_.agent_running(fqdn);
}

void HsmService::Tick() {
  std::shared_ptr<const World> world = store_.Snapshot();
  const WallTime now = clock_.Now();
  Transports closing;
  std::map<std::string, std::string> due;  // copytool id -> its worker, with events to post
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopped_) return;
    fleet_.Reconcile(*world, now);
    fleet_.Advance(now);
    // A worker that went down took its monitor's connection with it.
    const std::vector<std::string> lost = fleet_.TakeLostRelays();
    TakeTransports(transports_, lost, closing);
    for (const std::string& id : lost) {
      next_post_.erase(id);
      failing_.erase(id);
      held_.erase(id);
    }
    for (auto& [id, relay] : fleet_.relays()) {
      auto next = next_post_.find(id);
      if (next != next_post_.end() && next->second > now) continue;
      if (relay.queued() > 0 && !relay.in_flight()) due[id] = relay.fqdn();
    }
  }
  // The agent's state is the Simulator's: asked with no lock of ours held.
  std::map<std::string, bool> agent_up;
  for (const auto& [id, fqdn] : due) {
    if (!agent_up.contains(fqdn)) agent_up[fqdn] = AgentRunning(fqdn);
  }
  std::vector<Post> posts;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopped_) return;
    for (const auto& [id, fqdn] : due) {
      held_[id] = !agent_up[fqdn];
      if (!agent_up[fqdn]) continue;  // the monitor waits for its agent, its events kept
      auto relay = fleet_.relays().find(id);
      if (relay == fleet_.relays().end()) continue;
      std::optional<Json> envelope = relay->second.NextEnvelope();
      if (envelope) posts.push_back(Post{id, fqdn, std::move(*envelope)});
    }
    TakeTransports(transports_, fleet_.DropIdleRelays(), closing);
  }
  closing.clear();
  for (Post& post : posts) Send(std::move(post));
  std::lock_guard<std::mutex> lock(mu_);
  if (stopped_) return;  // a Stop() since: do not re-arm
  ScheduleLocked();
}

std::unique_ptr<agent::AgentTransport> HsmService::MakeTransport(const std::string& id, const std::string& fqdn) {
  // Reads the worker's key and certificate files: never under mu_.
  Result<agent::AgentTls> tls = options_.tls(fqdn);
  if (!tls.ok()) {
    log_.Warning(fqdn, "HSM copytool " + id + ": no credentials: " + tls.status().message());
    return nullptr;
  }
  agent::HttpsTransportOptions transport_options;
  transport_options.agent_url = options_.agent_url;
  transport_options.tls = *tls;
  transport_options.post_target = "copytool_event/";
  auto transport = agent::MakeHttpsTransport(io_, transport_options);
  if (!transport.ok()) {
    log_.Warning(fqdn, "HSM copytool " + id + ": " + transport.status().message());
    return nullptr;
  }
  // The monitor's POSTs meet the worker's faults, as its agent's do.
  if (options_.faults) *transport = agent::MakeFaultyTransport(io_, fqdn, std::move(*transport), options_.faults);
  return std::move(*transport);
}

void HsmService::Send(Post post) {
  const size_t events = post.envelope["events"].size();
  bool connected = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopped_) return;
    connected = transports_.contains(post.id);
  }
  std::unique_ptr<agent::AgentTransport> made;
  if (!connected) made = MakeTransport(post.id, post.fqdn);  // no lock held
  std::unique_ptr<agent::AgentTransport> unused;  // destroyed once the lock is released
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopped_) {
      unused = std::move(made);
      return;
    }
    auto it = transports_.find(post.id);
    if (it == transports_.end() && made) {
      it = transports_.emplace(post.id, std::move(made)).first;
    } else {
      unused = std::move(made);  // another Send connected it meanwhile
    }
    if (it != transports_.end()) {
      // Under the lock: a Tick dropping this transport waits for the send to be queued.
      it->second->Post(post.envelope.dump(), [this, id = post.id, events](Result<net::Response> response) {
        Answered(id, events, response);
      });
      return;
    }
  }
  Answered(post.id, events, Status::Unavailable("no client"));
}

void HsmService::Answered(const std::string& id, size_t events, const Result<net::Response>& response) {
  const bool ok = response.ok() && response->status / 100 == 2;
  std::string problem;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopped_) return;
    auto relay = fleet_.relays().find(id);
    if (relay == fleet_.relays().end()) return;
    Counts& counts = counts_[id];
    if (ok) {
      relay->second.OnPosted(ParseUntrustedJsonOrDiscarded(response->body));
      events_posted_ += events;
      ++counts.posts_ok;
    } else {
      relay->second.OnFailed();
      ++counts.posts_failed;
      ++posts_failed_;
    }
    next_post_[id] = clock_.Now() + relay->second.poll_interval();
    const bool was_failing = failing_[id];
    failing_[id] = !ok;
    if (!ok && !was_failing) {
      problem = response.ok() ? "HTTP " + std::to_string(response->status) + " " + response->body.substr(0, 200)
                              : response.status().message();
    }
  }
  if (!problem.empty()) log_.Warning("", "HSM copytool " + id + ": events not accepted, retrying: " + problem);
}

Json HsmService::StatsFor(const std::string& filesystem) const {
  std::lock_guard<std::mutex> lock(mu_);
  return fleet_.StatsFor(filesystem);
}

uint64_t HsmService::events_posted() const {
  std::lock_guard<std::mutex> lock(mu_);
  return events_posted_;
}

Json HsmService::Report() const {
  std::lock_guard<std::mutex> lock(mu_);
  Json out = fleet_.Report();
  for (auto& [id, c] : out["copytools"].items()) {
    auto counts = counts_.find(id);
    c["posts_ok"] = counts != counts_.end() ? counts->second.posts_ok : 0;
    c["posts_failed"] = counts != counts_.end() ? counts->second.posts_failed : 0;
    auto held = held_.find(id);
    c["waiting_for_agent"] = held != held_.end() && held->second;
  }
  out["events_posted"] = events_posted_;
  out["posts_failed"] = posts_failed_;
  out["started"] = started_ && !stopped_;
  return out;
}

}  // namespace cs
