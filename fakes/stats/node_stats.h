// A server's own statistics as the lustre plugin reports them (the agent's
// reading of /proc/meminfo and /proc/stat): they start from the node
// template (stat_templates.h) with the server's fqdn as hostname, and each
// poll drifts them by the original simulator's rules (docs/statistics.md):
// MemFree moves by up to 5,000 kB within 0..MemTotal; cpustats user and
// idle grow by 50..100 jiffies each and total by their sum. Everything
// else keeps its template value. Pure: the caller supplies the random stream.
#pragma once

#include <string>

#include "fakes/json_helpers.h"
#include "util/random.h"

namespace cs {

// {hostname, meminfo: {MemTotal, MemFree, ... in kB}, cpustats: {user,
// system, idle, iowait, total} in jiffies}.
Json InitialNodeStats(const std::string& fqdn);

// One poll's drift of stats made by InitialNodeStats.
void DriftNodeStats(Json& stats, Random& random);

}  // namespace cs
