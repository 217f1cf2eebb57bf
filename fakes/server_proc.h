// Server-side Lustre views derived from the shared world: which Lustre
// targets a server is running now (a target on a volume it sees whose HA
// resource is started on it), and what reading a /proc/fs/lustre/... tunable
// of such a target returns (the MGS conf param when one is set, else the
// Lustre default). The lustre device plugin and the control API's read_proc
// both need these, and both must agree.
#pragma once

#include <string>
#include <vector>

#include "fakes/world.h"
#include "util/status.h"

namespace cs {

struct StartedTarget {
  const LustreTarget* target;
  const Volume* volume;  // the volume it is formatted on (null if unknown)
  std::string path;      // where this server sees that volume
};

// Targets on volumes presented to `server` whose HA resource runs on it, in
// presentation path order. Targets not yet HA-configured are not "started".
std::vector<StartedTarget> TargetsStartedOn(const World& world, const Server& server);

// The value of a Lustre /proc tunable on `server`, for the three paths the
// manager's tests read:
//   /proc/fs/lustre/lov/<fs>-MDT<n>-mdtlov/<param>   conf param <fs>-MDT<n>.lov.<param>
//   /proc/fs/lustre/obdfilter/<fs>-OST<n>/<param>     conf param <fs>-OST<n>.ost.<param>
//   /proc/fs/lustre/mdt/<fs>-MDT<n>/<param>           conf param <fs>-MDT<n>.mdt.<param>
// Fails when the target is not running on this server, the path is of
// another kind, or the param is neither set nor one with a known default.
Result<std::string> ReadServerProc(const World& world, const Server& server,
                                   const std::string& path);

}  // namespace cs
