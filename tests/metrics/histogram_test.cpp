// LatencyHistogram and Registry: percentiles against known distributions,
// the bucket layout's precision, merging, and recording from many threads.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <thread>

#include "metrics/histogram.h"
#include "metrics/registry.h"

namespace cs::metrics {
namespace {

// The exact quantile of sorted values, nearest-rank as the histogram does it.
double ExactQuantile(std::vector<uint64_t> values, double q) {
  std::sort(values.begin(), values.end());
  const size_t rank = std::max<size_t>(1, static_cast<size_t>(std::ceil(q * static_cast<double>(values.size()))));
  return static_cast<double>(values[rank - 1]);
}

TEST(HistogramTest, BucketsCoverEveryValueWithBoundedWidth) {
  for (uint64_t v : {0ull, 1ull, 127ull, 128ull, 129ull, 1000ull, 65535ull, 1234567ull, (1ull << 39) + 5}) {
    const size_t i = BucketIndex(v);
    ASSERT_LT(i, kBucketCount) << v;
    EXPECT_LE(BucketLower(i), v) << v;
    EXPECT_GT(BucketUpper(i), v) << v;
    // Width at most 1/64 of the bucket's lower bound above the linear range.
    if (v >= kLinearLimit) {
      EXPECT_LE(BucketUpper(i) - BucketLower(i), BucketLower(i) / 64) << v;
    }
  }
  // Contiguous: each bucket starts where the previous ended.
  for (size_t i = 1; i + 1 < kBucketCount; ++i) ASSERT_EQ(BucketLower(i), BucketUpper(i - 1)) << i;
  EXPECT_EQ(BucketIndex(UINT64_MAX), kBucketCount - 1);
}

TEST(HistogramTest, UniformOneToTenThousandHasItsKnownPercentiles) {
  LatencyHistogram h;
  for (uint64_t v = 1; v <= 10000; ++v) h.Record(v * 100);  // 0.1 ms .. 1 s
  EXPECT_EQ(h.count(), 10000u);
  EXPECT_EQ(h.min_micros(), 100u);
  EXPECT_EQ(h.max_micros(), 1000000u);
  EXPECT_DOUBLE_EQ(h.mean_micros(), 500050.0);
  const std::pair<double, double> expected[] = {{0.5, 500000}, {0.9, 900000}, {0.95, 950000},
                                                {0.99, 990000}, {0.999, 999000}, {1.0, 1000000}};
  for (const auto& [q, want] : expected) {
    EXPECT_NEAR(h.Percentile(q), want, want * 0.008) << "q=" << q;
  }
}

TEST(HistogramTest, LogNormalPercentilesWithinOnePercentOfTheExactOnes) {
  std::mt19937_64 gen(42);
  std::lognormal_distribution<double> dist(8.0, 1.5);  // median ~3 ms, long tail
  std::vector<uint64_t> values;
  LatencyHistogram h;
  for (int i = 0; i < 100000; ++i) {
    const auto v = static_cast<uint64_t>(dist(gen));
    values.push_back(v);
    h.Record(v);
  }
  for (double q : {0.5, 0.9, 0.95, 0.99, 0.999}) {
    const double exact = ExactQuantile(values, q);
    EXPECT_NEAR(h.Percentile(q), exact, std::max(1.0, exact * 0.01)) << "q=" << q;
  }
  EXPECT_EQ(h.max_micros(), *std::max_element(values.begin(), values.end()));
}

TEST(HistogramTest, MergeEqualsRecordingEverythingInOne) {
  LatencyHistogram a, b, all;
  for (uint64_t v = 0; v < 5000; ++v) {
    (v % 3 ? a : b).Record(v * 37);
    all.Record(v * 37);
  }
  a.Merge(b);
  EXPECT_EQ(a.count(), all.count());
  EXPECT_EQ(a.sum_micros(), all.sum_micros());
  EXPECT_EQ(a.min_micros(), all.min_micros());
  EXPECT_EQ(a.max_micros(), all.max_micros());
  for (double q : {0.5, 0.95, 0.999}) EXPECT_DOUBLE_EQ(a.Percentile(q), all.Percentile(q));
}

TEST(HistogramTest, SinceGivesTheWindowBetweenTwoReadings) {
  LatencyHistogram h;
  for (int i = 0; i < 100; ++i) h.Record(1000);
  const LatencyHistogram earlier = h;
  for (int i = 0; i < 10; ++i) h.Record(50000);
  const LatencyHistogram window = h.Since(earlier);
  EXPECT_EQ(window.count(), 10u);
  EXPECT_NEAR(window.Percentile(0.5), 50000, 400);
  EXPECT_NEAR(window.mean_micros(), 50000, 1);
}

TEST(HistogramTest, EmptyHistogramAnswersZero) {
  LatencyHistogram h;
  EXPECT_EQ(h.Percentile(0.5), 0.0);
  EXPECT_EQ(h.min_micros(), 0u);
  EXPECT_TRUE(h.NonEmptyBuckets().empty());
}

TEST(RegistryTest, ThreadsRecordApartAndCollectMergesThem) {
  Registry registry;
  constexpr int kThreads = 8, kPerThread = 20000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&registry, t] {
      for (int i = 1; i <= kPerThread; ++i) {
        registry.Record(RequestKind::kData, static_cast<uint64_t>(i), i % 100 == 0 ? "HTTP 500" : "", 10);
        if (t == 0 && i % 1000 == 0) registry.Record(RequestKind::kLongPoll, 5, "timeout");
      }
      registry.AddLongPollMessages(3);
    });
  }
  for (auto& th : threads) th.join();
  const std::vector<RequestStats> stats = registry.Collect();
  ASSERT_EQ(stats.size(), kRequestKindCount);
  const RequestStats& data = stats[static_cast<size_t>(RequestKind::kData)];
  EXPECT_EQ(data.type, "POST");
  EXPECT_EQ(data.name, "DATA");
  EXPECT_EQ(data.count(), uint64_t{kThreads} * kPerThread);
  EXPECT_EQ(data.failures, uint64_t{kThreads} * kPerThread / 100);
  EXPECT_EQ(data.failures_by_reason.at("HTTP 500"), data.failures);
  EXPECT_EQ(data.content_bytes, data.count() * 10);
  EXPECT_EQ(data.latency.min_micros(), 1u);
  EXPECT_EQ(data.latency.max_micros(), uint64_t{kPerThread});
  EXPECT_NEAR(data.latency.Percentile(0.5), kPerThread / 2, kPerThread * 0.008);
  EXPECT_NEAR(data.latency.Percentile(0.99), kPerThread * 0.99, kPerThread * 0.008);
  uint64_t in_buckets = 0;
  for (const auto& [value, n] : data.latency.NonEmptyBuckets()) in_buckets += n;
  EXPECT_EQ(in_buckets, data.count());
  EXPECT_EQ(stats[static_cast<size_t>(RequestKind::kLongPoll)].failures_by_reason.at("timeout"), 20u);
  EXPECT_EQ(registry.long_poll_messages(), uint64_t{kThreads} * 3);
  EXPECT_EQ(stats[static_cast<size_t>(RequestKind::kRegister)].count(), 0u);
}

TEST(RegistryTest, TwoRegistriesOnOneThreadStayApart) {
  auto first = std::make_unique<Registry>();
  first->Record(RequestKind::kRegister, 10);
  first.reset();  // its shard is gone; this thread's cache must not reuse it
  Registry second;
  second.Record(RequestKind::kRegister, 20);
  Registry third;
  third.Record(RequestKind::kRegister, 30);
  EXPECT_EQ(second.Collect()[0].count(), 1u);
  EXPECT_EQ(second.Collect()[0].latency.max_micros(), 20u);
  EXPECT_EQ(third.Collect()[0].latency.max_micros(), 30u);
}

}  // namespace
}  // namespace cs::metrics
