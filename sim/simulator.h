// Simulator: the running fleet. It owns the store (the shared world), one
// io_context on a small thread pool, and an asynchronous Agent per running
// registered server. It is the AgentHost every agent calls back: plugins
// render the world into DATA bodies, actions change it through the store
// (one transaction each), and answer-first actions shut down, reboot,
// restart or deregister the server once their answer has gone.
//
// Server lifecycle (reference section 3): a server is off, starting_up,
// running or shutting_down. Powering on takes the simulated boot delay,
// gives a new boot time, joins the corosync cluster and starts the agent;
// powering off is instant: the agent dies without a goodbye and the node
// leaves its cluster, whose resources move to their other node.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "crypto/certificate.h"
#include "crypto/keys.h"
#include "fakes/stats/stats_book.h"
#include "metrics/registry.h"
#include "metrics/snapshot.h"
#include "sim/agent/agent.h"
#include "sim/agent/fault_set.h"
#include "sim/hsm_service.h"
#include "sim/log.h"
#include "sim/metrics_sampler.h"
#include "state/store.h"
#include "util/clock.h"

namespace boost::asio {
class io_context;
}

namespace cs {

namespace net {
class IoPool;
struct TlsClientConfig;
struct Response;
}  // namespace net

struct SimulatorOptions {
  std::string config_dir = "cluster_sim";
  std::optional<std::string> url;      // overrides the URL saved by setup
  std::optional<std::string> ca_file;  // the manager's CA certificate (PEM)
  bool insecure = false;               // do not verify the manager
  int threads = 2;
  crypto::KeyType key_type = crypto::KeyType::kEcdsaP256;
  agent::AgentTiming timing;
  std::chrono::milliseconds get_retry{10000};
  // Boot and shutdown delays; default: the fleet's settings (5 s each).
  std::optional<std::chrono::milliseconds> boot_delay;
  std::optional<std::chrono::milliseconds> shutdown_delay;
  // Spread agent starts over this period so they do not all report at once.
  std::chrono::milliseconds start_spread{10000};
  // Registrations under way at once. Each waits mostly on others (the
  // manager's answer, fsyncs of its key files), so throughput is this over
  // one registration's latency (docs/architecture.md, "Registration"). 64
  // opened sessions 13 % sooner on a loaded machine but managed no host
  // sooner and slowed the manager's host list (docs/performance.md).
  size_t max_registrations_in_flight = 16;
  // Threads for registration's blocking disk work (writing and fsyncing a
  // server's key and certificates): io threads never wait on the disk, and
  // concurrent fsyncs share the file system's journal commits.
  int file_threads = 4;
  // How often the history of load figures takes a row (sim/metrics_sampler.h).
  std::chrono::milliseconds metrics_interval{2000};

  // Where the PDUs listen: saved port plus this (the daemon's
  // --pdu-port-offset); fencing matches agents' ports with it.
  int pdu_port_offset = 0;
  // Bytes/s each HSM copytool shares among its requests (the original's 96 Gb/s).
  int64_t hsm_bandwidth = HsmCopytoolRun::kMaxBandwidth;
  Log* log = nullptr;  // required
};

// One server's registration outcome.
struct RegistrationResult {
  std::string fqdn;
  Status status;
  // The manager's answer ({host_id, command_id, ...}) without the
  // certificates, as the original's register returned it; null on failure.
  Json answer;
};

class Simulator : public agent::AgentHost {
 public:
  static Result<std::unique_ptr<Simulator>> Open(SimulatorOptions options);
  ~Simulator() override;

  Store& store() { return *store_; }
  // The io_context every agent (and the PDU and control servers) runs on.
  boost::asio::io_context& io();
  const std::string& agent_url() const { return agent_url_; }
  cs::Log& log() { return *options_.log; }

  // Registers every unregistered server (workers with worker_secret),
  // `max_registrations_in_flight` at a time, and starts each agent as soon
  // as its certificate is installed. Blocks until all have an outcome;
  // `progress` is called after each. Must not be called on a pool thread.
  using RegistrationProgress =
      std::function<void(const RegistrationResult&, size_t done, size_t total)>;
  std::vector<RegistrationResult> RegisterAll(const std::string& server_secret,
                                              const std::string& worker_secret,
                                              const RegistrationProgress& progress);

  // Starts the agent of every registered server that is running, spread
  // over start_spread. Returns how many it starts.
  size_t StartAll();
  // Stops every agent and the pool's threads. The state is already saved.
  // The io_context itself lives until the Simulator is destroyed, so
  // servers built on io() can be destroyed after Stop().
  void Stop();

