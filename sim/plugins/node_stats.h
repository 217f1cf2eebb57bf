// Node stats the lustre plugin reports for the server itself (meminfo and
// cpustats, as /proc/meminfo and /proc/stat would give them): a fixed
// starting point and a small random drift per poll.
#pragma once

#include <string>

#include "fakes/json_helpers.h"
#include "util/random.h"

namespace cs {

// {hostname, meminfo: {MemTotal, MemFree, ... in kB}, cpustats: {user,
// system, idle, iowait, total} in jiffies}.
Json InitialNodeStats(const std::string& fqdn);

// One poll's worth of change: free memory wanders, CPU counters grow.
void DriftNodeStats(Json& stats, Random& random);

}  // namespace cs
