// Control operations on the load figures (metrics/, docs/metrics.md):
// `stats`, every request type's counts, failures by reason and latency
// histogram, cumulative since the daemon started, with the fleet's gauges.
#include "metrics/snapshot.h"
#include "sim/control/operations.h"

namespace cs {

void AddStatsOperations(OperationTable& table) {
  Add(table, "stats", {},
      "Load figures since the daemon started: per request type count, failures by reason, rps, "
      "min/median/p90/p95/p99/p99.9/max, latency buckets; gauges (docs/metrics.md)",
      [](ControlContext& ctx, const ActionArgs&) -> Result<Json> { return metrics::ToJson(ctx.sim.Stats()); });
}

}  // namespace cs