  // Server lifecycle, as power and the control API drive it.
  Status PowerOff(const std::string& fqdn);
  Status PowerOn(const std::string& fqdn);
  Status Shutdown(const std::string& fqdn, bool then_boot);
  // Switches one PDU outlet, in one transaction with what it causes: a
  // server that loses its last powered outlet goes off at once (agent dies,
  // node leaves its cluster); one that gets power back while off boots.
  Status SetOutlet(const std::string& pdu, const std::string& outlet, bool on);
  // Makes a PDU unreachable (its console takes no session, fencing through
  // it fails) or reachable again; then, as pacemaker retries a failed
  // fencing at its next transition, nodes waiting to be fenced are fenced.
  Status SetPduReachable(const std::string& pdu, bool reachable);

  // The agent process alone: crash (no goodbye) or restart (new client
  // start time, same boot time).
  Status KillAgent(const std::string& fqdn);
  Status RestartAgent(const std::string& fqdn);
  bool AgentRunning(const std::string& fqdn) const;
  std::vector<std::string> RunningAgents() const;
  std::optional<agent::AgentStats> AgentStatsOf(const std::string& fqdn) const;
  // TLS client contexts built so far: one per manager CA the fleet's
  // agents trust, so one for a fleet registered with one manager.
  size_t ClientTlsContexts() const;
  // What a running agent is doing: client start time, plugins with a
  // session, request and message counters; nullopt when it is not running.
  std::optional<Json> AgentReport(const std::string& fqdn) const;
  // The simulated HSM coordinators and copytools (started with the first agent).
  HsmService& hsm() { return *hsm_; }

  // --- For the control API (sim/control). ---
  // The pool's io_context: the control server runs on it too.
  // Faults every agent transport applies (sim/agent/faulty_transport.h).
  agent::FaultSet& faults() { return *faults_; }
  // Lifecycle with an explicit simulated delay (0: at once).
  Status PowerOnAfter(const std::string& fqdn, std::chrono::milliseconds boot_delay);
  Status ShutdownAfter(const std::string& fqdn, bool then_boot, std::chrono::milliseconds delay);
  std::chrono::milliseconds boot_delay() const { return BootDelay(); }
  // Who starts the consoles of PDUs the world gains while running (the
  // daemon's PowerService); ListenToNewPdus calls it (Ok when none is set).
  void SetPduStarter(std::function<Status()> start_new_pdus);
  Status ListenToNewPdus();
  std::chrono::milliseconds shutdown_delay() const { return ShutdownDelay(); }
  // Queues a journal line for the server's next systemd_journal poll; kept
  // until an agent of that server runs.
  void QueueLogLine(const std::string& fqdn, Json line);
  size_t PendingLogLines(const std::string& fqdn) const;
  // Registers these servers with `secret` (bounded concurrency) and starts
  // their agents; `done` gets every outcome, on a pool thread. Never blocks.
  void RegisterServers(std::vector<std::string> fqdns, std::string secret,
                       std::function<void(std::vector<RegistrationResult>)> done);
  // Runs `fn` on a pool thread after `delay`.
  void RunAfter(std::chrono::milliseconds delay, std::function<void()> fn) { After(delay, std::move(fn)); }

  // --- Load figures (metrics/, docs/metrics.md). ---
  // Where every agent request and registration is timed.
  metrics::Registry& metrics() { return *metrics_; }
  // Everything recorded since the simulator opened, with the fleet's gauges.
  metrics::Snapshot Stats() const;
  // The history of those figures, a row every metrics_interval.
  MetricsSampler& sampler() { return *sampler_; }

  // agent::AgentHost
  std::vector<Json> PollPlugin(const std::string& fqdn, const std::string& plugin, bool first) override;
  void RunAction(const std::string& fqdn, const std::string& action, const Json& args,
                 ActionDone done) override;
  // The same, waiting for the report (control operations, tests); not on
  // the store's commit thread.
  agent::ActionReport RunAction(const std::string& fqdn, const std::string& action, const Json& args);
  void AfterAnswerSent(const std::string& fqdn, agent::AfterAnswer what) override;
  void Log(const std::string& fqdn, const std::string& level, const std::string& text) override;

  struct Slot;  // per running agent: plugins, random stream, pending log lines

