#include "sim/agent/agent_core.h"

#include <gtest/gtest.h>

namespace cs::agent {
namespace {

using protocol::Message;
using protocol::MessageType;
using std::chrono::seconds;

WallTime T(double s) { return WallTime(std::chrono::microseconds(static_cast<int64_t>(s * 1e6))); }

class AgentCoreTest : public ::testing::Test {
 protected:
  AgentCore core{"test000.localdomain", {"linux", "lustre", "action_runner"}};

  std::vector<Message> Sent() { return core.TakeBatch(); }
  void Grant(const std::string& plugin, const std::string& id) {
    core.Handle({Message::SessionCreateResponse(plugin, id, "")});
  }
  static int Count(const std::vector<Message>& ms, MessageType type) {
    int n = 0;
    for (const auto& m : ms) n += m.type == type;
    return n;
  }
};

TEST_F(AgentCoreTest, FirstTickRequestsASessionPerPlugin) {
  EXPECT_TRUE(core.Tick(T(0)).empty());
  auto sent = Sent();
  ASSERT_EQ(sent.size(), 3u);
  for (const auto& m : sent) {
    EXPECT_EQ(m.type, MessageType::kSessionCreateRequest);
    EXPECT_EQ(m.fqdn, "test000.localdomain");
    EXPECT_FALSE(m.session_id);
  }
}

TEST_F(AgentCoreTest, SessionRequestsBackOffFrom10To60Seconds) {
  std::vector<double> request_times;
  AgentCore one("f", {"linux"});
  for (double t = 0; t <= 400; t += 1) {
    one.Tick(T(t));
    if (one.HasOutgoing()) {
      request_times.push_back(t);
      one.TakeBatch();
    }
  }
  // 0, +10, +20, +40, +60, +60, ...
  std::vector<double> expected = {0, 10, 30, 70, 130, 190, 250, 310, 370};
  EXPECT_EQ(request_times, expected);
}

TEST_F(AgentCoreTest, SessionPollsAtOnceThenEveryPollPeriodAndNumbersData) {
  core.Tick(T(0));
  Sent();
  Grant("linux", "s1");
  auto due = core.Tick(T(1));
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].plugin, "linux");
  EXPECT_TRUE(due[0].first);
  EXPECT_TRUE(core.QueueData("linux", "s1", Json{{"a", 1}}));
  EXPECT_TRUE(core.Tick(T(5)).empty());
  due = core.Tick(T(11));
  ASSERT_EQ(due.size(), 1u);
  EXPECT_FALSE(due[0].first);
  EXPECT_TRUE(core.QueueData("linux", "s1", Json{{"a", 2}}));
  auto sent = Sent();
  std::vector<int64_t> seqs;
  for (const auto& m : sent) {
    if (m.type == MessageType::kData) seqs.push_back(*m.session_seq);
  }
  EXPECT_EQ(seqs, (std::vector<int64_t>{0, 1}));
  EXPECT_FALSE(core.QueueData("linux", "old-session", Json{})) << "stale session id";
}

TEST_F(AgentCoreTest, TerminateAllDropsSessionsAndTheirQueuedData) {
  core.Tick(T(0));
  Sent();
  Grant("linux", "s1");
  Grant("lustre", "s2");
  core.Tick(T(1));
  core.QueueData("linux", "s1", Json{});
  core.Handle({Message::SessionTerminateAll("")});
  EXPECT_EQ(core.SessionCount(), 0u);
  for (const auto& m : Sent()) EXPECT_NE(m.type, MessageType::kData);
}

TEST_F(AgentCoreTest, SessionTerminateEndsOnlyThatPlugin) {
  Grant("linux", "s1");
  Grant("lustre", "s2");
  core.Handle({Message::SessionTerminate("linux", "")});
  EXPECT_FALSE(core.HasSession("linux"));
  EXPECT_TRUE(core.HasSession("lustre"));
}

