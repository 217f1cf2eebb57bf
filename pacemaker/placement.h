// Placement: pacemaker's scheduler decisions for the subset of the CIB the
// real chroma-agent writes (primitives with target-role, location
// constraints, resource-stickiness, start failures that ban a node, one
// stonith device, no colocation, no ordering, placement-strategy=default).
// It reproduces pacemaker 2.1's assignment step (pcmk_sched_allocate.c,
// pcmk_sched_primitive.c, pcmk_sched_nodes.c):
//  - resources are assigned one at a time in CIB order;
//  - a resource's node scores: 0 on every node (symmetric-cluster=true),
//    plus its location constraints, plus stickiness on the node it runs on,
//    -INFINITY where its fail count reached the threshold; scores saturate;
//  - nodes are ranked by score (an unavailable node: -INFINITY), then by how
//    many resources this pass already assigned to them (fewest first), then
//    the node the resource runs on, then by name;
//  - the best node wins when its score is not negative and it can run
//    resources; otherwise the resource stops.
// Pure logic, no I/O: the simulator and the crm_simulate property test share it.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace cs::pacemaker {

inline constexpr int kInfinity = 1000000;

// Pacemaker's score addition: saturating at +/-INFINITY, -INFINITY wins.
int AddScores(int a, int b);

struct PlacementNode {
  std::string name;
  bool available = true;  // online, clean, not in standby
};

struct PlacementResource {
  std::string id;
  bool target_started = true;             // target-role (Stopped: false)
  std::optional<std::string> running_on;  // where its history says it runs
  std::map<std::string, int> location_scores;  // rsc_location constraints by node
  std::set<std::string> banned;           // fail count at the threshold there
};

struct PlacementOptions {
  int stickiness = 1000;     // rsc_defaults resource-stickiness
  bool can_run = true;       // false without quorum (no-quorum-policy=stop)
};

// One scheduler pass: for each resource (same order), the node it is
// assigned to, or nullopt when it is to be stopped.
std::vector<std::optional<std::string>> Assign(const std::vector<PlacementNode>& nodes,
                                               const std::vector<PlacementResource>& resources,
                                               const PlacementOptions& options);

}  // namespace cs::pacemaker
