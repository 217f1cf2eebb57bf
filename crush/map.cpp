#include "crush/map.h"

#include <cstdlib>

namespace cs::crush {

const char* BucketAlgName(BucketAlg alg) {
  switch (alg) {
    case BucketAlg::kUniform: return "uniform";
    case BucketAlg::kList: return "list";
    case BucketAlg::kTree: return "tree";
    case BucketAlg::kStraw: return "straw";
    case BucketAlg::kStraw2: return "straw2";
  }
  return "unknown";
}

Tunables OptimalTunables() {
  Tunables t;
  t.choose_local_tries = 0;
  t.choose_local_fallback_tries = 0;
  t.choose_total_tries = 50;
  t.chooseleaf_descend_once = 1;
  t.chooseleaf_vary_r = 1;
  t.chooseleaf_stable = 1;
  t.straw_calc_version = 1;
  t.allowed_bucket_algs = 54;  // uniform, list, straw, straw2
  return t;
}

const Bucket* Map::bucket(int id) const {
  if (id >= 0) return nullptr;
  const long pos = -1L - id;
  if (pos >= static_cast<long>(buckets.size()) || !buckets[pos]) return nullptr;
  return &*buckets[pos];
}

const ChooseArgMap* Map::TesterChooseArgs() const {
  for (int index : {0, -1}) {
    if (auto it = choose_args.find(index); it != choose_args.end()) return &it->second;
  }
  return nullptr;
}

std::vector<bool> Map::DevicesInBuckets() const {
  std::vector<bool> present(max_devices, false);
  for (const auto& b : buckets) {
    if (!b) continue;
    for (int item : b->items) {
      if (item >= 0 && item < max_devices) present[item] = true;
    }
  }
  return present;
}

std::optional<int> Map::FindRule(const std::string& name_or_id) const {
  for (const auto& r : rules) {
    if (r && r->name == name_or_id) return r->id;
  }
  char* end = nullptr;
  const long id = std::strtol(name_or_id.c_str(), &end, 10);
  if (!name_or_id.empty() && *end == '\0' && id >= 0 && id < static_cast<long>(rules.size()) && rules[id]) {
    return static_cast<int>(id);
  }
  return std::nullopt;
}

std::optional<int> Map::FindItem(const std::string& name) const {
  for (const auto& [id, n] : item_names) {
    if (n == name) return id;
  }
  return std::nullopt;
}

std::optional<int> Map::FindType(const std::string& name) const {
  for (const auto& [id, n] : type_names) {
    if (n == name) return id;
  }
  return std::nullopt;
}

}  // namespace cs::crush
