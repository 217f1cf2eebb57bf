// HsmService: the runtime of the simulated HSM. Once a second it brings the
// HSM fleet (fakes/hsm/hsm_fleet.h) in line with the committed world, runs
// the coordinator and copytool loops that are due, and POSTs each
// copytool's queued events to <url>agent/copytool_event/ with its worker's
// client certificate, as the agent's copytool monitor did (one POST in
// flight per copytool; back off on failure).
//
// The monitor lives on the worker beside its agent, so what happens to the
// agent happens to it: its POSTs go through the same fault layer
// (sim/agent/faulty_transport.h: fail_connections, drop_responses,
// manager_unreachable, latency, for the worker or for all), events wait
// while the worker's agent is not running (killed, restarting), and a
// worker that loses power loses its copytool and whatever it had not yet
// posted (the fleet drops it; it registers anew when the worker boots).
// Coordinator stats go into the lustre plugin's MDT0000 report through
// StatsFor.
//
// Locking: mu_ guards the fleet, the transports and the posting schedule;
// it is a leaf, never held across a store write, I/O (a transport's Post
// only queues; arming or cancelling the tick timer is done under it, since
// an Asio timer must not be touched from two threads at once), the reading of a worker's key files (options.tls) or a call
// into the Simulator (agent_running). Requests in
// flight are in memory only, as in the original: after a restart every
// running copytool registers anew (RestartHsm).
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "fakes/hsm/hsm_fleet.h"
#include "net/tls_context.h"
#include "sim/agent/fault_set.h"
#include "sim/agent/transport.h"
#include "sim/log.h"
#include "state/store.h"
#include "util/clock.h"

namespace boost::asio {
class io_context;
}

namespace cs {

class HsmService {
 public:
  // A worker's credentials: the fleet's client context and its identity.
  using TlsProvider = std::function<Result<agent::AgentTls>(const std::string& fqdn)>;
  struct Options {
    uint64_t seed = 0;        // the fleet's: fixes every request
    std::string agent_url;    // "https://localhost:8000/agent/"
    int64_t bandwidth = HsmCopytoolRun::kMaxBandwidth;  // bytes/s per copytool
    TlsProvider tls;          // a worker's client certificate
    // The agents' faults; null: none.
    std::shared_ptr<const agent::FaultSet> faults;
    // Whether the worker's agent runs; null: always.
    std::function<bool(const std::string& fqdn)> agent_running;
  };

  HsmService(boost::asio::io_context& io, Store& store, const Clock& clock, Options options, Log& log);
  // Stop()s. Destroy it only once `io` runs no more handlers: a tick that
  // fired just before Stop() may still be queued.
  ~HsmService();

  // Re-registers what ran before (one transaction), then ticks every
  // `tick`. Idempotent.
  Status Start(std::chrono::milliseconds tick = std::chrono::seconds(1));
  // Stops ticking and drops every connection (queued events are lost, as a
  // killed monitor's were).
  void Stop();

  // The coordinator's share of its MDT0000's stats; {} when none runs.
  Json StatsFor(const std::string& filesystem) const;
  // Events POSTed and accepted so far (for tests and status).
  uint64_t events_posted() const;
  // What runs and what waits: {events_posted, posts_failed, coordinators:
  // {fs: {enabled, running, hsm stats}}, copytools: {id: {fqdn, uuid,
  // running, active_requests, queued, in_flight, waiting_for_agent,
  // posts_ok, posts_failed}}} (the control API's hsm_status).
  Json Report() const;

 private:
  struct Post {
    std::string id;
    std::string fqdn;
    Json envelope;
  };
  struct Counts {
    uint64_t posts_ok = 0;
    uint64_t posts_failed = 0;
  };
  void ScheduleLocked();  // arms the tick timer; mu_ held (Stop cancels it under mu_)
  void Tick();
  void Send(Post post);
  void Answered(const std::string& id, size_t events, const Result<net::Response>& response);
  // A new connection for copytool `id` with its worker's credentials (read
  // from disk), or null (logged); called with no lock held.
  std::unique_ptr<agent::AgentTransport> MakeTransport(const std::string& id, const std::string& fqdn);
  bool AgentRunning(const std::string& fqdn) const;

  boost::asio::io_context& io_;
  Store& store_;
  const Clock& clock_;
  Options options_;
  Log& log_;
  std::chrono::milliseconds tick_{1000};

  mutable std::mutex mu_;
  HsmFleet fleet_;
  std::map<std::string, std::unique_ptr<agent::AgentTransport>> transports_;  // by copytool id
  std::map<std::string, WallTime> next_post_;                                 // by copytool id
  std::map<std::string, bool> failing_;  // to log a failure once, not every retry
  std::map<std::string, bool> held_;     // queued events held: the worker's agent is down
  std::map<std::string, Counts> counts_;  // by copytool id
  uint64_t events_posted_ = 0;
  uint64_t posts_failed_ = 0;
  bool started_ = false;
  bool stopped_ = false;
  struct TimerHolder;
  std::unique_ptr<TimerHolder> timer_;
};

}  // namespace cs
