// systemd_journal: injected lines once, log_rate lines per poll, nothing
// when there is nothing, long backlogs split but never dropped.
#include "sim/plugins/log_lines.h"
#include "tests/plugins/plugin_test_util.h"

namespace cs {
namespace {

class JournalPluginTest : public PluginTest {
 protected:
  void SetUp() override { SetupWorld(Fleet(1)); }
  PluginBodies Update() { return Poll(*plugin, "test000", agent, false); }
  std::vector<std::string> Messages(const PluginBodies& bodies) {
    std::vector<std::string> out;
    for (const Json& b : bodies) {
      for (const Json& line : b["log_lines"]) out.push_back(line["message"]);
    }
    return out;
  }
  std::unique_ptr<DevicePlugin> plugin = MakeSystemdJournalPlugin();
  TestAgent agent{1};
};

TEST_F(JournalPluginTest, NothingToSendSendsNothing) {
  EXPECT_TRUE(Update().empty());
  EXPECT_TRUE(Update().empty());
}

TEST_F(JournalPluginTest, InjectedLinesGoOutOnce) {
  agent.pending.push_back(MakeLogLine("Lustre: one", clock.Now()));
  agent.pending.push_back(MakeLogLine("Lustre: two", clock.Now()));
  EXPECT_EQ(Messages(Update()), (std::vector<std::string>{"Lustre: one", "Lustre: two"}));
  EXPECT_TRUE(agent.pending.empty());
  EXPECT_TRUE(Update().empty());
}

TEST_F(JournalPluginTest, SessionStartSendsTheMarkerAndWhatIsPending) {
  agent.pending.push_back(MakeLogLine("Lustre: waiting", clock.Now()));
  std::vector<std::string> m = Messages(Poll(*plugin, "test000", agent, true));
  ASSERT_EQ(m.size(), 2u);
  EXPECT_NE(m[0].find("session start test000.localdomain"), std::string::npos) << m[0];
  EXPECT_EQ(m[1], "Lustre: waiting");
}

TEST_F(JournalPluginTest, LogRateLinesEveryPoll) {
  MutableServer("test000").log_rate = 3;
  for (int poll = 0; poll < 2; ++poll) {
    std::vector<std::string> m = Messages(Update());
    ASSERT_EQ(m.size(), 3u);
    EXPECT_EQ(m[2].rfind("test000.localdomain ", 0), 0u) << m[2];
    clock.Advance(std::chrono::seconds(10));
  }
  agent.pending.push_back(MakeLogLine("injected", clock.Now()));
  EXPECT_EQ(Messages(Update()).size(), 4u);
}

TEST_F(JournalPluginTest, LongBacklogsAreSplitNotDropped) {
  MutableServer("test000").log_rate = 100;
  for (int i = 0; i < 50; ++i) agent.pending.push_back(MakeLogLine("x", clock.Now()));
  PluginBodies bodies = Update();
  ASSERT_EQ(bodies.size(), 3u);
  EXPECT_EQ(bodies[0]["log_lines"].size(), kMaxLogLinesPerMessage);
  EXPECT_EQ(bodies[1]["log_lines"].size(), kMaxLogLinesPerMessage);
  EXPECT_EQ(bodies[2]["log_lines"].size(), 150 - 2 * kMaxLogLinesPerMessage);
}

}  // namespace
}  // namespace cs