TEST_F(AgentCoreTest, FailedPostTerminatesSessionsWhoseDataWasLost) {
  Grant("linux", "s1");
  Grant("lustre", "s2");
  core.Tick(T(0));
  Sent();
  core.QueueData("linux", "s1", Json{});
  auto batch = Sent();
  core.OnPostFailed(batch);
  EXPECT_FALSE(core.HasSession("linux"));
  EXPECT_TRUE(core.HasSession("lustre"));
  core.OnGetFailed();
  EXPECT_EQ(core.SessionCount(), 0u);
}

TEST_F(AgentCoreTest, ActionStartAndCancelAreReturnedAsWork) {
  Grant("action_runner", "ar1");
  Json start = {{"type", "ACTION_START"}, {"id", "a1"}, {"action", "start_lnet"}, {"args", Json::object()}};
  Json cancel = {{"type", "ACTION_CANCEL"}, {"id", "a0"}, {"action", nullptr}, {"args", nullptr}};
  IncomingWork work = core.Handle({Message::Data("action_runner", "ar1", std::nullopt, start, ""),
                                   Message::Data("action_runner", "ar1", std::nullopt, cancel, "")});
  ASSERT_EQ(work.starts.size(), 1u);
  EXPECT_EQ(work.starts[0].action, "start_lnet");
  EXPECT_EQ(work.starts[0].session_id, "ar1");
  EXPECT_EQ(work.cancels, std::vector<std::string>{"a0"});
  EXPECT_TRUE(core.QueueActionComplete("ar1", "a1", protocol::AgentResultOk(), std::nullopt));
  auto sent = Sent();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].body["type"], "ACTION_COMPLETE");
  EXPECT_EQ(sent[0].body["id"], "a1");
  EXPECT_TRUE(sent[0].body["exception"].is_null());
  EXPECT_EQ(sent[0].body["subprocesses"], Json::array());
}

TEST_F(AgentCoreTest, DataForAnUnknownSessionIsAWarningNotWork) {
  Grant("action_runner", "ar1");
  Json start = {{"type", "ACTION_START"}, {"id", "a1"}, {"action", "x"}, {"args", Json::object()}};
  IncomingWork work = core.Handle({Message::Data("action_runner", "other", std::nullopt, start, "")});
  EXPECT_TRUE(work.starts.empty());
  ASSERT_EQ(work.warnings.size(), 1u);
  work = core.Handle({Message::Data("action_runner", "ar1", std::nullopt, Json{{"type", "NOPE"}, {"id", "z"}}, "")});
  EXPECT_EQ(work.warnings.size(), 1u);
}

TEST_F(AgentCoreTest, CompletionAfterTheSessionEndedIsDropped) {
  Grant("action_runner", "ar1");
  core.Handle({Message::SessionTerminateAll("")});
  EXPECT_FALSE(core.QueueActionComplete("ar1", "a1", Json(), std::nullopt));
  EXPECT_FALSE(core.HasOutgoing());
}

TEST_F(AgentCoreTest, BatchesRespectTheByteLimit) {
  Grant("linux", "s1");
  for (int i = 0; i < 10; ++i) core.QueueData("linux", "s1", Json(std::string(1000, 'x')));
  auto first = core.TakeBatch(3000);
  EXPECT_GE(first.size(), 1u);
  EXPECT_LT(first.size(), 10u);
  size_t total = first.size();
  while (core.HasOutgoing()) total += core.TakeBatch(3000).size();
  EXPECT_EQ(total, 10u);
}

TEST_F(AgentCoreTest, NextDeadlineIsTheNextThingToDo) {
  EXPECT_EQ(core.NextDeadline(T(0)), T(0)) << "sessions to request now";
  core.Tick(T(0));
  EXPECT_EQ(core.NextDeadline(T(0)), T(10)) << "backing off";
  Grant("linux", "s1");
  EXPECT_EQ(core.NextDeadline(T(1)), T(1)) << "a new session polls at once";
  core.Tick(T(1));
  EXPECT_EQ(core.NextDeadline(T(2)), T(10));
}

}  // namespace
}  // namespace cs::agent
