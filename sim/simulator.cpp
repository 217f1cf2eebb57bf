#include "sim/simulator.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include <condition_variable>
#include <deque>
#include <future>

#include "crypto/server_dir.h"
#include "fakes/cluster_env.h"
#include "fakes/hsm/hsm_world.h"
#include "sim/fencing.h"
#include "net/https_client.h"
#include "net/io_pool.h"
#include "net/tls_context.h"
#include "protocol/messages.h"
#include "sim/actions/action.h"
#include "sim/agent/faulty_transport.h"
#include "sim/plugins/device_plugin.h"
#include "sim/plugins/log_lines.h"

namespace cs {

namespace asio = boost::asio;

namespace {

// The device_plugin action's view of the plugins: a fresh session's body.
class FreshPluginSource final : public DevicePluginSource {
 public:
  FreshPluginSource(const Clock& clock, uint64_t seed, StatsBook& stats)
      : clock_(clock), seed_(seed), stats_(stats) {}
  std::vector<std::string> Names() const override {
    std::vector<std::string> names;
    for (const auto& p : MakeDevicePlugins()) names.emplace_back(p->name());
    return names;
  }
  Result<Json> StartSession(const World& world, const std::string& fqdn,
                            const std::string& plugin) const override {
    const Server* server = world.servers.Find(fqdn);
    if (!server) return Status::NotFound("no server " + fqdn);
    for (auto& p : MakeDevicePlugins()) {
      if (p->name() != plugin) continue;
      Random random = Random::ForStream(seed_, fqdn + "/device_plugin");
      // The statistics as the agent last read them: the manager's reads never
      // shift the series the polls report.
      PluginContext ctx{world, *server, clock_.Now(), random, stats_, nullptr};
      ctx.stats_read = StatsBook::Read::kPeek;
      PluginBodies bodies = p->StartSession(ctx);
      return bodies.empty() ? Json(nullptr) : bodies.front();
    }
    return Status::NotFound("no device plugin " + plugin);
  }

