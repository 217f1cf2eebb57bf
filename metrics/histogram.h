// LatencyHistogram: response times in bounded memory, in the manner of
// HdrHistogram's log-linear buckets. Values are microseconds. Below 128 us
// every microsecond has its own bucket; above, each power of two is split
// into 64 equal buckets, so a bucket is at most 1/64 (1.6 %) of its value
// wide and its midpoint, which percentiles report, is within 0.8 % of any
// value it holds. Values from 2^40 us (12.7 days) up share the last bucket.
// Count, sum, min and max are exact. 2,240 buckets: 17.5 KiB, whatever the
// number of values. Not thread-safe: the shared recorder
// (metrics/registry.h) keeps atomic shards and merges them into these.
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace cs::metrics {

constexpr int kSubBucketBits = 6;                        // 64 buckets per power of two
constexpr uint64_t kLinearLimit = 1u << (kSubBucketBits + 1);  // 128: exact below
constexpr int kMaxExponent = 40;                         // values >= 2^40 us share the last bucket
constexpr size_t kBucketCount =
    kLinearLimit + static_cast<size_t>(kMaxExponent - kSubBucketBits - 1) * (1u << kSubBucketBits);

// Which bucket holds `micros`.
size_t BucketIndex(uint64_t micros);
// The bucket's range: [lower, upper).
uint64_t BucketLower(size_t index);
uint64_t BucketUpper(size_t index);
// The value a bucket stands for (its midpoint), in microseconds.
double BucketValue(size_t index);

class LatencyHistogram {
 public:
  LatencyHistogram();

  void Record(uint64_t micros);
  // Adds `n` values in bucket `index` whose sum is known elsewhere (merging
  // atomic shards); call SetExtremes/AddSum alongside.
  void AddBucket(size_t index, uint64_t n) { counts_[index] += n; }
  void AddTotals(uint64_t count, uint64_t sum_micros, uint64_t min_micros, uint64_t max_micros);
  void Merge(const LatencyHistogram& other);
  // this - earlier, for a window between two cumulative readings. Min and
  // max of the window are bounded by its lowest and highest buckets.
  LatencyHistogram Since(const LatencyHistogram& earlier) const;

  uint64_t count() const { return count_; }
  uint64_t sum_micros() const { return sum_; }
  uint64_t min_micros() const { return count_ ? min_ : 0; }
  uint64_t max_micros() const { return max_; }
  double mean_micros() const { return count_ ? static_cast<double>(sum_) / static_cast<double>(count_) : 0.0; }
  // The value at quantile q (0..1): the smallest bucket value with at least
  // ceil(q * count) values at or below it, clamped to [min, max]; q = 1 is
  // the max. 0 when empty.
  double Percentile(double q) const;
  // Non-empty buckets: (bucket value in microseconds, count), ascending.
  std::vector<std::pair<double, uint64_t>> NonEmptyBuckets() const;
  // How many values are certainly <= micros (buckets wholly at or below it).
  uint64_t CountAtOrBelow(uint64_t micros) const;
  uint64_t bucket(size_t index) const { return counts_[index]; }

 private:
  std::vector<uint64_t> counts_;
  uint64_t count_ = 0;
  uint64_t sum_ = 0;
  uint64_t min_ = UINT64_MAX;
  uint64_t max_ = 0;
};

}  // namespace cs::metrics
