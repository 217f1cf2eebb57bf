#include "crush/placement.h"

#include <algorithm>
#include <iterator>
#include <map>
#include <set>

#include "crush/fleet_map.h"
#include "crush/mapper.h"
#include "crush/text_map.h"
#include "fakes/world.h"

namespace cs::crush {

namespace {

std::string RuleNames(const Map& map) {
  std::string names;
  for (const auto& r : map.rules) {
    if (r) names += (names.empty() ? "" : ", ") + r->name;
  }
  return names;
}

// The type of the rule's first choose/chooseleaf step: its failure domain.
std::optional<int> FailureType(const Rule& rule) {
  for (const Step& s : rule.steps) {
    if (s.op == Op::kChooseFirstn || s.op == Op::kChooseIndep || s.op == Op::kChooseleafFirstn ||
        s.op == Op::kChooseleafIndep) {
      return s.arg2;
    }
  }
  return std::nullopt;
}

std::vector<int> Run(const Map& map, int rule, int x, int count) {
  Mapper mapper(map, map.TesterChooseArgs());
  const std::vector<bool> present = map.DevicesInBuckets();
  std::vector<uint32_t> weights(static_cast<size_t>(map.max_devices), 0);
  for (int d = 0; d < map.max_devices; ++d) weights[static_cast<size_t>(d)] = present[static_cast<size_t>(d)] ? kWeightOne : 0;
  std::vector<int> out;
  for (int item : mapper.DoRule(rule, x, count, weights)) {
    if (item >= 0 && item != kItemNone) out.push_back(item);
  }
  return out;
}

// The buckets of type `type` above item `item` (the item's own name for
// the device type), in name order: a host under two PDUs has two.
std::vector<std::string> Ancestors(const Map& map, int item, int type) {
  if (type == 0) {
    auto it = map.item_names.find(item);
    return it == map.item_names.end() ? std::vector<std::string>{} : std::vector<std::string>{it->second};
  }
  std::multimap<int, int> parents;
  for (const auto& b : map.buckets) {
    if (!b) continue;
    for (int child : b->items) parents.emplace(child, b->id);
  }
  std::set<std::string> out;
  std::set<int> seen;
  std::vector<int> pending = {item};
  while (!pending.empty()) {
    const int child = pending.back();
    pending.pop_back();
    for (auto [it, end] = parents.equal_range(child); it != end; ++it) {
      if (!seen.insert(it->second).second) continue;
      const Bucket* b = map.bucket(it->second);
      if (b && b->type == type) out.insert(map.item_names.at(b->id));
      pending.push_back(it->second);
    }
  }
  return {out.begin(), out.end()};
}

std::string Joined(const std::vector<std::string>& names, const char* sep) {
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "" : sep) + n;
  return out;
}

}  // namespace

Result<HaPlacer> HaPlacer::ForFleet(const World& world, const std::string& rule) {
  Result<Map> map = CompileText(FleetMapText(world), "the fleet's map");
  if (!map.ok()) return map.status();
  std::optional<int> id = map->FindRule(rule);
  if (!id) return Status::InvalidArgument("the fleet's map has no rule '" + rule + "' (it has " + RuleNames(*map) + ")");
  std::optional<int> type = FailureType(*map->rules[static_cast<size_t>(*id)]);
  if (!type) return Status::InvalidArgument("rule '" + rule + "' chooses nothing: it has no choose or chooseleaf step");
  return HaPlacer(world, std::move(*map), *id, *type);
}

HaPlacer::HaPlacer(const World& world, Map map, int rule, int type)
    : world_(&world), fleet_(std::move(map)), rule_(rule), type_(type) {
  rule_name_ = fleet_.rules[static_cast<size_t>(rule)]->name;
  auto it = fleet_.type_names.find(type);
  domain_type_ = it == fleet_.type_names.end() ? std::to_string(type) : it->second;
}

const Map& HaPlacer::ClusterMap(int cluster) {
  for (const auto& [id, map] : cluster_maps_) {
    if (id == cluster) return map;
  }
  std::set<std::string> members;
  if (const Cluster* c = world_->clusters.Find(std::to_string(cluster))) {
    for (const auto& [nodename, node] : c->nodes) members.insert(nodename);
  }
  Result<Map> map = CompileText(FleetMapText(*world_, members), "cluster " + std::to_string(cluster) + "'s map");
  cluster_maps_.emplace_back(cluster, map.ok() ? std::move(*map) : Map{});
  return cluster_maps_.back().second;
}

std::vector<std::string> HaPlacer::DomainsOf(const std::string& nodename) const {
  std::optional<int> item = fleet_.FindItem(nodename);
  return item ? Ancestors(fleet_, *item, type_) : std::vector<std::string>{};
}

std::string HaPlacer::DomainOf(const std::string& nodename) const { return Joined(DomainsOf(nodename), "+"); }

Result<HaPair> HaPlacer::Place(int x) {
  const std::vector<int> first = Run(fleet_, rule_, x, 1);
  if (first.empty()) return Status::FailedPrecondition("rule " + rule_name_ + " maps x=" + std::to_string(x) + " to no host");
  const Server* host = world_->FindServerByNodename(fleet_.item_names.at(first[0]));
  if (!host) return Status::Internal("the fleet's map names a host the fleet does not have");
  HaPair pair;
  pair.x = x;
  pair.cluster = world_->ClusterIdOf(*host);
  const Map& own = ClusterMap(pair.cluster);
  std::optional<int> rule = own.FindRule(rule_name_);
  const std::vector<int> two = rule ? Run(own, *rule, x, 2) : std::vector<int>{};
  if (two.size() < 2) {
    return Status::FailedPrecondition("rule " + rule_name_ + " cannot place a failover pair for x=" + std::to_string(x) +
                                      ": the members of corosync cluster " + std::to_string(pair.cluster) +
                                      " lie in fewer than two " + domain_type_ +
                                      "s (spread clusters over racks with --cluster_spread rack)");
  }
  pair.primary = own.item_names.at(two[0]);
  pair.secondary = own.item_names.at(two[1]);
  pair.primary_domain = DomainOf(pair.primary);
  pair.secondary_domain = DomainOf(pair.secondary);
  return pair;
}

Result<std::vector<std::string>> CheckPlacements(const World& world, const std::string& rule) {
  Result<HaPlacer> placer = HaPlacer::ForFleet(world, rule);
  if (!placer.ok()) return placer.status();
  std::vector<std::string> out;
  for (const auto& [key, cluster] : world.clusters.all()) {
    for (const auto& [label, r] : cluster.resources) {
      if (!r.primary_node || !r.secondary_node) continue;
      const std::vector<std::string> a = placer->DomainsOf(*r.primary_node), b = placer->DomainsOf(*r.secondary_node);
      std::vector<std::string> shared;
      std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(shared));
      if (!shared.empty() || (a.empty() && b.empty())) {
        out.push_back(label + ": primary " + *r.primary_node + " and secondary " + *r.secondary_node + " are both in " +
                      placer->domain_type() + " " + Joined(shared, ", ") +
                      " (rule " + rule + " puts them in different " + placer->domain_type() + "s)");
      }
    }
  }
  return out;
}

}  // namespace cs::crush
