// The original ClusterSimulator's HSM methods over the control API (XML-RPC
// and JSON alike), with its names and positional arguments:
//   control_hsm_coordinator(fsname, control_value)
//   configure_hsm_copytool(server, copytool)   copytool: the agent's
//       configure_copytool keyword arguments as one struct (XML-RPC has no
//       keyword arguments; the original took **kwargs here)
//   unconfigure_hsm_copytool(id)
//   start_monitored_copytool(server, id)
//   stop_monitored_copytool(id)
//   start_hsm_coordinators(), start_hsm_copytools()
// and ours: hsm_status() (what runs and what waits to be posted).
// Each answers null (Python None) or a fault with the reason; a fault
// changes nothing. The copytool methods run the very actions a manager
// sends, so both paths behave the same.
#include "fakes/hsm/hsm_world.h"
#include "sim/control/operations.h"

namespace cs {

namespace {

using T = ArgType;

Result<Json> RunCopytoolAction(ControlContext& ctx, const std::string& fqdn, const std::string& action,
                               const Json& args) {
  agent::ActionReport report = ctx.sim.RunAction(fqdn, action, args);
  if (report.exception) return Status::FailedPrecondition(*report.exception);
  return Json(nullptr);
}

// The worker a configured copytool lives on.
Result<std::string> CopytoolServer(Simulator& sim, const std::string& id) {
  std::shared_ptr<const World> world = sim.store().Snapshot();
  const Copytool* c = world->copytools.Find(id);
  if (c == nullptr) return Status::NotFound("no copytool with id '" + id + "' is configured");
  return c->server;
}

Result<Json> ApplyToWorld(Simulator& sim, const std::function<Status(World&)>& change) {
  CS_RETURN_IF_ERROR(sim.store().Apply(change));
  return Json(nullptr);
}

}  // namespace

void AddHsmMethods(OperationTable& t) {
  Add(t, "control_hsm_coordinator", {Required("fsname", T::kString), Required("control_value", T::kString)},
      "Switch a filesystem's HSM coordinator: enabled, disabled, shutdown or purge (created when new)",
      [](ControlContext& ctx, const ActionArgs& a) {
        const std::string fsname = a.String("fsname");
        const std::string value = a.String("control_value");
        return ApplyToWorld(ctx.sim, [&](World& w) { return ControlHsmCoordinator(w, fsname, value); });
      });
  Add(t, "configure_hsm_copytool", {Required("server", T::kAny), Required("copytool", T::kObject)},
      "Configure a copytool on a server (copytool: id, index, bin_path, archive_number, filesystem, "
      "mountpoint, hsm_arguments)",
      [](ControlContext& ctx, const ActionArgs& a) -> Result<Json> {
        Result<std::string> fqdn = ResolveServer(ctx.sim, a.Raw("server"));
        if (!fqdn.ok()) return fqdn.status();
        return RunCopytoolAction(ctx, *fqdn, "configure_copytool", a.Raw("copytool"));
      });
  Add(t, "unconfigure_hsm_copytool", {Required("id", T::kString)},
      "Stop and forget a configured copytool",
      [](ControlContext& ctx, const ActionArgs& a) -> Result<Json> {
        Result<std::string> fqdn = CopytoolServer(ctx.sim, a.String("id"));
        if (!fqdn.ok()) return fqdn.status();
        return RunCopytoolAction(ctx, *fqdn, "unconfigure_copytool", Json{{"id", a.String("id")}});
      });
  Add(t, "start_monitored_copytool", {Required("server", T::kAny), Required("id", T::kString)},
      "Start a configured copytool: it registers with its filesystem's coordinator and posts its events",
      [](ControlContext& ctx, const ActionArgs& a) -> Result<Json> {
        Result<std::string> fqdn = ResolveServer(ctx.sim, a.Raw("server"));
        if (!fqdn.ok()) return fqdn.status();
        Result<std::string> home = CopytoolServer(ctx.sim, a.String("id"));
        if (!home.ok()) return home.status();
        if (*home != *fqdn) {
          return Status::InvalidArgument("copytool '" + a.String("id") + "' is configured on " + *home + ", not " + *fqdn);
        }
        return RunCopytoolAction(ctx, *fqdn, "start_monitored_copytool", Json{{"id", a.String("id")}});
      });
  Add(t, "stop_monitored_copytool", {Required("id", T::kString)},
      "Stop a running copytool (it unregisters)",
      [](ControlContext& ctx, const ActionArgs& a) -> Result<Json> {
        Result<std::string> fqdn = CopytoolServer(ctx.sim, a.String("id"));
        if (!fqdn.ok()) return fqdn.status();
        return RunCopytoolAction(ctx, *fqdn, "stop_monitored_copytool", Json{{"id", a.String("id")}});
      });
  Add(t, "start_hsm_coordinators", {}, "Run every enabled HSM coordinator again (a shut-down one too)",
      [](ControlContext& ctx, const ActionArgs&) {
        return ApplyToWorld(ctx.sim, [](World& w) {
          std::vector<std::string> stopped;
          for (const auto& [fsname, r] : w.hsm_coordinators.all()) {
            if (r.enabled && !r.running) stopped.push_back(fsname);
          }
          for (const std::string& fsname : stopped) w.hsm_coordinators.Mutable(fsname)->running = true;
          return Status::Ok();
        });
      });
  Add(t, "start_hsm_copytools", {},
      "Start every configured copytool whose filesystem has a coordinator (each registers anew)",
      [](ControlContext& ctx, const ActionArgs&) {
        return ApplyToWorld(ctx.sim, [](World& w) {
          std::vector<std::string> ids;
          for (const auto& [id, c] : w.copytools.all()) ids.push_back(id);
          for (const std::string& id : ids) {
            Copytool* c = w.copytools.Mutable(id);
            // A fresh uuid, replayable: from the seed and the uuid it had.
            Random random = Random::ForStream(w.settings().seed, "hsm/start/" + id + "/" + c->uuid.value_or(""));
            c->running = false;
            (void)StartHsmCopytool(w, id, random);  // no coordinator for it: it stays stopped
          }
          return Status::Ok();
        });
      });
  Add(t, "hsm_status", {},
      "The running coordinators and copytools: requests, events queued or held while the worker's agent is "
      "down, POSTs accepted and failed",
      [](ControlContext& ctx, const ActionArgs&) -> Result<Json> { return ctx.sim.hsm().Report(); });
}

}  // namespace cs