 private:
  const Clock& clock_;
  uint64_t seed_;
  StatsBook& stats_;
};

agent::AfterAnswer ToAfterAnswer(AfterResponse after) {
  switch (after) {
    case AfterResponse::kNone: return agent::AfterAnswer::kNone;
    case AfterResponse::kDeregister: return agent::AfterAnswer::kDeregister;
    case AfterResponse::kShutdown: return agent::AfterAnswer::kShutdown;
    case AfterResponse::kReboot: return agent::AfterAnswer::kReboot;
    case AfterResponse::kRestartAgent: return agent::AfterAnswer::kRestartAgent;
  }
  return agent::AfterAnswer::kNone;
}

}  // namespace

struct Simulator::Slot {
  std::shared_ptr<agent::Agent> agent;
  std::vector<std::unique_ptr<DevicePlugin>> plugins;
  Random random{0};
  std::mutex log_mu;
  std::vector<Json> pending_log_lines;
};

Simulator::Simulator(SimulatorOptions options) : options_(std::move(options)) {}

Simulator::~Simulator() {
  Stop();
  sampler_.reset();  // its timer lives on the pool's io_context

  hsm_.reset();  // its timer must go before the io_context does
  // Only now: servers made on the io_context (PDUs, control API) may be
  // destroyed after Stop() but must go before the context does.
  pool_.reset();
  file_pool_.reset();
}

asio::io_context& Simulator::io() { return pool_->context(); }

Result<std::unique_ptr<Simulator>> Simulator::Open(SimulatorOptions options) {
  if (!options.log) return Status::InvalidArgument("Simulator needs a log");
  std::unique_ptr<Simulator> sim(new Simulator(std::move(options)));
  CS_RETURN_IF_ERROR(sim->Init());
  return sim;
}

Status Simulator::Init() {
  Store::Options store_options;
  store_options.mode = Store::Mode::kOpenExisting;
  auto store = Store::Open(options_.config_dir, store_options);
  if (!store.ok()) return store.status();
  store_ = std::move(*store);
  seed_ = store_->world().settings().seed;
  stats_ = std::make_unique<StatsBook>(seed_);
  boot_delay_ = options_.boot_delay.value_or(std::chrono::seconds(store_->world().settings().startup_seconds));
  shutdown_delay_ = options_.shutdown_delay.value_or(std::chrono::seconds(store_->world().settings().shutdown_seconds));
  std::string url = options_.url.value_or(store_->world().settings().url);
  if (url.empty() || url.back() != '/') url += '/';
  agent_url_ = url + "agent/";
  if (options_.ca_file) {
    auto pem = net::ReadPemFile(*options_.ca_file);
    if (!pem.ok()) return pem.status().Context("reading --ca");
    ca_pem_ = *pem;
  }
  if (options_.insecure) {
    options_.log->Warning("", "--insecure: the manager's certificate will NOT be verified");
  }
  for (const auto& p : MakeDevicePlugins()) agent_plugins_.emplace_back(p->name());
  agent_plugins_.emplace_back(agent::kActionRunnerPlugin);
  pool_ = std::make_unique<net::IoPool>(options_.threads);
  file_pool_ = std::make_unique<net::IoPool>(options_.file_threads);
  file_pool_->Start();
  sampler_ = std::make_unique<MetricsSampler>(pool_->context(), [this] { return Stats(); }, options_.metrics_interval);
  pool_->Start();
  sampler_->Start();

  HsmService::Options hsm;
  hsm.seed = seed_;
  hsm.agent_url = agent_url_;
  hsm.bandwidth = options_.hsm_bandwidth;
  hsm.tls = [this](const std::string& fqdn) { return AgentTlsFor(fqdn); };
  hsm.faults = faults_;
  hsm.agent_running = [this](const std::string& fqdn) { return AgentRunning(fqdn); };
  hsm_ = std::make_unique<HsmService>(pool_->context(), *store_, clock_, std::move(hsm), *options_.log);
  hsm_stats_ = [this](const std::string& fs) { return hsm_->StatsFor(fs); };
  return Status::Ok();
}

std::chrono::milliseconds Simulator::BootDelay() const { return boot_delay_; }

std::chrono::milliseconds Simulator::ShutdownDelay() const { return shutdown_delay_; }

void Simulator::After(std::chrono::milliseconds delay, std::function<void()> f) {
  auto timer = std::make_shared<asio::steady_timer>(pool_->context(), delay);
  timer->async_wait([timer, f = std::move(f)](const boost::system::error_code& ec) {
    if (!ec) f();
  });
}

Result<std::shared_ptr<asio::ssl::context>> Simulator::ClientContextFor(const std::string& ca_pem) const {
  {
    std::lock_guard<std::mutex> lock(tls_mu_);
    auto it = client_contexts_.find(ca_pem);
    if (it != client_contexts_.end()) return it->second;
  }
  net::TlsClientConfig verification;
  verification.insecure = options_.insecure;
  verification.ca_pem = ca_pem;
  auto made = net::MakeClientTlsContext(verification);
  if (!made.ok()) return made.status().Context("the agents' TLS client context");
  std::lock_guard<std::mutex> lock(tls_mu_);
  // Agents starting at the same time may each have built one: the first kept wins.
  return client_contexts_.emplace(ca_pem, std::move(*made)).first->second;
}

size_t Simulator::ClientTlsContexts() const {
  std::lock_guard<std::mutex> lock(tls_mu_);
  return client_contexts_.size();
}

Result<agent::AgentTls> Simulator::AgentTlsFor(const std::string& fqdn) const {
  std::string ca_pem = ca_pem_;
  crypto::ServerCryptoDir dir(options_.config_dir, fqdn);
  if (ca_pem.empty() && !options_.insecure && dir.HasAuthority()) {
    auto pem = net::ReadPemFile(dir.authority_path());
    if (pem.ok()) ca_pem = std::move(*pem);
  }
  agent::AgentTls tls;
  auto context = ClientContextFor(options_.insecure ? std::string() : ca_pem);
  if (!context.ok()) return context.status();
  tls.context = std::move(*context);
  if (dir.HasCertificate()) {
    auto cert = dir.LoadCertificate();
    if (!cert.ok()) return cert.status().Context(fqdn + " credentials");
    auto key = crypto::PrivateKey::Load(dir.key_path());
    if (!key.ok()) return key.status().Context(fqdn + " credentials");
    auto identity = net::TlsIdentity::FromParsed(cert->get(), key->get());
    if (!identity.ok()) return identity.status().Context(fqdn + " credentials");
    tls.identity = std::move(*identity);
  }
  return tls;
}

void Simulator::KeepRegisteredTls(const std::string& fqdn, agent::AgentTls tls) {
  std::lock_guard<std::mutex> lock(tls_mu_);
  registered_tls_[fqdn] = std::move(tls);
}

Result<std::pair<crypto::Certificate, std::string>> Simulator::AuthorityFrom(const std::string& pem) const {
  {
    std::lock_guard<std::mutex> lock(tls_mu_);
    auto it = authorities_.find(pem);
    if (it != authorities_.end()) return it->second;
  }
  auto cert = crypto::Certificate::Parse(pem);
  if (!cert.ok()) return cert.status();
  std::string stored = cert->ToPem();
  if (stored.empty()) return Status::Internal("encoding the certificate failed");
  std::lock_guard<std::mutex> lock(tls_mu_);
  return authorities_.emplace(pem, std::make_pair(std::move(*cert), std::move(stored))).first->second;
}

std::optional<agent::AgentTls> Simulator::TakeRegisteredTls(const std::string& fqdn) {
  std::lock_guard<std::mutex> lock(tls_mu_);
  auto it = registered_tls_.find(fqdn);
  if (it == registered_tls_.end()) return std::nullopt;
  agent::AgentTls tls = std::move(it->second);
  registered_tls_.erase(it);
  return tls;
}

Status Simulator::StartAgent(const std::string& fqdn) {
  // Lock order (docs/architecture.md): the store's mutex before mu_, and
  // mu_ is a leaf. So the server is read (from the committed snapshot: no
  // lock at all), its files read and its transport built with no lock of
  // the Simulator held; mu_ is taken only to insert the slot.
  if (AgentRunning(fqdn)) return Status::FailedPrecondition("the agent of " + fqdn + " is already running");
  std::string boot_time;
  {
    std::shared_ptr<const World> world = store_->Snapshot();
    const Server* s = world->servers.Find(fqdn);
    if (!s) return Status::NotFound("no server " + fqdn);
    if (!s->registered) return Status::FailedPrecondition(fqdn + " is not registered");
    if (s->power_state != PowerState::kRunning) {
      return Status::FailedPrecondition(fqdn + " is " + PowerStateName(s->power_state));
    }
    boot_time = s->boot_time.value_or(FormatAgentTime(clock_.Now()));
  }
  std::optional<agent::AgentTls> registered = TakeRegisteredTls(fqdn);
  auto tls = registered ? Result<agent::AgentTls>(std::move(*registered)) : AgentTlsFor(fqdn);
  if (!tls.ok()) return tls.status();
  agent::HttpsTransportOptions transport_options;
  transport_options.agent_url = agent_url_;
  transport_options.tls = *tls;
  auto transport = agent::MakeHttpsTransport(pool_->context(), transport_options);
  if (!transport.ok()) return transport.status().Context(fqdn);
  // Every agent reaches the manager through the fault layer.
  *transport = agent::MakeFaultyTransport(pool_->context(), fqdn, std::move(*transport), faults_);

  auto slot = std::make_shared<Slot>();
  slot->plugins = MakeDevicePlugins();
  slot->random = Random::ForStream(seed_, fqdn + "/agent");
  agent::AgentConfig config;
  config.fqdn = fqdn;
  config.plugins = agent_plugins_;
  config.server_boot_time = boot_time;
  config.timing = options_.timing;
  config.get_retry = options_.get_retry;
  config.metrics = metrics_.get();
  slot->agent = agent::Agent::Create(pool_->context(), config, std::move(*transport), this, &clock_);
  {
    std::lock_guard<std::mutex> lock(mu_);
    // Another start of the same server won the race while this one built.
    if (slots_.count(fqdn)) return Status::FailedPrecondition("the agent of " + fqdn + " is already running");
    if (auto queued = queued_log_lines_.find(fqdn); queued != queued_log_lines_.end()) {
      std::lock_guard<std::mutex> log_lock(slot->log_mu);
      slot->pending_log_lines = std::move(queued->second);
      queued_log_lines_.erase(queued);
    }
    slots_[fqdn] = slot;
  }
  slot->agent->Start();  // after the insert: its first poll looks the slot up
  (void)hsm_->Start();     // with the first agent: the copytools' workers are up
  return Status::Ok();
}

void Simulator::StopAgent(const std::string& fqdn) {
  std::shared_ptr<Slot> slot;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = slots_.find(fqdn);
    if (it == slots_.end()) return;
    slot = std::move(it->second);
    slots_.erase(it);
  }
  // Handlers of the agent still running on other threads hold their own
  // reference to the slot (see PollPlugin), so it lives until they return.
  slot->agent->Stop();
}

