// crush/synthetic_map: text CRUSH maps of any size and shape, generated from
// a seed, for the crushtool comparison tests and bench/crush_bench: flat
// (root -> host -> osd) or deep (root -> row -> rack -> host -> osd), even
// or uneven weights, every bucket algorithm, and a set of rules that use
// firstn, indep, choose, chooseleaf and the set_* steps.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace cs::crush {

struct SyntheticSpec {
  int hosts = 8;
  int osds_per_host = 2;
  bool deep = false;       // rows and racks between the root and the hosts
  int hosts_per_rack = 4;
  int racks_per_row = 2;
  bool uneven = false;     // device weights from 0.1 to 4.0
  std::string host_alg = "straw2";  // or "mixed": every algorithm in turn
  bool legacy_tunables = false;     // no tunable lines: Ceph's legacy values
  uint64_t seed = 1;
};

struct SyntheticRule {
  std::string name;
  int num_rep;
};

std::string SyntheticMapText(const SyntheticSpec& spec);
std::vector<SyntheticRule> SyntheticRules(const SyntheticSpec& spec);

}  // namespace cs::crush
