// Registry: thread-local atomic shards, merged on read (registry.h).
#include "metrics/registry.h"

#include <algorithm>

namespace cs::metrics {

namespace {

std::atomic<uint64_t> next_registry_id{1};

constexpr auto kRelaxed = std::memory_order_relaxed;

void StoreMin(std::atomic<uint64_t>& slot, uint64_t v) {
  uint64_t cur = slot.load(kRelaxed);
  while (v < cur && !slot.compare_exchange_weak(cur, v, kRelaxed)) {
  }
}

void StoreMax(std::atomic<uint64_t>& slot, uint64_t v) {
  uint64_t cur = slot.load(kRelaxed);
  while (v > cur && !slot.compare_exchange_weak(cur, v, kRelaxed)) {
  }
}

}  // namespace

struct Registry::Shard {
  struct PerKind {
    std::array<std::atomic<uint64_t>, kBucketCount> buckets{};
    std::atomic<uint64_t> count{0}, sum{0}, min{UINT64_MAX}, max{0}, failures{0}, content_bytes{0};
  };
  std::array<PerKind, kRequestKindCount> kinds;
  std::atomic<uint64_t> long_poll_messages{0};
  std::mutex reasons_mu;  // this thread and readers only
  std::array<std::map<std::string, uint64_t>, kRequestKindCount> reasons;
};

Registry::Registry() : id_(next_registry_id.fetch_add(1)) {}
Registry::~Registry() = default;

Registry::Shard& Registry::LocalShard() {
  // (registry id, shard) pairs this thread has used. Ids are never reused,
  // so an entry of a destroyed registry can never match and is never
  // dereferenced; the list is pruned past a few dozen entries.
  thread_local std::vector<std::pair<uint64_t, Shard*>> cache;
  for (const auto& [id, shard] : cache) {
    if (id == id_) return *shard;
  }
  auto shard = std::make_unique<Shard>();
  Shard* raw = shard.get();
  {
    std::lock_guard<std::mutex> lock(shards_mu_);
    shards_.push_back(std::move(shard));
  }
  if (cache.size() >= 32) cache.erase(cache.begin());
  cache.emplace_back(id_, raw);
  return *raw;
}

void Registry::Record(RequestKind kind, uint64_t micros, const std::string& failure, uint64_t content_bytes) {
  Shard& shard = LocalShard();
  Shard::PerKind& k = shard.kinds[static_cast<size_t>(kind)];
  k.buckets[BucketIndex(micros)].fetch_add(1, kRelaxed);
  k.count.fetch_add(1, kRelaxed);
  k.sum.fetch_add(micros, kRelaxed);
  StoreMin(k.min, micros);
  StoreMax(k.max, micros);
  if (content_bytes) k.content_bytes.fetch_add(content_bytes, kRelaxed);
  if (!failure.empty()) {
    k.failures.fetch_add(1, kRelaxed);
    std::lock_guard<std::mutex> lock(shard.reasons_mu);
    ++shard.reasons[static_cast<size_t>(kind)][failure];
  }
}

void Registry::AddLongPollMessages(uint64_t n) { LocalShard().long_poll_messages.fetch_add(n, kRelaxed); }

std::vector<RequestStats> Registry::Collect() const {
  std::vector<RequestStats> out(kRequestKindCount);
  for (size_t i = 0; i < kRequestKindCount; ++i) {
    out[i].type = kRequestNames[i].type;
    out[i].name = kRequestNames[i].name;
  }
  std::lock_guard<std::mutex> lock(shards_mu_);
  for (const auto& shard : shards_) {
    for (size_t i = 0; i < kRequestKindCount; ++i) {
      const Shard::PerKind& k = shard->kinds[i];
      uint64_t in_buckets = 0;
      for (size_t b = 0; b < kBucketCount; ++b) {
        const uint64_t n = k.buckets[b].load(kRelaxed);
        if (n) {
          out[i].latency.AddBucket(b, n);
          in_buckets += n;
        }
      }
      // The count is the buckets' sum, so the two always agree even when a
      // value is being recorded right now.
      out[i].latency.AddTotals(in_buckets, k.sum.load(kRelaxed), k.min.load(kRelaxed), k.max.load(kRelaxed));
      out[i].failures += k.failures.load(kRelaxed);
      out[i].content_bytes += k.content_bytes.load(kRelaxed);
    }
    std::lock_guard<std::mutex> reasons_lock(shard->reasons_mu);
    for (size_t i = 0; i < kRequestKindCount; ++i) {
      for (const auto& [reason, n] : shard->reasons[i]) out[i].failures_by_reason[reason] += n;
    }
  }
  return out;
}

uint64_t Registry::long_poll_messages() const {
  std::lock_guard<std::mutex> lock(shards_mu_);
  uint64_t n = 0;
  for (const auto& shard : shards_) n += shard->long_poll_messages.load(kRelaxed);
  return n;
}

}  // namespace cs::metrics
