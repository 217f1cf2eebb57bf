// Control operation `check_invariants`: the simulator's own consistency
// check (fakes/invariants.h, what `cluster-sim check` runs on a stopped
// fleet) on the running daemon's world, so a scenario's `invariants` check
// can ask a daemon it does not own.
#include "fakes/invariants.h"
#include "sim/control/operations.h"

namespace cs {

void AddCheckOperations(OperationTable& t) {
  Add(t, "check_invariants", {}, "Check the world's invariants; answers {violations: [sentence, ...]}",
      [](ControlContext& ctx, const ActionArgs&) -> Result<Json> {
        std::lock_guard<std::mutex> lock(ctx.sim.store().mutex());
        return Json{{"violations", CheckInvariants(ctx.sim.store().world())}};
      });
}

}  // namespace cs
