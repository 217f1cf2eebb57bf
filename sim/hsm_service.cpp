#include "sim/hsm_service.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include "fakes/hsm/hsm_world.h"
#include "util/json_parse.h"

namespace cs {

namespace asio = boost::asio;

struct HsmService::TimerHolder {
  explicit TimerHolder(asio::io_context& io) : timer(io) {}
  asio::steady_timer timer;
};

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
  std::map<std::string, std::unique_ptr<net::HttpsClient>> clients;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopped_) return;
    stopped_ = true;
    clients.swap(clients_);
  }
  timer_->timer.cancel();
  clients.clear();  // aborts every POST; their callbacks are not called
}

void HsmService::Schedule() {
  timer_->timer.expires_after(tick_);
  timer_->timer.async_wait([this](const boost::system::error_code& ec) {
    if (!ec) Tick();
  });
}

void HsmService::Tick() {
  std::shared_ptr<const World> world = store_.Snapshot();
  const WallTime now = clock_.Now();
  std::vector<Post> posts;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopped_) return;
    fleet_.Reconcile(*world, now);
    fleet_.Advance(now);
    for (auto& [id, relay] : fleet_.relays()) {
      auto due = next_post_.find(id);
      if (due != next_post_.end() && due->second > now) continue;
      std::optional<Json> envelope = relay.NextEnvelope();
      if (envelope) posts.push_back(Post{id, (*envelope)["fqdn"].get<std::string>(), std::move(*envelope)});
    }
    fleet_.DropIdleRelays();
  }
  for (Post& post : posts) Send(std::move(post));
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopped_) return;  // a Stop() since: do not re-arm
  }
  Schedule();
}

net::HttpsClient* HsmService::ClientFor(const std::string& id, const std::string& fqdn) {
  auto it = clients_.find(id);
  if (it != clients_.end()) return it->second.get();
  Status error;
  std::optional<net::TlsClientConfig> tls = options_.tls(fqdn, &error);
  if (!tls) {
    log_.Warning(fqdn, "HSM copytool " + id + ": no credentials: " + error.message());
    return nullptr;
  }
  net::ClientOptions options;
  options.tls = *tls;
  options.use_cookies = false;
  auto client = net::HttpsClient::Create(io_, options_.agent_url, options);
  if (!client.ok()) {
    log_.Warning(fqdn, "HSM copytool " + id + ": " + client.status().message());
    return nullptr;
  }
  return clients_.emplace(id, std::move(*client)).first->second.get();
}

void HsmService::Send(Post post) {
  const size_t events = post.envelope["events"].size();
  net::ClientRequest request;
  request.method = "POST";
  request.target = "copytool_event/";
  request.headers.Set("Content-Type", "application/json");
  request.body = post.envelope.dump();
  net::HttpsClient* client = nullptr;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopped_) return;
    client = ClientFor(post.id, post.fqdn);
  }
  if (client == nullptr) {
    Answered(post.id, events, Status::Unavailable("no client"));
    return;
  }
  client->Send(std::move(request), [this, id = post.id, events](Result<net::Response> response) {
    Answered(id, events, response);
  });
}

void HsmService::Answered(const std::string& id, size_t events, const Result<net::Response>& response) {
  const bool ok = response.ok() && response->status / 100 == 2;
  std::string problem;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopped_) return;
    auto relay = fleet_.relays().find(id);
    if (relay == fleet_.relays().end()) return;
    if (ok) {
      relay->second.OnPosted(ParseUntrustedJsonOrDiscarded(response->body));
      events_posted_ += events;
    } else {
      relay->second.OnFailed();
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

}  // namespace cs