 private:
  explicit Simulator(SimulatorOptions options);
  Status Init();
  Status StartAgent(const std::string& fqdn);
  void StopAgent(const std::string& fqdn);
  // A server's credentials, read from its files with no lock held.
  Result<agent::AgentTls> AgentTlsFor(const std::string& fqdn) const;
  // The TLS a registration just installed, kept in memory for the agent's
  // first start (its key and certificate as parsed then: no PEM decoded
  // again); taken by that start. Later starts read the files.
  void KeepRegisteredTls(const std::string& fqdn, agent::AgentTls tls);
  // The manager's CA certificate sent as `pem`, parsed once per text (a
  // fleet has one), with its PEM as authority.crt stores it.
  Result<std::pair<crypto::Certificate, std::string>> AuthorityFrom(const std::string& pem) const;
  std::optional<agent::AgentTls> TakeRegisteredTls(const std::string& fqdn);
  Result<std::shared_ptr<boost::asio::ssl::context>> ClientContextFor(const std::string& ca_pem) const;
  void RegisterOne(const std::string& fqdn, const std::string& secret, Json* answer,
                   std::function<void(Status)> done);
  // `attempt` counts from 1: a POST that never reached the manager (a busy
  // manager's handshake timeout, a refused connection) is sent again after
  // 1, 2, 4, 8 s, kRegistrationAttempts in all; any other failure is final.
  static constexpr int kRegistrationAttempts = 5;
  // `key` is the server's key, carried in memory from EnsureKey to the
  // agent's identity.
  void PostRegistration(const std::string& fqdn, const std::string& secret, const std::string& nodename,
                        const std::string& csr, crypto::PrivateKey key, Json* answer,
                        std::function<void(Status)> done, int attempt = 1);
  void InstallRegistration(const std::string& fqdn, Json body, const crypto::PrivateKey& key, Json* answer,
                           std::function<void(Status)> done);
  void RecordRegistration(WallTime sent_at, const Result<net::Response>& response);
  void RegisterEach(std::vector<std::pair<std::string, std::string>> work, RegistrationProgress progress,
                    std::function<void(std::vector<RegistrationResult>)> done);
  void After(std::chrono::milliseconds delay, std::function<void()> f);
  std::chrono::milliseconds BootDelay() const;
  std::chrono::milliseconds ShutdownDelay() const;
  void FinishBoot(const std::string& fqdn);
  // The cluster environment of a change that may fence (fakes/cluster_env.h):
  // the daemon's PDU port offset, attempts stamped with the time now.
  ClusterEnv FencingEnv(World& world, std::vector<FenceRecord>* fenced) const;

  SimulatorOptions options_;
  SystemClock clock_;
  // Before slots_: agents record into it until they are destroyed.
  std::unique_ptr<metrics::Registry> metrics_ = std::make_unique<metrics::Registry>();
  WallTime metrics_started_at_ = clock_.Now();
  std::unique_ptr<Store> store_;
  std::unique_ptr<net::IoPool> pool_;
  // Registration's key and certificate file writes (file_threads); no
  // agent handler runs here. Stopped after pool_'s work that posts to it.
  std::unique_ptr<net::IoPool> file_pool_;
  std::unique_ptr<MetricsSampler> sampler_;  // on pool_'s io_context
  std::string agent_url_;
  std::string ca_pem_;
  // The fleet's client contexts, by the manager CA they verify against
  // (the text; "" for --insecure or the system's store). tls_mu_ is a leaf
  // held only to look up or insert: contexts are built without it.
  mutable std::mutex tls_mu_;
  mutable std::map<std::string, std::shared_ptr<boost::asio::ssl::context>> client_contexts_;
  std::map<std::string, agent::AgentTls> registered_tls_;  // under tls_mu_: by fqdn
  mutable std::map<std::string, std::pair<crypto::Certificate, std::string>> authorities_;  // under tls_mu_
  // Guards slots_ and queued_log_lines_. A leaf: nothing else is locked
  // while it is held except a slot's log_mu (docs/architecture.md).
  mutable std::mutex mu_;
  std::function<Status()> pdu_starter_;  // guarded by mu_, called without it
  // Shared: a call on an agent's strand keeps its slot alive while the
  // agent is being stopped from another thread.
  std::map<std::string, std::shared_ptr<Slot>> slots_;
  bool stopped_ = false;
  uint64_t seed_ = 1;  // the fleet's settings, fixed while running
  // Every server's and target's statistics, shared by the agents (a leaf lock).
  std::unique_ptr<StatsBook> stats_;
  std::chrono::milliseconds boot_delay_{0};
  std::chrono::milliseconds shutdown_delay_{0};
  std::vector<std::string> agent_plugins_;
  std::shared_ptr<agent::FaultSet> faults_ = std::make_shared<agent::FaultSet>();
  // Log lines injected while no agent of the server runs (guarded by mu_).
  std::map<std::string, std::vector<Json>> queued_log_lines_;
  std::unique_ptr<HsmService> hsm_;  // the simulated coordinators and copytools
  std::function<Json(const std::string&)> hsm_stats_;
};

}  // namespace cs
