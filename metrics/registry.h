// Registry: where the agents' requests are recorded, cheaply enough for
// 10,000 agents on a few threads. Each recording thread gets its own shard
// (found through a thread_local cache, registered once per thread and
// registry): histogram buckets, count, sum, min and max are relaxed atomics
// in that shard, so recording takes no lock at all and two threads never
// write the same cache line of counters. Failure reasons (rare) go to a
// small map guarded by the shard's own mutex, which only that thread and a
// reader ever take. Reading (Collect) merges every shard; it is
// consistent per counter, not across counters (a value recorded while
// Collect runs may be in the count and not yet in its bucket), which is
// why the bucket sum is taken as the count (see Collect).
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "metrics/histogram.h"
#include "metrics/request_kind.h"
#include "metrics/snapshot.h"

namespace cs::metrics {

class Registry {
 public:
  Registry();
  ~Registry();
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;

  // One request of `kind` that took `micros`; `failure` empty when it
  // succeeded, else its reason (metrics/failure_reason.h). `content_bytes`:
  // the answer's body size.
  void Record(RequestKind kind, uint64_t micros, const std::string& failure = {}, uint64_t content_bytes = 0);
  // Messages one long-poll answer delivered.
  void AddLongPollMessages(uint64_t n);

  // Every request type (all five, empty ones too), in RequestKind order.
  std::vector<RequestStats> Collect() const;
  uint64_t long_poll_messages() const;

 private:
  struct Shard;
  Shard& LocalShard();

  const uint64_t id_;  // never reused: a thread's cache cannot confuse two registries
  mutable std::mutex shards_mu_;  // taken once per thread (first record) and by readers
  std::vector<std::unique_ptr<Shard>> shards_;
};

}  // namespace cs::metrics