size_t Simulator::StartAll() {
  std::vector<std::string> fqdns;
  std::shared_ptr<const World> world = store_->Snapshot();  // held while iterating
  for (const auto& [fqdn, s] : world->servers.all()) {
    if (s.registered && s.power_state == PowerState::kRunning) fqdns.push_back(fqdn);
  }
  const auto step = fqdns.empty() ? std::chrono::milliseconds(0)
                                  : options_.start_spread / static_cast<int64_t>(fqdns.size());
  for (size_t i = 0; i < fqdns.size(); ++i) {
    After(step * static_cast<int64_t>(i), [this, fqdn = fqdns[i]] {
      Status s = StartAgent(fqdn);
      if (!s.ok()) options_.log->Warning(fqdn, "not started: " + s.message());
    });
  }
  return fqdns.size();
}

void Simulator::Stop() {
  if (!pool_ || stopped_) return;
  stopped_ = true;
  sampler_->Stop();

  hsm_->Stop();
  std::vector<std::string> fqdns = RunningAgents();
  for (const auto& fqdn : fqdns) StopAgent(fqdn);
  file_pool_->Stop();
  file_pool_->Join();
  pool_->Stop();
  pool_->Join();
  std::lock_guard<std::mutex> lock(mu_);
  slots_.clear();
}

