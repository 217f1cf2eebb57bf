// Lustre target stats the lustre plugin reports for each target running on
// a server, shaped like the real agent's reading of /proc/fs/lustre (the
// original simulator's MDT/OST templates; our own values): a starting point
// sized from the target's volume, and a random drift per poll in which
// counters only grow and free space wanders.
#pragma once

#include <cstdint>
#include <string>

#include "fakes/json_helpers.h"
#include "util/clock.h"
#include "util/random.h"

namespace cs {

enum class TargetKind { kMgs, kMdt, kOst, kOther };
// From the label: testfs-MDT0000 -> kMdt, testfs-OST0003 -> kOst, MGS -> kMgs.
TargetKind TargetKindOf(const std::string& label);

// MDT: {stats: {op: {count, units[, sum, min, max, sumsquare]}}, filestotal,
//       filesfree, kbytestotal, kbytesfree, num_exports, client_count}
// OST: {stats, brw_stats: {histogram: {units, buckets: {key: {read|write:
//       {count, pct, cum_pct}}}}}, job_stats: [...], kbytestotal,
//       kbytesfree, kbytesavail, filestotal, filesfree, tot_granted,
//       tot_dirty, tot_pending, num_exports}
// MGS and anything else: {}.
Json InitialTargetStats(const std::string& label, int64_t volume_bytes, WallTime now);

// One poll's drift of stats made by InitialTargetStats for the same label.
void DriftTargetStats(const std::string& label, Json& stats, Random& random, WallTime now);

}  // namespace cs
