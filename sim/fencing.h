// Fencing's consequences outside the saved world, once the change that
// fenced is committed: the journal lines pacemaker logs on the node that ran
// the fencing device, the daemon's log, and the second half of fence_chroma's
// reboot: after the simulator's shutdown pause (5 s by default) the outlets
// come on again and the node boots.
#pragma once

#include <vector>

#include "fakes/cluster_env.h"

namespace cs {

class Log;
class Simulator;

void ActOnFencing(Simulator& sim, const std::vector<FenceRecord>& records);
void LogFencing(Log& log, const std::vector<FenceRecord>& records);

}  // namespace cs
