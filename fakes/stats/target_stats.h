// Lustre target statistics as the lustre plugin reports them for a target
// running on a server (the agent's reading of /proc/fs/lustre): they start
// from the MDT or OST template (stat_templates.h) sized to the target's
// volume, and each poll drifts them by the original simulator's rules
// (docs/statistics.md):
// - MDT: one poll in six client_count becomes num_exports moved by -1..+1
//   (within 0..100); filesfree and kbytesfree move by up to a tenth of
//   their totals (within 0..total); the open, close, unlink, mkdir, rmdir
//   and getxattr counts grow by 0..10,000 each.
// - OST: read_bytes and write_bytes grow by 0..10^10 in sum and 0..10^5 in
//   count; kbytesfree and filesfree move by up to a tenth of their totals
//   (kbytesavail follows kbytesfree, keeping the template's reserve); each
//   job's read and write sums grow by 0..10^9 and its read, write,
//   setattr, punch and sync samples by 0..100, stamped with the poll's time.
// - MGS (and any other label): {} and no drift.
// Everything else keeps its template value. Pure: the caller supplies the
// random stream and the time.
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

// The template of the kind, its sizes and file counts scaled to a volume
// of `volume_bytes` (kbytestotal is the volume's size in KiB; the free,
// available and file counts keep the template's proportions). The OST's
// brw_stats, which never drift, are left out: ReportTargetStats adds them.
Json InitialTargetStats(TargetKind kind, int64_t volume_bytes);

// One poll's drift of stats made by InitialTargetStats for the same kind.
void DriftTargetStats(TargetKind kind, Json& stats, Random& random, WallTime now);

// What the agent sends for stats made by InitialTargetStats: a copy, with
// the OST template's brw_stats.
Json ReportTargetStats(TargetKind kind, const Json& stats);

}  // namespace cs
