#include "crush/mapper.h"

#include <algorithm>
#include <limits>

#include "crush/hash.h"
#include "crush/ln.h"

namespace cs::crush {

// What stays fixed through one DoRule call.
struct Mapper::Choice {
  const std::vector<uint32_t>& weights;
  int x;
  unsigned local_retries;
  unsigned local_fallback_retries;
  unsigned vary_r;
  unsigned stable;
};

Mapper::Mapper(const Map& map, const ChooseArgMap* choose_args)
    : map_(map), perms_(map.buckets.size()), straw2_ln_(Straw2LnTable()), choose_args_(choose_args) {}

// A permutation of the bucket's items seeded by (x, bucket id); position r
// modulo the size. Used by uniform buckets and as the local fallback search.
int Mapper::PermChoose(const Bucket& b, int x, int r) {
  Perm& p = perms_[-1 - b.id];
  const uint32_t size = static_cast<uint32_t>(b.items.size());
  if (p.generation != generation_) {
    p.generation = generation_;
    p.x = 0;
    p.n = 0;
  }
  if (p.perm.size() != size) p.perm.resize(size);
  const uint32_t pr = static_cast<uint32_t>(r) % size;
  if (p.x != static_cast<uint32_t>(x) || p.n == 0) {
    p.x = static_cast<uint32_t>(x);
    if (pr == 0) {  // the common case needs only the first entry
      p.perm[0] = Hash32(b.hash, x, b.id, 0) % size;
      p.n = 0xffff;
      return b.items[p.perm[0]];
    }
    for (uint32_t i = 0; i < size; ++i) p.perm[i] = i;
    p.n = 0;
  } else if (p.n == 0xffff) {  // expand the r=0 shortcut into a real prefix
    for (uint32_t i = 1; i < size; ++i) p.perm[i] = i;
    p.perm[p.perm[0]] = 0;
    p.n = 1;
  }
  while (p.n <= pr) {
    const uint32_t at = p.n;
    if (at < size - 1) {
      const uint32_t i = Hash32(b.hash, x, b.id, at) % (size - at);
      if (i) std::swap(p.perm[at + i], p.perm[at]);
    }
    ++p.n;
  }
  return b.items[p.perm[pr]];
}

namespace {

int ListChoose(const Bucket& b, int x, int r) {
  for (int i = static_cast<int>(b.items.size()) - 1; i >= 0; --i) {
    uint64_t w = Hash32(b.hash, x, b.items[i], r, b.id) & 0xffff;
    w = (w * b.sum_weights[i]) >> 16;
    if (w < b.item_weights[i]) return b.items[i];
  }
  return b.items[0];
}

int TreeChoose(const Bucket& b, int x, int r) {
  auto height = [](int n) {
    int h = 0;
    while ((n & 1) == 0) {
      ++h;
      n >>= 1;
    }
    return h;
  };
  int n = static_cast<int>(b.node_weights.size()) >> 1;
  while (!(n & 1)) {
    const uint64_t w = b.node_weights[n];
    const uint64_t t = (static_cast<uint64_t>(Hash32(b.hash, x, n, r, b.id)) * w) >> 32;
    const int h = height(n);
    const int left = n - (1 << (h - 1));
    n = t < b.node_weights[left] ? left : n + (1 << (h - 1));
  }
  return b.items[n >> 1];
}

int StrawChoose(const Bucket& b, int x, int r) {
  size_t high = 0;
  uint64_t high_draw = 0;
  for (size_t i = 0; i < b.items.size(); ++i) {
    const uint64_t draw = (Hash32(b.hash, x, b.items[i], r) & 0xffff) * uint64_t{b.straws[i]};
    if (i == 0 || draw > high_draw) {
      high = i;
      high_draw = draw;
    }
  }
  return b.items[high];
}

// Each item draws an exponential variable ln(u)/weight; the largest wins.
// Independent per item, so changing one weight moves data only to or from it.
// A choose_arg replaces the weights (by position) and the ids hashed.
int Straw2Choose(const Bucket& b, int x, int r, const int64_t* ln_table, const ChooseArg* arg, int position) {
  const std::vector<uint32_t>* weights = &b.item_weights;
  if (arg && !arg->weight_set.empty()) {
    const size_t p = std::min(static_cast<size_t>(std::max(position, 0)), arg->weight_set.size() - 1);
    weights = &arg->weight_set[p];
  }
  const std::vector<int>& ids = arg && !arg->ids.empty() ? arg->ids : b.items;
  size_t high = 0;
  int64_t high_draw = 0;
  for (size_t i = 0; i < b.items.size(); ++i) {
    int64_t draw = std::numeric_limits<int64_t>::min();
    if (const uint32_t w = (*weights)[i]) {
      const uint32_t u = Hash32(b.hash, x, ids[i], r) & 0xffff;
      draw = ln_table[u] / static_cast<int64_t>(w);
    }
    if (i == 0 || draw > high_draw) {
      high = i;
      high_draw = draw;
    }
  }
  return b.items[high];
}

}  // namespace

int Mapper::BucketChoose(const Bucket& b, int x, int r, int position) {
  switch (b.alg) {
    case BucketAlg::kUniform: return PermChoose(b, x, r);
    case BucketAlg::kList: return ListChoose(b, x, r);
    case BucketAlg::kTree: return TreeChoose(b, x, r);
    case BucketAlg::kStraw: return StrawChoose(b, x, r);
    case BucketAlg::kStraw2: {
      const ChooseArg* arg = nullptr;
      if (choose_args_) {
        const size_t pos = static_cast<size_t>(-1L - b.id);
        if (pos < choose_args_->size() && (*choose_args_)[pos]) arg = &*(*choose_args_)[pos];
      }
      return Straw2Choose(b, x, r, straw2_ln_, arg, position);
    }
  }
  return b.items[0];
}

// A device is out with probability 1 - weight/0x10000, decided by hash.
bool Mapper::IsOut(const std::vector<uint32_t>& weights, int item, int x) const {
  if (item >= static_cast<int>(weights.size())) return true;
  const uint32_t w = weights[item];
  if (w >= kWeightOne) return false;
  if (w == 0) return true;
  return (Hash32(kHashRjenkins1, x, item) & 0xffff) >= w;
}

// Depth-first: fills positions one after the other, retrying a position
// (locally in the same bucket, then from the top with r' = r + ftotal) when
// the item collides, is out, or (chooseleaf) has no usable leaf.
int Mapper::ChooseFirstn(const Choice& c, const Bucket& bucket, int numrep, int type, int* out, int outpos,
                         int out_size, unsigned tries, unsigned recurse_tries, bool recurse_to_leaf,
                         int* out2, int parent_r) {
  int count = out_size;
  for (int rep = c.stable ? 0 : outpos; rep < numrep && count > 0; ++rep) {
    unsigned ftotal = 0;
    bool skip_rep = false;
    int item = 0;
    bool retry_descent;
    do {
      retry_descent = false;
      const Bucket* in = &bucket;
      unsigned flocal = 0;
      bool retry_bucket;
      do {
        retry_bucket = false;
        bool collide = false, reject = false;
        const int r = rep + parent_r + static_cast<int>(ftotal);
        int itemtype = 0;
        if (in->items.empty()) {
          reject = true;
        } else {
          if (c.local_fallback_retries > 0 && flocal >= (in->items.size() >> 1) &&
              flocal > c.local_fallback_retries) {
            item = PermChoose(*in, c.x, r);
          } else {
            item = BucketChoose(*in, c.x, r, outpos);
          }
          if (item >= map_.max_devices) {
            skip_rep = true;
            break;
          }
          const Bucket* sub = map_.bucket(item);
          itemtype = item < 0 && sub ? sub->type : 0;
          if (itemtype != type) {
            if (item >= 0 || !sub) {
              skip_rep = true;
              break;
            }
            in = sub;
            retry_bucket = true;
            continue;
          }
          collide = std::find(out, out + outpos, item) != out + outpos;
          if (!collide && recurse_to_leaf) {
            if (item < 0) {
              const int sub_r = c.vary_r ? r >> (c.vary_r - 1) : 0;
              if (ChooseFirstn(c, *sub, c.stable ? 1 : outpos + 1, 0, out2, outpos, count, recurse_tries, 0,
                               false, nullptr, sub_r) <= outpos) {
                reject = true;  // no leaf under this item
              }
            } else {
              out2[outpos] = item;  // already a leaf
            }
          }
          if (!reject && !collide && itemtype == 0) reject = IsOut(c.weights, item, c.x);
        }
        if (reject || collide) {
          ++ftotal;
          ++flocal;
          if (collide && flocal <= c.local_retries) {
            retry_bucket = true;
          } else if (c.local_fallback_retries > 0 && flocal <= in->items.size() + c.local_fallback_retries) {
            retry_bucket = true;  // exhaustive search of this bucket
          } else if (ftotal < tries) {
            retry_descent = true;
          } else {
            skip_rep = true;
          }
        }
      } while (retry_bucket);
    } while (retry_descent);
    if (skip_rep) continue;
    out[outpos++] = item;
    --count;
  }
  return outpos;
}

// Breadth-first and positionally stable: each open position draws with
// r' = rep + numrep * ftotal, so a failure shifts no other position (the
// mode for erasure codes). Unfilled positions end as kItemNone.
void Mapper::ChooseIndep(const Choice& c, const Bucket& bucket, int left, int numrep, int type, int* out,
                         int outpos, unsigned tries, unsigned recurse_tries, bool recurse_to_leaf, int* out2,
                         int parent_r) {
  const int endpos = outpos + left;
  for (int rep = outpos; rep < endpos; ++rep) {
    out[rep] = kItemUndef;
    if (out2) out2[rep] = kItemUndef;
  }
  for (unsigned ftotal = 0; left > 0 && ftotal < tries; ++ftotal) {
    for (int rep = outpos; rep < endpos; ++rep) {
      if (out[rep] != kItemUndef) continue;
      const Bucket* in = &bucket;
      for (;;) {
        int r = rep + parent_r;
        if (in->alg == BucketAlg::kUniform && in->items.size() % numrep == 0) {
          r += (numrep + 1) * static_cast<int>(ftotal);
        } else {
          r += numrep * static_cast<int>(ftotal);
        }
        if (in->items.empty()) break;
        const int item = BucketChoose(*in, c.x, r, outpos);
        if (item >= map_.max_devices) {
          out[rep] = kItemNone;
          if (out2) out2[rep] = kItemNone;
          --left;
          break;
        }
        const Bucket* sub = map_.bucket(item);
        const int itemtype = item < 0 && sub ? sub->type : 0;
        if (itemtype != type) {
          if (item >= 0 || !sub) {
            out[rep] = kItemNone;
            if (out2) out2[rep] = kItemNone;
            --left;
            break;
          }
          in = sub;
          continue;
        }
        if (std::find(out + outpos, out + endpos, item) != out + endpos) break;  // collision
        if (recurse_to_leaf) {
          if (item < 0) {
            ChooseIndep(c, *sub, 1, numrep, 0, out2, rep, recurse_tries, 0, false, nullptr, r);
            if (out2[rep] == kItemNone) break;  // no leaf
          } else {
            out2[rep] = item;
          }
        }
        if (itemtype == 0 && IsOut(c.weights, item, c.x)) break;
        out[rep] = item;
        --left;
        break;
      }
    }
  }
  for (int rep = outpos; rep < endpos; ++rep) {
    if (out[rep] == kItemUndef) out[rep] = kItemNone;
    if (out2 && out2[rep] == kItemUndef) out2[rep] = kItemNone;
  }
}

std::vector<int> Mapper::DoRule(int ruleno, int x, int result_max, const std::vector<uint32_t>& weights) {
  std::vector<int> result;
  if (ruleno < 0 || ruleno >= static_cast<int>(map_.rules.size()) || !map_.rules[ruleno] || result_max <= 0) {
    return result;
  }
  if (perms_.size() != map_.buckets.size()) perms_.resize(map_.buckets.size());
  ++generation_;
  const Rule& rule = *map_.rules[ruleno];
  const Tunables& t = map_.tunables;
  // choose_total_tries counted retries, not tries: hence the + 1.
  unsigned choose_tries = t.choose_total_tries + 1;
  unsigned choose_leaf_tries = 0;
  Choice c{weights, x, t.choose_local_tries, t.choose_local_fallback_tries, t.chooseleaf_vary_r,
           t.chooseleaf_stable};

  std::vector<int> a(result_max), b(result_max), scratch(result_max);
  int* w = a.data();
  int* o = b.data();
  int wsize = 0;
  for (const Step& step : rule.steps) {
    switch (step.op) {
      case Op::kTake:
        if ((step.arg1 >= 0 && step.arg1 < map_.max_devices) || map_.bucket(step.arg1)) {
          w[0] = step.arg1;
          wsize = 1;
        }
        break;
      case Op::kSetChooseTries:
        if (step.arg1 > 0) choose_tries = step.arg1;
        break;
      case Op::kSetChooseleafTries:
        if (step.arg1 > 0) choose_leaf_tries = step.arg1;
        break;
      case Op::kSetChooseLocalTries:
        if (step.arg1 >= 0) c.local_retries = step.arg1;
        break;
      case Op::kSetChooseLocalFallbackTries:
        if (step.arg1 >= 0) c.local_fallback_retries = step.arg1;
        break;
      case Op::kSetChooseleafVaryR:
        if (step.arg1 >= 0) c.vary_r = step.arg1;
        break;
      case Op::kSetChooseleafStable:
        if (step.arg1 >= 0) c.stable = step.arg1;
        break;
      case Op::kChooseFirstn:
      case Op::kChooseIndep:
      case Op::kChooseleafFirstn:
      case Op::kChooseleafIndep: {
        if (wsize == 0) break;
        const bool firstn = step.op == Op::kChooseFirstn || step.op == Op::kChooseleafFirstn;
        const bool leaf = step.op == Op::kChooseleafFirstn || step.op == Op::kChooseleafIndep;
        int osize = 0;
        for (int i = 0; i < wsize; ++i) {
          int numrep = step.arg1;
          if (numrep <= 0) {
            numrep += result_max;
            if (numrep <= 0) continue;
          }
          const Bucket* from = map_.bucket(w[i]);
          if (!from) continue;  // a device or kItemNone
          if (firstn) {
            unsigned recurse_tries = choose_leaf_tries ? choose_leaf_tries
                                     : t.chooseleaf_descend_once ? 1
                                                                 : choose_tries;
            osize += ChooseFirstn(c, *from, numrep, step.arg2, o + osize, 0, result_max - osize, choose_tries,
                                  recurse_tries, leaf, scratch.data() + osize, 0);
          } else {
            const int out_size = std::min(numrep, result_max - osize);
            ChooseIndep(c, *from, out_size, numrep, step.arg2, o + osize, 0, choose_tries,
                        choose_leaf_tries ? choose_leaf_tries : 1, leaf, scratch.data() + osize, 0);
            osize += out_size;
          }
        }
        if (leaf) std::copy(scratch.begin(), scratch.begin() + osize, o);
        std::swap(o, w);
        wsize = osize;
        break;
      }
      case Op::kEmit:
        for (int i = 0; i < wsize && static_cast<int>(result.size()) < result_max; ++i) result.push_back(w[i]);
        wsize = 0;
        break;
      case Op::kNoop:
        break;
    }
  }
  return result;
}

}  // namespace cs::crush
