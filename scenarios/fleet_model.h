// FleetModel: what the planner knows of the world: servers with their
// corosync cluster and scalable unit, workers, PDUs, the filesystem and its
// targets (primary and secondary). A plan is a pure function of scenario
// files, this model and a seed.
//
// The model comes from the simulator's status (the control API's `status`,
// the same JSON as `cluster-sim status --json`) plus the manager's targets;
// or, for a world `scenario run` will bring up itself, it is predicted from
// setup's options: the fleet as `setup` would build it, and the filesystem
// the runner will create (FilesystemLayout). The predicted secondary of a
// target is the lowest-numbered other server of its corosync cluster that
// sees its volume, which is what the built-in manager picks when each
// cluster has one candidate (the default cluster_size 2).
#pragma once

#include <string>
#include <vector>

#include "fakes/fleet.h"
#include "fakes/json_helpers.h"
#include "util/status.h"

namespace cs::scenarios {

struct ModelServer {
  std::string fqdn;
  std::string nodename;
  int index = 0;     // among storage servers, in name order
  int cluster = -1;  // corosync cluster id
  int su = -1;       // scalable unit; -1 in a SAN-style fleet
  int volumes = 0;   // volumes it sees
};

struct ModelTarget {
  std::string name;  // MGS, testfs-MDT0000, testfs-OST0003
  std::string kind;  // MGT, MDT, OST
  std::string primary;
  std::string secondary;  // "" when it has none
};

struct FleetModel {
  FleetCounts counts;
  std::vector<ModelServer> servers;
  std::vector<std::string> workers;
  std::vector<int> clusters;  // ids, ascending
  std::vector<int> sus;
  std::vector<std::string> pdus;
  std::string filesystem;     // "" when there is none
  std::vector<ModelTarget> targets;

  const ModelServer* Find(const std::string& fqdn) const;
  std::vector<std::string> ServersOf(int cluster) const;
  // A short description for plans and reports.
  Json Summary() const;
};

// Where the runner puts the filesystem of a world it brings up: the MGT on
// the first server (device 0), the MDT on the second (device 1), one OST on
// every server (device D/2 + its position in its SU), D the volumes each
// server sees. kind, index, host (fqdn) and device (index in the host's
// sorted device paths).
struct Placement {
  std::string kind;
  int index = 0;
  std::string host;
  int device = 0;
  std::string secondary;  // fqdn named to the manager; "": the manager picks
};
Result<std::vector<Placement>> FilesystemLayout(const FleetModel& fleet);

// The same filesystem placed with a rule of the fleet's CRUSH map, as
// `manager fs create --placement RULE` places it: both hosts of each target
// from crush::HaPlacer with x its position (the MGT 0, the MDT 1, then the
// OSTs), devices MGT 0, MDT 1 and OST k at D/2 + k. SAN-style fleets only
// (su_size 0), where a device index names the same volume on every host.
Result<std::vector<Placement>> PlacedFilesystemLayout(const World& world, const FleetModel& fleet,
                                                      const std::string& rule);

// The model of a live world: the control API's status and the manager's
// target objects (name, kind, primary_host, secondary_host, filesystem).
Result<FleetModel> FleetFromStatus(const Json& status, const std::vector<Json>& manager_targets);

// The model of the world `setup` would build with `spec`, with the
// filesystem `fsname` the runner will create on it (placed with the rule
// `placement`, or the default way when it is "").
Result<FleetModel> PredictFleet(const FleetSpec& spec, const std::string& fsname, const std::string& placement = "");

}  // namespace cs::scenarios
