#include "crush/builder.h"

#include <cmath>

namespace cs::crush {

namespace {

int TreeDepth(int size) {
  int depth = 1;
  for (int t = size - 1; t > 0; t >>= 1) ++depth;
  return depth;
}
int TreeHeight(int n) {
  int h = 0;
  while ((n & 1) == 0) {
    ++h;
    n >>= 1;
  }
  return h;
}
int TreeParent(int n) {
  const int h = TreeHeight(n);
  return (n & (1 << (h + 1))) ? n - (1 << h) : n + (1 << h);
}

void BuildTree(Bucket& b) {
  const int size = static_cast<int>(b.items.size());
  const int depth = TreeDepth(size);
  b.node_weights.assign(size_t{1} << depth, 0);
  for (int i = 0; i < size; ++i) {
    int node = ((i + 1) << 1) - 1;  // leaves are the odd nodes
    b.node_weights[node] = b.item_weights[i];
    for (int j = 1; j < depth; ++j) {
      node = TreeParent(node);
      b.node_weights[node] += b.item_weights[i];
    }
  }
}

// Straw lengths: items sorted by weight, each straw scaled so that the
// longest draw wins with probability proportional to weight. Version 0 is
// Ceph's original (imprecise for repeated weights), kept for old maps.
void BuildStraws(Bucket& b, uint32_t version) {
  const int size = static_cast<int>(b.items.size());
  const std::vector<uint32_t>& w = b.item_weights;
  b.straws.assign(size, 0);
  // Stable insertion sort of positions by ascending weight.
  std::vector<int> order;
  for (int i = 0; i < size; ++i) {
    int j = 0;
    while (j < i && !(w[i] < w[order[j]])) ++j;
    order.insert(order.begin() + j, i);
  }
  int numleft = size;
  double straw = 1.0, wbelow = 0, lastw = 0;
  for (int i = 0; i < size;) {
    if (w[order[i]] == 0) {
      b.straws[order[i]] = 0;
      ++i;
      if (version >= 1) --numleft;
      continue;
    }
    b.straws[order[i]] = static_cast<uint32_t>(straw * 0x10000);
    ++i;
    if (i == size) break;
    if (version == 0) {
      if (w[order[i]] == w[order[i - 1]]) continue;
      wbelow += (static_cast<double>(w[order[i - 1]]) - lastw) * numleft;
      for (int j = i; j < size && w[order[j]] == w[order[i]]; ++j) --numleft;
    } else {
      wbelow += (static_cast<double>(w[order[i - 1]]) - lastw) * numleft;
      --numleft;
    }
    // Ceph multiplies in 32-bit unsigned arithmetic; so do we.
    const double wnext = static_cast<uint32_t>(numleft) * (w[order[i]] - w[order[i - 1]]);
    const double pbelow = wbelow / (wbelow + wnext);
    straw *= std::pow(1.0 / pbelow, 1.0 / numleft);
    lastw = w[order[i - 1]];
  }
}

}  // namespace

Bucket MakeBucket(BucketAlg alg, int hash, int type, const std::vector<int>& items,
                  const std::vector<uint32_t>& weights, uint32_t straw_calc_version) {
  Bucket b;
  b.alg = alg;
  b.hash = hash;
  b.type = type;
  b.items = items;
  b.item_weights = weights;
  if (alg == BucketAlg::kUniform) {
    const uint32_t each = weights.empty() ? 0 : weights[0];
    b.item_weights.assign(items.size(), each);
    b.weight = each * static_cast<uint32_t>(items.size());
    return b;
  }
  for (uint32_t w : weights) {
    b.weight += w;
    b.sum_weights.push_back(b.weight);
  }
  if (alg != BucketAlg::kList) b.sum_weights.clear();
  if (alg == BucketAlg::kTree) BuildTree(b);
  if (alg == BucketAlg::kStraw) BuildStraws(b, straw_calc_version);
  return b;
}

int NextBucketId(const Map& map) {
  int pos = 0;
  while (pos < map.max_buckets() && map.buckets[pos]) ++pos;
  return -1 - pos;
}

Status AddBucket(Map& map, int id, Bucket bucket) {
  if (id >= 0) return Status::InvalidArgument("bucket id " + std::to_string(id) + " is not negative");
  const size_t pos = static_cast<size_t>(-1L - id);
  size_t capacity = map.buckets.size();
  while (pos >= capacity) capacity = capacity ? capacity * 2 : 8;
  map.buckets.resize(capacity);
  if (map.buckets[pos]) return Status::AlreadyExists("Duplicate bucket id " + std::to_string(id));
  bucket.id = id;
  map.buckets[pos] = std::move(bucket);
  return Status::Ok();
}

void Finalize(Map& map) {
  int max_devices = 0;
  for (const auto& b : map.buckets) {
    if (!b) continue;
    for (int item : b->items) {
      if (item >= max_devices) max_devices = item + 1;
    }
  }
  if (!map.item_names.empty() && map.item_names.rbegin()->first >= max_devices) {
    max_devices = map.item_names.rbegin()->first + 1;
  }
  map.max_devices = max_devices;
}

}  // namespace cs::crush