bool Simulator::AgentRunning(const std::string& fqdn) const {
  std::lock_guard<std::mutex> lock(mu_);
  return slots_.count(fqdn) != 0;
}

std::vector<std::string> Simulator::RunningAgents() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<std::string> out;
  for (const auto& [fqdn, slot] : slots_) out.push_back(fqdn);
  return out;
}

std::optional<Json> Simulator::AgentReport(const std::string& fqdn) const {
  std::shared_ptr<Slot> slot;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = slots_.find(fqdn);
    if (it == slots_.end()) return std::nullopt;
    slot = it->second;
  }
  const agent::AgentStats st = slot->agent->stats();
  return Json{{"client_start_time", slot->agent->client_start_time()},
              {"sessions", slot->agent->session_plugins()},
              {"gets_ok", st.gets_ok},
              {"gets_failed", st.gets_failed},
              {"posts_ok", st.posts_ok},
              {"posts_failed", st.posts_failed},
              {"messages_sent", st.messages_sent},
              {"actions_run", st.actions_run},
              {"actions_cancelled", st.actions_cancelled},
              {"terminate_alls", st.terminate_alls}};
}

metrics::Snapshot Simulator::Stats() const {
  metrics::Snapshot snapshot;
  snapshot.started_at = metrics_started_at_;
  snapshot.requests = metrics_->Collect();
  snapshot.long_poll_messages = metrics_->long_poll_messages();
  {
    std::shared_ptr<const World> world = store_->Snapshot();
    for (const auto& [fqdn, s] : world->servers.all()) {
      snapshot.gauges.servers_running += s.power_state == PowerState::kRunning;
    }
  }
  std::vector<std::shared_ptr<Slot>> slots;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto& [fqdn, slot] : slots_) slots.push_back(slot);
  }
  for (const auto& slot : slots) snapshot.gauges.agents_connected += slot->agent->stats().connected;
  const Json faults = faults_->ToJson();
  snapshot.gauges.faults_active = static_cast<int64_t>(faults["all"].size());
  for (const auto& [fqdn, host] : faults["hosts"].items()) snapshot.gauges.faults_active += static_cast<int64_t>(host.size());
  snapshot.taken_at = clock_.Now();
  return snapshot;
}

