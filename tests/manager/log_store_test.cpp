// The manager's journal store behind api/log/: lines kept per body, pages
// with limit/offset/total_count, filters, persistence, the bound, bad queries.
#include <gtest/gtest.h>

#include "manager/log_store.h"

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
