// crush/mapper: CRUSH itself — maps an input x through a rule's steps (take,
// choose / chooseleaf in firstn or indep mode, emit) to an ordered list of
// devices, with Ceph's retry rules and tunables, so that the result is the
// one Ceph computes for the same map (crush_do_rule). Pure and deterministic;
// a Mapper keeps only scratch space between calls.
#pragma once

#include <cstdint>
#include <vector>

#include "crush/map.h"

namespace cs::crush {

class Mapper {
 public:
  // choose_args: the weight sets and ids straw2 buckets use instead of
  // their own (one of map.choose_args; crushtool --test uses
  // map.TesterChooseArgs()); null: the buckets' own.
  explicit Mapper(const Map& map, const ChooseArgMap* choose_args = nullptr);

  // Up to result_max items; kItemNone marks an indep position left empty.
  // weights[d] is device d's reweight (0x10000 = in, 0 = out), one per device.
  std::vector<int> DoRule(int rule, int x, int result_max, const std::vector<uint32_t>& weights);

 private:
  struct Perm {  // a bucket's lazily computed permutation for one x
    uint32_t generation = 0;
    uint32_t x = 0;
    uint32_t n = 0;
    std::vector<uint32_t> perm;
  };
  struct Choice;

  // position: the result position being filled, which picks the weight set.
  int BucketChoose(const Bucket& b, int x, int r, int position);
  int PermChoose(const Bucket& b, int x, int r);
  bool IsOut(const std::vector<uint32_t>& weights, int item, int x) const;
  int ChooseFirstn(const Choice& c, const Bucket& bucket, int numrep, int type, int* out, int outpos,
                   int out_size, unsigned tries, unsigned recurse_tries, bool recurse_to_leaf, int* out2,
                   int parent_r);
  void ChooseIndep(const Choice& c, const Bucket& bucket, int left, int numrep, int type, int* out,
                   int outpos, unsigned tries, unsigned recurse_tries, bool recurse_to_leaf, int* out2,
                   int parent_r);

  const Map& map_;
  std::vector<Perm> perms_;  // by bucket position
  uint32_t generation_ = 0;
  const int64_t* straw2_ln_;
  const ChooseArgMap* choose_args_;
};

}  // namespace cs::crush