std::optional<agent::AgentStats> Simulator::AgentStatsOf(const std::string& fqdn) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = slots_.find(fqdn);
  if (it == slots_.end()) return std::nullopt;
  return it->second->agent->stats();
}

Status Simulator::PowerOff(const std::string& fqdn) {
  StopAgent(fqdn);
  std::vector<FenceRecord> fenced;
  Status s = store_->Apply([&](World& w) {
    fenced.clear();
    Server* server = w.servers.Mutable(fqdn);
    if (!server) return Status::NotFound("no server " + fqdn);
    server->power_state = PowerState::kOff;
    if (Cluster* c = w.MutableClusterOf(*server)) {
      if (c->nodes.count(server->nodename)) return c->Leave(server->nodename, /*clean=*/false, FencingEnv(w, &fenced));
    }
    return Status::Ok();
  });
  if (!s.ok()) return s;
  options_.log->Info(fqdn, "powered off");
  LogFencing(*options_.log, fenced);
  ActOnFencing(*this, fenced);
  return s;
}

Status Simulator::PowerOn(const std::string& fqdn) { return PowerOnAfter(fqdn, BootDelay()); }

Status Simulator::PowerOnAfter(const std::string& fqdn, std::chrono::milliseconds boot_delay) {
  Status s = store_->Apply([&](World& w) {
    Server* server = w.servers.Mutable(fqdn);
    if (!server) return Status::NotFound("no server " + fqdn);
    if (server->power_state != PowerState::kOff) {
      return Status::FailedPrecondition(fqdn + " is " + PowerStateName(server->power_state) + ", not off");
    }
    if (!w.HasPower(*server)) return Status::FailedPrecondition(fqdn + " has no powered outlet");
    server->power_state = PowerState::kStartingUp;
    server->boot_time = FormatAgentTime(clock_.Now());
    return Status::Ok();
  });
  if (!s.ok()) return s;
  options_.log->Info(fqdn, "booting");
  if (boot_delay.count() <= 0) {
    FinishBoot(fqdn);  // "without simulated delays": up when this returns
  } else {
    After(boot_delay, [this, fqdn] { FinishBoot(fqdn); });
  }
  return Status::Ok();
}

void Simulator::FinishBoot(const std::string& fqdn) {
  bool registered = false;
  std::vector<FenceRecord> fenced;  // a join can restore quorum: unclean peers get fenced
  Status s = store_->Apply([&](World& w) {
    fenced.clear();
    Server* server = w.servers.Mutable(fqdn);
    if (!server || server->power_state != PowerState::kStartingUp) {
      return Status::FailedPrecondition(fqdn + " is no longer starting up");
    }
    if (!w.HasPower(*server)) {
      server->power_state = PowerState::kOff;
      return Status::Ok();
    }
    server->power_state = PowerState::kRunning;
    registered = server->registered;
    ReregisterHsmCopytoolsOf(w, fqdn);  // its copytools start again, under new uuids
    if (Cluster* c = w.MutableClusterOf(*server)) c->Join(server->nodename, server->fqdn, FencingEnv(w, &fenced));
    return Status::Ok();
  });
  if (!s.ok()) {
    options_.log->Info(fqdn, "boot abandoned: " + s.message());
    return;
  }
  options_.log->Info(fqdn, "up");
  LogFencing(*options_.log, fenced);
  ActOnFencing(*this, fenced);
  if (registered) {
    Status started = StartAgent(fqdn);
    if (!started.ok()) options_.log->Warning(fqdn, "agent not started: " + started.message());
  }
}

