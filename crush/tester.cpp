#include "crush/tester.h"

#include <algorithm>
#include <cstdio>
#include <map>

#include "crush/mapper.h"

namespace cs::crush {

namespace {

std::string Join(const std::vector<int>& v) {
  std::string s = "[";
  for (size_t i = 0; i < v.size(); ++i) {
    if (i) s += ',';
    s += std::to_string(v[i]);
  }
  return s + "]";
}

// A float as an ostream prints it by default (six significant digits).
std::string FloatText(float f) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%g", static_cast<double>(f));
  return buf;
}

// crushtool's bound on how many devices a rule can return, used only for the
// expected utilization: the fewest buckets of any type the rule chooses,
// capped by what the step asks for. Its quirks are kept (set_* steps count as
// choosing type 0; a type chosen twice counts its buckets twice).
int MaximumAffectedByRule(const Map& map, const Rule& rule) {
  std::vector<int> affected;
  std::map<int, int> replication;
  for (const Step& s : rule.steps) {
    const int op = static_cast<int>(s.op);
    if (op >= 2 && op != 4) {
      affected.push_back(s.arg2);
      replication[s.arg2] = s.arg1;
    }
  }
  std::map<int, int> named_of_type;
  for (const auto& [id, name] : map.item_names) {
    if (const Bucket* b = map.bucket(id)) ++named_of_type[b->type];
  }
  std::map<int, int> max_of_type;
  for (int type : affected) max_of_type[type] += named_of_type[type];
  for (int type : affected) {
    if (replication[type] > 0 && replication[type] < max_of_type[type]) max_of_type[type] = replication[type];
  }
  int max_affected = std::max(map.max_buckets(), map.max_devices);
  for (int type : affected) {
    if (max_of_type[type] > 0 && max_of_type[type] < max_affected) max_affected = max_of_type[type];
  }
  return max_affected;
}

}  // namespace

TestSummary RunTest(const Map& map, const TestOptions& o, std::ostream& out, std::ostream& err) {
  TestSummary summary;
  const bool statistics = o.show_statistics || o.show_utilization || o.show_utilization_all;
  int min_x = o.min_x, max_x = o.max_x;
  if (min_x < 0 || max_x < 0) {
    min_x = 0;
    max_x = 1023;
  }
  const int max_rules = static_cast<int>(map.rules.size());
  const int min_rule = o.rule ? *o.rule : 0;
  const int max_rule = o.rule ? *o.rule : max_rules - 1;

  std::vector<uint32_t> weights(map.max_devices, 0);
  const std::vector<bool> present = map.DevicesInBuckets();
  for (int d = 0; d < map.max_devices; ++d) weights[d] = present[d] ? kWeightOne : 0;
  if (o.show_utilization_all) {
    err << "devices weights (hex): [";
    for (size_t i = 0; i < weights.size(); ++i) {
      char buf[16];
      std::snprintf(buf, sizeof buf, "%x", weights[i]);
      err << (i ? "," : "") << buf;
    }
    err << "]\n";
  }
  int64_t total_weight = 0;
  for (uint32_t w : weights) total_weight += w;

  Mapper mapper(map, map.TesterChooseArgs());
  for (int r = min_rule; r < max_rules && r <= max_rule; ++r) {
    if (!map.rules[r]) {
      if (statistics) out << "rule " << r << " dne\n";
      continue;
    }
    const Rule& rule = *map.rules[r];
    const int minr = o.num_rep ? *o.num_rep : rule.min_size;
    const int maxr = o.num_rep ? *o.num_rep : rule.max_size;
    if (statistics) {
      out << "rule " << r << " (" << rule.name << "), x = " << min_x << ".." << max_x << ", numrep = " << minr
          << ".." << maxr << "\n";
    }
    for (int nr = minr; nr <= maxr; ++nr) {
      if (total_weight == 0) continue;
      std::vector<int> per(map.max_devices, 0);
      std::map<size_t, int> sizes;
      const int num_objects = max_x - min_x + 1;
      const float expected_objects = static_cast<float>(std::min(nr, MaximumAffectedByRule(map, rule)) * num_objects);
      for (int x = min_x; x <= max_x; ++x) {
        const std::vector<int> result = mapper.DoRule(r, x, nr, weights);
        ++summary.mappings;
        if (o.show_mappings) out << "CRUSH rule " << r << " x " << x << " " << Join(result) << "\n";
        bool has_none = false;
        for (int item : result) {
          if (item == kItemNone) {
            has_none = true;
          } else if (item >= 0 && item < map.max_devices) {
            ++per[item];
          }
        }
        ++sizes[result.size()];
        if (result.size() != static_cast<size_t>(nr) || has_none) {
          ++summary.bad_mappings;
          if (o.show_bad_mappings) {
            out << "bad mapping rule " << r << " x " << x << " num_rep " << nr << " result " << Join(result) << "\n";
          }
        }
      }
      if (!statistics) continue;
      for (const auto& [size, count] : sizes) {
        out << "rule " << r << " (" << rule.name << ") num_rep " << nr << " result size == " << size << ":\t"
            << count << "/" << num_objects << "\n";
      }
      for (int d = 0; d < map.max_devices; ++d) {
        const float proportional = static_cast<float>(weights[d]) / static_cast<float>(total_weight);
        const float expected = proportional * expected_objects;
        if (o.show_utilization ? (expected > 0 && per[d] > 0) : o.show_utilization_all) {
          out << "  device " << d << ":\t\t stored : " << per[d] << "\t expected : " << FloatText(expected) << "\n";
        }
      }
    }
  }
  return summary;
}

}  // namespace cs::crush
