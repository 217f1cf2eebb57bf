// WorldRequest: what a scenario asks of the world the runner brings up
// itself (its `world:` map): setup's fleet options (server_count,
// cluster_size, psu_count, su_size, volume_count, rack_size, racks_per_row,
// cluster_spread) and the placement rule of the filesystem the runner
// creates (`placement: by_rack`, as `manager fs create --placement` takes
// it; `default`: the manager picks the failover partner). Scenarios that ask
// for different worlds run in turn, each on a world of its own.
#pragma once

#include <string>
#include <vector>

#include "fakes/fleet.h"
#include "fakes/json_helpers.h"
#include "util/status.h"

namespace cs::scenarios {

struct WorldRequest {
  Json options = Json::object();  // validated keys only; empty: any world

  bool empty() const { return options.empty(); }
  // The canonical text scenarios are grouped by ("" for any world).
  std::string Key() const { return options.empty() ? "" : options.dump(); }
};

// Validates a scenario's raw `world:` map; the message names the key and
// what it takes.
Result<WorldRequest> ParseWorldRequest(const Json& raw);

// The fleet spec and placement rule of a run: the request's keys win over
// the command line's (a rack-loss scenario means nothing without racks).
void ApplyWorldRequest(const WorldRequest& request, FleetSpec& fleet, std::string& placement);

// The keys a `world:` map takes, for messages and docs.
const std::vector<std::string>& WorldRequestKeys();

}  // namespace cs::scenarios
