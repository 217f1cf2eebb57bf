#include "crush/synthetic_map.h"

#include <cstdio>
#include <random>
#include <sstream>

namespace cs::crush {

namespace {

const char* kAlgs[] = {"straw2", "straw", "list", "tree", "uniform"};

std::string WeightText(double w) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", w);
  return buf;
}

}  // namespace

std::vector<SyntheticRule> SyntheticRules(const SyntheticSpec& spec) {
  std::vector<SyntheticRule> rules = {
      {"replicated_host", 3}, {"indep_host", 4}, {"choose_osd_indep", 5}, {"tuned_firstn", 3}};
  if (spec.deep) {
    rules.push_back({"rack_then_host", 4});
    rules.push_back({"indep_rack", 3});
  }
  return rules;
}

std::string SyntheticMapText(const SyntheticSpec& spec) {
  std::mt19937_64 rng(spec.seed);
  std::uniform_real_distribution<double> weight(0.1, 4.0);
  std::ostringstream m;
  m << "# begin crush map (synthetic, seed " << spec.seed << ")\n";
  if (!spec.legacy_tunables) {
    m << "tunable choose_local_tries 0\ntunable choose_local_fallback_tries 0\ntunable choose_total_tries 50\n"
         "tunable chooseleaf_descend_once 1\ntunable chooseleaf_vary_r 1\ntunable chooseleaf_stable 1\n"
         "tunable straw_calc_version 1\ntunable allowed_bucket_algs 54\n";
  }
  const int devices = spec.hosts * spec.osds_per_host;
  for (int d = 0; d < devices; ++d) m << "device " << d << " osd." << d << "\n";
  m << "type 0 osd\ntype 1 host\ntype 2 rack\ntype 3 row\ntype 4 root\n";

  // Hosts get explicit ids; racks, rows and the root are numbered by Ceph's
  // compiler (the first free id), which the comparison checks too.
  std::vector<std::pair<std::string, double>> hosts;
  for (int h = 0; h < spec.hosts; ++h) {
    const std::string alg = spec.host_alg == "mixed" ? kAlgs[h % 5] : spec.host_alg;
    const std::string name = "host" + std::to_string(h);
    m << "host " << name << " {\n\tid " << -1 - h << "\n\talg " << alg << "\n\thash 0\n";
    double total = 0;
    const double uniform_w = spec.uneven ? weight(rng) : 1.0;
    for (int o = 0; o < spec.osds_per_host; ++o) {
      const double w = alg == "uniform" ? uniform_w : spec.uneven ? weight(rng) : 1.0;
      m << "\titem osd." << h * spec.osds_per_host + o << " weight " << WeightText(w) << "\n";
      total += std::stod(WeightText(w));
    }
    m << "}\n";
    hosts.emplace_back(name, total);
  }
  auto group = [&](const std::vector<std::pair<std::string, double>>& members, int per, const std::string& type) {
    std::vector<std::pair<std::string, double>> groups;
    for (size_t i = 0; i < members.size(); i += per) {
      const std::string name = type + std::to_string(groups.size());
      m << type << " " << name << " {\n\talg straw2\n\thash 0\n";
      double total = 0;
      for (size_t j = i; j < members.size() && j < i + per; ++j) {
        m << "\titem " << members[j].first << " weight " << WeightText(members[j].second) << "\n";
        total += members[j].second;
      }
      m << "}\n";
      groups.emplace_back(name, total);
    }
    return groups;
  };
  std::vector<std::pair<std::string, double>> top = hosts;
  if (spec.deep) top = group(group(hosts, spec.hosts_per_rack, "rack"), spec.racks_per_row, "row");
  m << "root default {\n\talg straw2\n\thash 0\n";
  for (const auto& [name, w] : top) m << "\titem " << name << " weight " << WeightText(w) << "\n";
  m << "}\n";

  auto rule = [&](int id, const std::string& name, const std::string& type, const std::string& steps) {
    m << "rule " << name << " {\n\tid " << id << "\n\ttype " << type << "\n\tmin_size 1\n\tmax_size 10\n"
      << steps << "}\n";
  };
  rule(0, "replicated_host", "replicated",
       "\tstep take default\n\tstep chooseleaf firstn 0 type host\n\tstep emit\n");
  rule(1, "indep_host", "erasure", "\tstep take default\n\tstep chooseleaf indep 0 type host\n\tstep emit\n");
  rule(2, "choose_osd_indep", "erasure", "\tstep take default\n\tstep choose indep 0 type osd\n\tstep emit\n");
  rule(3, "tuned_firstn", "replicated",
       "\tstep set_choose_tries 100\n\tstep set_chooseleaf_tries 3\n\tstep take default\n"
       "\tstep choose firstn 0 type host\n\tstep choose firstn 1 type osd\n\tstep emit\n");
  if (spec.deep) {
    rule(4, "rack_then_host", "replicated",
         "\tstep take default\n\tstep choose firstn 2 type rack\n\tstep chooseleaf firstn 2 type host\n"
         "\tstep emit\n");
    rule(5, "indep_rack", "erasure",
         "\tstep set_chooseleaf_tries 5\n\tstep take default\n\tstep chooseleaf indep 0 type rack\n\tstep emit\n");
  }
  m << "# end crush map\n";
  return m.str();
}

}  // namespace cs::crush