Status Simulator::Shutdown(const std::string& fqdn, bool then_boot) {
  return ShutdownAfter(fqdn, then_boot, ShutdownDelay());
}

Status Simulator::ShutdownAfter(const std::string& fqdn, bool then_boot, std::chrono::milliseconds delay) {
  StopAgent(fqdn);
  Status s = store_->Apply([&](World& w) {
    Server* server = w.servers.Mutable(fqdn);
    if (!server) return Status::NotFound("no server " + fqdn);
    if (server->power_state != PowerState::kRunning) {
      return Status::FailedPrecondition(fqdn + " is " + PowerStateName(server->power_state));
    }
    server->power_state = PowerState::kShuttingDown;
    if (Cluster* c = w.MutableClusterOf(*server)) {
      if (c->nodes.count(server->nodename)) return c->Leave(server->nodename, /*clean=*/true, WorldClusterEnv(w));
    }
    return Status::Ok();
  });
  if (!s.ok()) return s;
  options_.log->Info(fqdn, then_boot ? "rebooting" : "shutting down");
  auto finish = [this, fqdn, then_boot] {
    Status off = store_->Apply([&](World& w) {
      Server* server = w.servers.Mutable(fqdn);
      if (!server || server->power_state != PowerState::kShuttingDown) {
        return Status::FailedPrecondition("not shutting down");
      }
      server->power_state = PowerState::kOff;
      return Status::Ok();
    });
    if (!off.ok()) return;
    options_.log->Info(fqdn, "off");
    if (then_boot) {
      Status on = PowerOn(fqdn);
      if (!on.ok()) options_.log->Warning(fqdn, "reboot: " + on.message());
    }
  };
  if (delay.count() <= 0) {
    finish();  // "without simulated delays": off when this returns
  } else {
    After(delay, finish);
  }
  return Status::Ok();
}

Status Simulator::KillAgent(const std::string& fqdn) {
  if (!AgentRunning(fqdn)) return Status::FailedPrecondition("the agent of " + fqdn + " is not running");
  StopAgent(fqdn);
  options_.log->Info(fqdn, "agent killed");
  return Status::Ok();
}

Status Simulator::RestartAgent(const std::string& fqdn) {
  StopAgent(fqdn);
  return StartAgent(fqdn);
}


void Simulator::QueueLogLine(const std::string& fqdn, Json line) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = slots_.find(fqdn);
  if (it == slots_.end()) {
    queued_log_lines_[fqdn].push_back(std::move(line));
    return;
  }
  std::lock_guard<std::mutex> log_lock(it->second->log_mu);
  it->second->pending_log_lines.push_back(std::move(line));
}

size_t Simulator::PendingLogLines(const std::string& fqdn) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = slots_.find(fqdn);
  if (it == slots_.end()) {
    auto queued = queued_log_lines_.find(fqdn);
    return queued == queued_log_lines_.end() ? 0 : queued->second.size();
  }
  std::lock_guard<std::mutex> log_lock(it->second->log_mu);
  return it->second->pending_log_lines.size();
}

std::vector<Json> Simulator::PollPlugin(const std::string& fqdn, const std::string& plugin, bool first) {
  std::shared_ptr<Slot> slot;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = slots_.find(fqdn);
    if (it == slots_.end()) return {};
    slot = it->second;
  }
  DevicePlugin* p = nullptr;
  for (auto& candidate : slot->plugins) {
    if (candidate->name() == plugin) p = candidate.get();
  }
  if (!p) return {};
  std::vector<Json> lines;
  {
    std::lock_guard<std::mutex> lock(slot->log_mu);
    lines.swap(slot->pending_log_lines);
  }
  // The committed world, without the store's lock: a poll never waits for
  // another server's action or its commit (docs/architecture.md).
  std::shared_ptr<const World> world = store_->Snapshot();
  const Server* server = world->servers.Find(fqdn);
  if (!server) return {};
  PluginContext ctx{*world, *server, clock_.Now(), slot->random, *stats_, &lines, &hsm_stats_};
  PluginBodies bodies = first ? p->StartSession(ctx) : p->UpdateSession(ctx);
  if (!lines.empty()) {  // not taken by this plugin: keep for the journal
    std::lock_guard<std::mutex> log_lock(slot->log_mu);
    slot->pending_log_lines.insert(slot->pending_log_lines.begin(), lines.begin(), lines.end());
  }
  return bodies;
}

