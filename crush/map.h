// crush/map: a compiled CRUSH map in memory — tunables, devices, bucket
// types, buckets (with the per-algorithm data the mapper reads) and rules —
// laid out as Ceph lays out its crush_map, so ids, sizes and bounds checks
// behave the same. Built by crush/builder.h, read by crush/mapper.h.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace cs::crush {

enum class BucketAlg : int { kUniform = 1, kList = 2, kTree = 3, kStraw = 4, kStraw2 = 5 };
const char* BucketAlgName(BucketAlg alg);

// Ceph's rule step opcodes (the numbers matter: crushtool's tester reads them).
enum class Op : int {
  kNoop = 0,
  kTake = 1,
  kChooseFirstn = 2,
  kChooseIndep = 3,
  kEmit = 4,
  kChooseleafFirstn = 6,
  kChooseleafIndep = 7,
  kSetChooseTries = 8,
  kSetChooseleafTries = 9,
  kSetChooseLocalTries = 10,
  kSetChooseLocalFallbackTries = 11,
  kSetChooseleafVaryR = 12,
  kSetChooseleafStable = 13,
};

constexpr int kItemNone = 0x7fffffff;   // a position the rule could not fill
constexpr int kItemUndef = 0x7ffffffe;  // internal: not chosen yet
constexpr uint32_t kWeightOne = 0x10000;  // weights are 16.16 fixed point

// Ceph's legacy values: what a text map without "tunable" lines compiles to.
struct Tunables {
  uint32_t choose_local_tries = 2;
  uint32_t choose_local_fallback_tries = 5;
  uint32_t choose_total_tries = 19;
  uint32_t chooseleaf_descend_once = 0;
  uint32_t chooseleaf_vary_r = 0;
  uint32_t chooseleaf_stable = 0;
  uint32_t straw_calc_version = 0;
  uint32_t allowed_bucket_algs = 22;  // uniform, list, straw
};
// The "optimal" profile of Debian 12's Ceph (16.2, jewel tunables).
Tunables OptimalTunables();

struct Bucket {
  int id = 0;
  int type = 0;
  BucketAlg alg = BucketAlg::kStraw2;
  int hash = 0;
  uint32_t weight = 0;  // sum of the item weights
  std::vector<int> items;
  std::vector<uint32_t> item_weights;  // uniform: every entry the same
  std::vector<uint32_t> sum_weights;   // list: running sums
  std::vector<uint32_t> straws;        // straw: straw lengths
  std::vector<uint32_t> node_weights;  // tree: the weight of every node
};

struct Step {
  Op op = Op::kNoop;
  int arg1 = 0;
  int arg2 = 0;
};

struct Rule {
  int id = 0;
  std::string name;
  int type = 1;  // 1 replicated, 3 erasure
  int min_size = 1;
  int max_size = 10;
  std::vector<Step> steps;
};

// choose_args for one bucket (straw2 only, as in Ceph): weight sets that
// replace the item weights, one per result position (the last serves every
// later position), and ids that replace the items in the hash.
struct ChooseArg {
  std::vector<std::vector<uint32_t>> weight_set;  // [position][item]
  std::vector<int> ids;
};
using ChooseArgMap = std::vector<std::optional<ChooseArg>>;  // by bucket position (-1-id)

struct Map {
  Tunables tunables;
  // Indexed by -1-id; the size is Ceph's max_buckets (grown by doubling).
  std::vector<std::optional<Bucket>> buckets;
  int max_devices = 0;
  std::vector<std::optional<Rule>> rules;  // indexed by rule id
  std::map<int, std::string> type_names;
  std::map<int, std::string> item_names;   // devices (>= 0) and buckets (< 0), shadow ones as "host~ssd"
  // Device classes: their names by id (numbered in the order the map names
  // them), the class of each device and shadow bucket, and each bucket's
  // shadow bucket per class (the tree of that class's devices only).
  std::map<int, std::string> class_names;
  std::map<int, int> item_class;
  std::map<int, std::map<int, int>> class_bucket;
  std::map<int, ChooseArgMap> choose_args;  // by choose_args index

  // The choose_args `crushtool --test` maps with: set 0, else Ceph's
  // default set -1, else none.
  const ChooseArgMap* TesterChooseArgs() const;

  const Bucket* bucket(int id) const;
  int max_buckets() const { return static_cast<int>(buckets.size()); }
  // Device ids that appear in some bucket: crushtool gives these weight 1.
  std::vector<bool> DevicesInBuckets() const;
  std::optional<int> FindRule(const std::string& name_or_id) const;
  std::optional<int> FindItem(const std::string& name) const;
  std::optional<int> FindType(const std::string& name) const;
};

}  // namespace cs::crush
