// The manager's journal store behind api/log/: lines kept per body, pages
// with limit/offset/total_count, filters, persistence, the bound, bad
// queries; batched writes (Stage/Flush) and the receive queue that batches
// them (a run of messages, then its flush, then the acknowledgements).
#include <gtest/gtest.h>

#include <condition_variable>
#include <mutex>
#include <thread>

#include "manager/log_store.h"
#include "manager/rx_queues.h"

namespace cs::manager {
namespace {

Json Body(int from, int n, const std::string& word = "line") {
  Json lines = Json::array();
  for (int i = from; i < from + n; ++i) {
    lines.push_back({{"message", word + " " + std::to_string(i)}, {"datetime", "2026-01-01T00:00:00Z"},
                     {"severity", 1}, {"facility", 2}, {"source", "cluster_sim"}});
  }
  return {{"log_lines", lines}};
}

TEST(LogStore, PagesFiltersAndPersists) {
  const std::string path = ::testing::TempDir() + "/log_store_test.db";
  std::remove(path.c_str());
  {
    auto store = LogStore::Open(path);
    ASSERT_TRUE(store.ok()) << store.status().message();
    ASSERT_TRUE((*store)->Append("a.local", Body(0, 30)).ok());
    ASSERT_TRUE((*store)->Append("b.local", Body(0, 5, "other_%")).ok());
    EXPECT_FALSE((*store)->Append("a.local", Json{{"lines", 1}}).ok());
  }
  auto store = LogStore::Open(path);  // what was stored survives a restart
  ASSERT_TRUE(store.ok());
  LogQuery q;
  Result<Json> page = (*store)->List(q);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ((*page)["meta"]["total_count"], 35);
  EXPECT_EQ((*page)["meta"]["limit"], 20);
  EXPECT_EQ((*page)["objects"].size(), 20u);
  EXPECT_EQ((*page)["objects"][0]["message"], "line 0");
  EXPECT_EQ((*page)["objects"][0]["fqdn"], "a.local");
  q.offset = 20;
  EXPECT_EQ((*(*store)->List(q))["objects"].size(), 15u);
  q = LogQuery();
  q.fqdn = "b.local";
  EXPECT_EQ((*(*store)->List(q))["meta"]["total_count"], 5);
  q = LogQuery();
  q.message_contains = "line 2";  // line 2, 20..29
  EXPECT_EQ((*(*store)->List(q))["meta"]["total_count"], 11);
  q.message_contains = "_%";  // LIKE wildcards match themselves only
  EXPECT_EQ((*(*store)->List(q))["meta"]["total_count"], 5);
  q = LogQuery();
  q.limit = 0;
  EXPECT_EQ((*(*store)->List(q))["objects"].size(), 35u);
}

TEST(LogStore, KeepsAtMostMaxLines) {
  const std::string path = ::testing::TempDir() + "/log_store_bound.db";
  std::remove(path.c_str());
  auto store = LogStore::Open(path, 500);
  ASSERT_TRUE(store.ok());
  for (int i = 0; i < 30; ++i) ASSERT_TRUE((*store)->Append("a", Body(i * 64, 64)).ok());
  LogQuery q;
  const int64_t total = (*(*store)->List(q))["meta"]["total_count"];
  EXPECT_LE(total, 500 + 1000);  // trimmed every 1000 lines appended
  EXPECT_LT(total, 30 * 64);
}

TEST(LogStore, StagedLinesAreWrittenInOneTransactionByFlush) {
  const std::string path = ::testing::TempDir() + "/log_store_batch.db";
  std::remove(path.c_str());
  std::remove((path + "-wal").c_str());
  auto store = LogStore::Open(path);
  ASSERT_TRUE(store.ok());
  LogStore& logs = **store;
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(logs.Stage(i % 2 ? "b" : "a", Body(i * 64, 64)).ok());
  LogQuery q;
  EXPECT_EQ((*logs.List(q))["meta"]["total_count"], 0);  // staged, not written
  ASSERT_TRUE(logs.Flush().ok());
  EXPECT_EQ(logs.transactions(), 1);
  q.limit = 0;
  const Json all = *logs.List(q);
  EXPECT_EQ(all["meta"]["total_count"], 640);
  EXPECT_EQ(all["objects"][0]["message"], "line 0");  // in the order staged
  EXPECT_EQ(all["objects"][639]["message"], "line 639");
  ASSERT_TRUE(logs.Flush().ok());  // nothing staged: no transaction
  EXPECT_EQ(logs.transactions(), 1);
  EXPECT_FALSE(logs.Stage("a", Json{{"log_lines", "x"}}).ok());
}

// The first message blocks until ten more are queued behind it: the
// consumer then takes those ten as one run, with one flush, and
// acknowledges a run only after its flush.
TEST(RxQueues, ARunOfMessagesIsFlushedOnceThenAcknowledged) {
  RxQueues rx;
  std::mutex mu;
  std::condition_variable cv;
  int queued = 0, ran = 0;
  bool started = false;
  std::vector<uint64_t> acked_at_flush;
  rx.SetFlush("q", [&] {
    for (const QueueFigures& f : rx.Figures()) {
      if (f.name == "q") acked_at_flush.push_back(f.acked);
    }
  });
  std::thread first([&] {
    rx.Publish("q", [&] {
      std::unique_lock<std::mutex> lock(mu);
      started = true;
      cv.notify_all();
      cv.wait_for(lock, std::chrono::seconds(30), [&] { return queued == 10; });
      ++ran;
    });
  });
  {
    std::unique_lock<std::mutex> lock(mu);
    ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds(30), [&] { return started; }));
  }
  for (int i = 0; i < 10; ++i) {
    rx.Publish("q", [&] { ++ran; });  // the queue is being consumed: only appended
    std::lock_guard<std::mutex> lock(mu);
    ++queued;
  }
  cv.notify_all();
  first.join();
  EXPECT_EQ(ran, 11);
  ASSERT_EQ(acked_at_flush.size(), 2u);  // the first message, then the run of ten
  EXPECT_EQ(acked_at_flush[0], 0u);
  EXPECT_EQ(acked_at_flush[1], 1u);
  EXPECT_EQ(rx.Figures()[0].acked, 11u);
}

TEST(LogStore, BadQueriesAreRefused) {
  EXPECT_FALSE(ParseLogQuery({{"limit", "ten"}}).ok());
  EXPECT_FALSE(ParseLogQuery({{"offset", "-1"}}).ok());
  auto q = ParseLogQuery({{"limit", "5"}, {"offset", "10"}, {"fqdn", "a"}, {"message__contains", "x"}});
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->limit, 5);
  EXPECT_EQ(q->offset, 10);
  EXPECT_EQ(*q->fqdn, "a");
}

}  // namespace
}  // namespace cs::manager
