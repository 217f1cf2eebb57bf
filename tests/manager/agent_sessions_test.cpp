// AgentSessions: the pure session and contact logic, on a fixed clock.
#include "manager/agent_sessions.h"

#include <gtest/gtest.h>

namespace cs::manager {
namespace {

const WallTime kT0 = WallTime(std::chrono::seconds(1'700'000'000));

TEST(AgentSessionsTest, FirstStartTimeAndEveryChangeAskForAReset) {
  AgentSessions s;
  EXPECT_TRUE(s.Contact("h", "boot1", "start1", kT0).terminate_all);
  EXPECT_FALSE(s.Contact("h", "boot1", "start1", kT0).terminate_all);
  // Raw strings: the same instant written differently is a different agent.
  EXPECT_TRUE(s.Contact("h", "boot1", "start1 ", kT0).terminate_all);
  // POSTs pass no times and never reset.
  EXPECT_FALSE(s.Contact("h", std::nullopt, std::nullopt, kT0).terminate_all);
}

TEST(AgentSessionsTest, RebootOnlyWhenABootTimeWasKnown) {
  AgentSessions s;
  s.KnowHost("h", "boot1");
  EXPECT_FALSE(s.Contact("h", "boot1", "start", kT0).rebooted);
  ContactResult r = s.Contact("h", "boot2", "start", kT0);
  EXPECT_TRUE(r.rebooted);
  EXPECT_TRUE(r.boot_time_changed);
  ContactResult fresh = s.Contact("other", "boot1", "start", kT0);
  EXPECT_FALSE(fresh.rebooted);
  EXPECT_TRUE(fresh.boot_time_changed);
}

TEST(AgentSessionsTest, SessionsAreReplacedAndDropped) {
  AgentSessions s;
  std::optional<std::string> replaced;
  const std::string a = s.Create("h", "linux", &replaced);
  EXPECT_FALSE(replaced.has_value());
  EXPECT_TRUE(s.IsCurrent("h", "linux", a));
  const std::string b = s.Create("h", "linux", &replaced);
  EXPECT_EQ(replaced, a);
  EXPECT_NE(a, b);
  EXPECT_FALSE(s.IsCurrent("h", "linux", a));
  EXPECT_FALSE(s.IsCurrent("h", "lustre", std::string("x")));
  EXPECT_TRUE(s.IsCurrent("h", "lustre", std::nullopt));  // no session: a null id matches
  EXPECT_EQ(s.DropAll("h"), std::vector<std::string>{"linux"});
  EXPECT_FALSE(s.Get("h", "linux").has_value());
}

TEST(AgentSessionsTest, SilentHostsExpireOnceAndRecover) {
  AgentSessions s;
  s.KnowHost("never-seen", "");
  s.Contact("h", "b", "s", kT0);
  EXPECT_TRUE(s.ExpireSilent(kT0 + std::chrono::seconds(59), std::chrono::seconds(60)).empty());
  EXPECT_EQ(s.ExpireSilent(kT0 + std::chrono::seconds(61), std::chrono::seconds(60)),
            std::vector<std::string>{"h"});
  EXPECT_TRUE(s.ExpireSilent(kT0 + std::chrono::seconds(200), std::chrono::seconds(60)).empty());
  EXPECT_TRUE(s.Contact("h", "b", "s", kT0 + std::chrono::seconds(201)).became_reachable);
  // Counted once per time it went silent, for the benchmarks.
  for (const HostSessionStats& st : s.Stats()) {
    EXPECT_EQ(st.times_unreachable, st.fqdn == "h" ? 1 : 0) << st.fqdn;
    EXPECT_TRUE(st.reachable);
  }
}

}  // namespace
}  // namespace cs::manager
