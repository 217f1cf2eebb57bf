// LatencyHistogram: see histogram.h for the bucket layout.
#include "metrics/histogram.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace cs::metrics {

namespace {
constexpr uint64_t kSubBuckets = 1u << kSubBucketBits;
}

size_t BucketIndex(uint64_t micros) {
  if (micros < kLinearLimit) return static_cast<size_t>(micros);
  const int msb = 63 - std::countl_zero(micros);  // >= kSubBucketBits + 1
  if (msb >= kMaxExponent) return kBucketCount - 1;
  const int shift = msb - kSubBucketBits;
  const uint64_t mantissa = (micros >> shift) - kSubBuckets;  // 0..63
  return kLinearLimit + static_cast<size_t>(msb - kSubBucketBits - 1) * kSubBuckets + mantissa;
}

uint64_t BucketLower(size_t index) {
  if (index < kLinearLimit) return index;
  const size_t above = index - kLinearLimit;
  const int msb = static_cast<int>(above / kSubBuckets) + kSubBucketBits + 1;
  const uint64_t mantissa = kSubBuckets + above % kSubBuckets;
  return mantissa << (msb - kSubBucketBits);
}

uint64_t BucketUpper(size_t index) {
  if (index < kLinearLimit) return index + 1;
  if (index == kBucketCount - 1) return UINT64_MAX;
  return BucketLower(index + 1);
}

double BucketValue(size_t index) {
  if (index < kLinearLimit) return static_cast<double>(index);
  if (index == kBucketCount - 1) return static_cast<double>(BucketLower(index));
  return (static_cast<double>(BucketLower(index)) + static_cast<double>(BucketUpper(index) - 1)) / 2.0;
}

LatencyHistogram::LatencyHistogram() : counts_(kBucketCount, 0) {}

void LatencyHistogram::Record(uint64_t micros) {
  ++counts_[BucketIndex(micros)];
  AddTotals(1, micros, micros, micros);
}

void LatencyHistogram::AddTotals(uint64_t count, uint64_t sum_micros, uint64_t min_micros, uint64_t max_micros) {
  if (count == 0) return;
  count_ += count;
  sum_ += sum_micros;
  min_ = std::min(min_, min_micros);
  max_ = std::max(max_, max_micros);
}

void LatencyHistogram::Merge(const LatencyHistogram& other) {
  for (size_t i = 0; i < kBucketCount; ++i) counts_[i] += other.counts_[i];
  AddTotals(other.count_, other.sum_, other.min_, other.max_);
}

LatencyHistogram LatencyHistogram::Since(const LatencyHistogram& earlier) const {
  LatencyHistogram window;
  size_t lowest = kBucketCount, highest = 0;
  for (size_t i = 0; i < kBucketCount; ++i) {
    const uint64_t n = counts_[i] >= earlier.counts_[i] ? counts_[i] - earlier.counts_[i] : 0;
    window.counts_[i] = n;
    if (n) {
      lowest = std::min(lowest, i);
      highest = i;
    }
  }
  const uint64_t count = count_ >= earlier.count_ ? count_ - earlier.count_ : 0;
  const uint64_t sum = sum_ >= earlier.sum_ ? sum_ - earlier.sum_ : 0;
  if (count && lowest < kBucketCount) {
    window.AddTotals(count, sum, std::max(min_micros(), BucketLower(lowest)),
                     std::min(max_, BucketUpper(highest) - 1));
  }
  return window;
}

double LatencyHistogram::Percentile(double q) const {
  if (count_ == 0) return 0.0;
  if (q >= 1.0) return static_cast<double>(max_);
  const uint64_t rank = std::max<uint64_t>(1, static_cast<uint64_t>(std::ceil(q * static_cast<double>(count_))));
  uint64_t seen = 0;
  for (size_t i = 0; i < kBucketCount; ++i) {
    seen += counts_[i];
    if (seen >= rank) {
      return std::clamp(BucketValue(i), static_cast<double>(min_), static_cast<double>(max_));
    }
  }
  return static_cast<double>(max_);
}

std::vector<std::pair<double, uint64_t>> LatencyHistogram::NonEmptyBuckets() const {
  std::vector<std::pair<double, uint64_t>> out;
  for (size_t i = 0; i < kBucketCount; ++i) {
    if (counts_[i]) out.emplace_back(BucketValue(i), counts_[i]);
  }
  return out;
}

uint64_t LatencyHistogram::CountAtOrBelow(uint64_t micros) const {
  uint64_t n = 0;
  for (size_t i = 0; i < kBucketCount && BucketUpper(i) - 1 <= micros; ++i) n += counts_[i];
  return n;
}

}  // namespace cs::metrics