void Simulator::RunAction(const std::string& fqdn, const std::string& action, const Json& args,
                          ActionDone done) {
  auto outcome = std::make_shared<ActionOutcome>();
  FreshPluginSource plugins(clock_, seed_, *stats_);
  // The operation runs now; `done` is called once its group is durable.
  store_->ApplyAsync(
      [&](World& w) {
        // Seeded from the fleet's seed and the action's identity (server,
        // name, how many of its actions drew randomness before), never the clock.
        const Server* server = w.servers.Find(fqdn);
        const uint64_t serial = server ? server->random_actions : 0;
        Random random = Random::ForStream(seed_, fqdn + "/action/" + action + "/" + std::to_string(serial));
        ActionContext ctx{w, fqdn, clock_, random, &plugins};
        *outcome = cs::RunAction(ActionCatalog::Default(), ctx, action, args);
        if (outcome->exception && !outcome->keep_changes_on_failure) {
          return Status::FailedPrecondition(*outcome->exception);
        }
        if (random.draws() > 0) {
          if (Server* drawn = w.servers.Mutable(fqdn)) ++drawn->random_actions;
        }
        return Status::Ok();
      },
      [outcome, done = std::move(done)](Status s) {
        agent::ActionReport report;
        report.result = outcome->result;
        report.exception = outcome->exception;
        if (!s.ok() && !outcome->exception) {
          report.exception = "the simulator could not save the action's effect: " + s.message();
        }
        report.after = ToAfterAnswer(outcome->after);
        done(std::move(report));
      });
}

agent::ActionReport Simulator::RunAction(const std::string& fqdn, const std::string& action, const Json& args) {
  std::promise<agent::ActionReport> report;
  auto answer = report.get_future();
  RunAction(fqdn, action, args, [&report](agent::ActionReport r) { report.set_value(std::move(r)); });
  return answer.get();
}

void Simulator::AfterAnswerSent(const std::string& fqdn, agent::AfterAnswer what) {
  // Not on the agent's strand: stopping the agent from its own handler is
  // allowed, but the lifecycle changes take the store lock.
  asio::post(pool_->context(), [this, fqdn, what] {
    Status s;
    switch (what) {
      case agent::AfterAnswer::kNone: return;
      case agent::AfterAnswer::kShutdown: s = Shutdown(fqdn, false); break;
      case agent::AfterAnswer::kReboot: s = Shutdown(fqdn, true); break;
      case agent::AfterAnswer::kRestartAgent: s = RestartAgent(fqdn); break;
      case agent::AfterAnswer::kDeregister:
        StopAgent(fqdn);
        s = store_->Apply([&](World& w) {
          Server* server = w.servers.Mutable(fqdn);
          if (!server) return Status::NotFound("no server " + fqdn);
          server->registered = false;
          server->host_id.reset();
          return Status::Ok();
        });
        if (s.ok()) {
          crypto::ServerCryptoDir dir(options_.config_dir, fqdn);
          std::remove(dir.certificate_path().c_str());
          options_.log->Info(fqdn, "deregistered");
        }
        break;
    }
    if (!s.ok()) options_.log->Warning(fqdn, s.message());
  });
}

void Simulator::Log(const std::string& fqdn, const std::string& level, const std::string& text) {
  LogLevel l = LogLevel::kInfo;
  ParseLogLevel(level, &l);
  options_.log->Write(l, fqdn, text);
}

}  // namespace cs
