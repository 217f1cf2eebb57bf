// crush/placement: HA pairs placed with a rule of the fleet's CRUSH map, so
// that a target's primary and secondary lie in different failure domains
// of the rule's type (host, rack, row) and inside one corosync cluster
// (pacemaker fails over only between members of a cluster). For input x:
//   1. the rule on the fleet's map, one replica: a host, whose corosync
//      cluster the pair will use;
//   2. the rule on that cluster's own map (the fleet's map restricted to the
//      cluster's members, same hierarchy and rules), two replicas: the
//      primary and the secondary, in two domains of the rule's type.
// Both steps are plain CRUSH on text maps `crush map` prints, so crushtool
// reproduces them. Used by `crush place`, `manager fs create --placement`
// and `check --placement`.
#pragma once

#include <string>
#include <vector>

#include "crush/map.h"
#include "util/status.h"

namespace cs {
class World;
}

namespace cs::crush {

struct HaPair {
  int x = 0;
  int cluster = 0;
  std::string primary;    // nodenames
  std::string secondary;
  std::string primary_domain;  // the domains of the rule's type they lie in
  std::string secondary_domain;
};

class HaPlacer {
 public:
  // Compiles the fleet's map; fails on an unknown rule or one with no
  // choose/chooseleaf step.
  static Result<HaPlacer> ForFleet(const World& world, const std::string& rule);

  // The pair for input x; fails when the chosen cluster's members lie in
  // fewer than two domains of the rule's type.
  Result<HaPair> Place(int x);
  const std::string& domain_type() const { return domain_type_; }
  // The domains of the rule's type a host lies in (its rack for by_rack;
  // both PDUs for by_pdu when it has two PSUs), in name order.
  std::vector<std::string> DomainsOf(const std::string& nodename) const;
  // The same joined with "+" (rack000-pdu0+rack000-pdu1).
  std::string DomainOf(const std::string& nodename) const;

 private:
  HaPlacer(const World& world, Map map, int rule, int domain_type);
  const Map& ClusterMap(int cluster);

  const World* world_;
  Map fleet_;
  int rule_ = 0;
  int type_ = 0;
  std::string rule_name_;
  std::string domain_type_;
  std::vector<std::pair<int, Map>> cluster_maps_;  // cluster id -> its map, built on first use
};

// Every HA resource whose primary and secondary lie in one domain of the
// rule's type: the placements that break the rule (`check --placement`).
Result<std::vector<std::string>> CheckPlacements(const World& world, const std::string& rule);

}  // namespace cs::crush
