#include "sim/fencing.h"

#include "sim/log.h"
#include "sim/plugins/log_lines.h"
#include "sim/simulator.h"
#include "util/clock.h"

namespace cs {

void ActOnFencing(Simulator& sim, const std::vector<FenceRecord>& records) {
  SystemClock clock;
  for (const FenceRecord& r : records) {
    std::string executor_fqdn;
    {
      std::lock_guard<std::mutex> lock(sim.store().mutex());
      if (const Server* s = sim.store().world().FindServerByNodename(r.executor)) executor_fqdn = s->fqdn;
    }
    if (!executor_fqdn.empty()) {
      for (const std::string& line : FencingJournal(r)) sim.QueueLogLine(executor_fqdn, MakeLogLine(line, clock.Now()));
    }
    if (!r.ok || !r.power_cycled) continue;
    auto switch_on = [&sim, outlets = r.outlets] {
      for (const auto& [pdu, outlet] : outlets) (void)sim.SetOutlet(pdu, outlet, true);  // power back: it boots
    };
    if (sim.shutdown_delay().count() <= 0) {
      switch_on();
    } else {
      sim.RunAfter(sim.shutdown_delay(), switch_on);
    }
  }
}

void LogFencing(Log& log, const std::vector<FenceRecord>& records) {
  for (const FenceRecord& r : records) {
    if (r.ok) {
      log.Info(r.fqdn, "fenced by " + (r.executor.empty() ? std::string("a peer") : r.executor) + ": " + r.detail);
    } else {
      log.Warning(r.fqdn, "fencing failed, its resources stay stopped: " + r.detail);
    }
  }
}

}  // namespace cs
