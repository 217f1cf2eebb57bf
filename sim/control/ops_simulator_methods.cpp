// The original ClusterSimulator's XML-RPC methods that drive the whole fleet
// at once: register_all(server_secret, worker_secret) (answers how many it
// registered; the registered ones just start), start_all() (answers how many
// agents it started) and get_lustre_client(client_address) (the client,
// created when new, as the original did), and setup(server_count,
// worker_count, volume_count, nid_count, cluster_size, pdu_count, su_size)
// (brings the fleet to those totals, creating only what is missing, as
// `cluster-sim setup` does; answers null). Same names and positional
// arguments as the original, over XML-RPC and JSON alike.
#include <memory>

#include "fakes/fleet.h"

#include "sim/control/operations.h"

namespace cs {

namespace {

using T = ArgType;

// Registered servers that are up but whose agent is not running.
std::vector<std::string> StoppedAgents(Simulator& sim) {
  std::vector<std::string> fqdns;
  std::lock_guard<std::mutex> lock(sim.store().mutex());
  for (const auto& [fqdn, s] : sim.store().world().servers.all()) {
    if (s.registered && s.power_state == PowerState::kRunning && !sim.AgentRunning(fqdn)) fqdns.push_back(fqdn);
  }
  return fqdns;
}

Result<Json> StartStoppedAgents(Simulator& sim) {
  int started = 0;
  for (const std::string& fqdn : StoppedAgents(sim)) {
    CS_RETURN_IF_ERROR(sim.RestartAgent(fqdn).Context("starting " + fqdn));
    ++started;
  }
  return Json(started);
}

// Servers then workers, each batch with its secret; `done` gets the count.
struct RegisterAllJob {
  Simulator* sim;
  std::vector<std::string> servers, workers;
  std::string server_secret, worker_secret;
  int registered = 0;
  std::string failures;
  ControlDone done;
};

void RegisterBatch(std::shared_ptr<RegisterAllJob> job, bool workers) {
  std::vector<std::string>& fqdns = workers ? job->workers : job->servers;
  auto next = [job, workers] {
    if (!workers) return RegisterBatch(job, true);
    if (!job->failures.empty()) return job->done(Status::Unavailable("registering " + job->failures));
    job->done(Json(job->registered));
  };
  if (fqdns.empty()) return next();
  const std::string& secret = workers ? job->worker_secret : job->server_secret;
  job->sim->RegisterServers(fqdns, secret, [job, next](std::vector<RegistrationResult> results) {
    for (const RegistrationResult& r : results) {
      if (r.status.ok()) {
        ++job->registered;
      } else {
        job->failures += (job->failures.empty() ? "" : "; ") + r.fqdn + ": " + r.status.message();
      }
    }
    next();
  });
}

}  // namespace

void AddSimulatorMethods(OperationTable& t) {
  AddAsync(t, "register_all", {Required("server_secret", T::kString), Required("worker_secret", T::kString)},
           "Register every unregistered server (workers with worker_secret), start the registered ones; "
           "answers how many it registered",
           [](ControlContext& ctx, const ActionArgs& a, ControlDone done) {
             if (a.String("server_secret").empty() || a.String("worker_secret").empty()) {
               return done(Status::InvalidArgument("server_secret and worker_secret must not be empty"));
             }
             auto job = std::make_shared<RegisterAllJob>();
             job->sim = &ctx.sim;
             job->server_secret = a.String("server_secret");
             job->worker_secret = a.String("worker_secret");
             job->done = std::move(done);
             {
               std::lock_guard<std::mutex> lock(ctx.sim.store().mutex());
               for (const auto& [fqdn, s] : ctx.sim.store().world().servers.all()) {
                 if (!s.registered) (s.worker ? job->workers : job->servers).push_back(fqdn);
               }
             }
             Result<Json> started = StartStoppedAgents(ctx.sim);
             if (!started.ok()) return job->done(started.status());
             RegisterBatch(job, false);
           });
  const IntRange count{0, 100000};
  const IntRange positive{1, 100000};
  Add(t, "setup",
      {Within(Required("server_count", T::kInt), positive), Within(Required("worker_count", T::kInt), count),
       Within(Required("volume_count", T::kInt), count), Within(Required("nid_count", T::kInt), IntRange{1, 256}),
       Within(Required("cluster_size", T::kInt), positive), Within(Required("pdu_count", T::kInt), IntRange{0, 64}),
       Within(Required("su_size", T::kInt), count)},
      "Bring the fleet to these totals (only what is missing is created; PDUs added now listen at once)",
      [](ControlContext& ctx, const ActionArgs& a) -> Result<Json> {
        FleetSpec spec;
        spec.server_count = static_cast<int>(a.Int("server_count"));
        spec.worker_count = static_cast<int>(a.Int("worker_count"));
        spec.volume_count = static_cast<int>(a.Int("volume_count"));
        spec.nid_count = static_cast<int>(a.Int("nid_count"));
        spec.cluster_size = static_cast<int>(a.Int("cluster_size"));
        spec.psu_count = static_cast<int>(a.Int("pdu_count"));
        spec.su_size = static_cast<int>(a.Int("su_size"));
        SystemClock clock;
        CS_RETURN_IF_ERROR(ctx.sim.store().Apply([&](World& w) { return SetupFleet(w, spec, clock); }));
        // The fleet is saved; a PDU that cannot listen (its port taken) says
        // so here and listens after a restart.
        CS_RETURN_IF_ERROR(ctx.sim.ListenToNewPdus());
        return Json(nullptr);
      });
  Add(t, "start_all", {}, "Start the agent of every registered server that is up and not running; answers how many",
      [](ControlContext& ctx, const ActionArgs&) { return StartStoppedAgents(ctx.sim); });
  Add(t, "get_lustre_client", {Required("client_address", T::kString)},
      "A Lustre client by address ({address, mounts}), created when new",
      [](ControlContext& ctx, const ActionArgs& a) -> Result<Json> {
        const std::string address = a.String("client_address");
        if (address.empty()) return Status::InvalidArgument("client_address must not be empty");
        Json out;
        CS_RETURN_IF_ERROR(ctx.sim.store().Apply([&](World& w) {
          const LustreClient* c = w.clients.Find(address);
          if (!c) c = &w.clients.Put(address, LustreClient{address, {}});
          out = *c;
          return Status::Ok();
        }));
        return out;
      });
}

}  // namespace cs
