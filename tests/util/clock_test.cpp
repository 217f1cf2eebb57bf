#include "util/clock.h"

#include <gtest/gtest.h>

namespace cs {
namespace {

WallTime At(long long micros) { return WallTime(std::chrono::microseconds(micros)); }

TEST(AgentTimeTest, FormatsLikeTheOriginalAgent) {
  // 2018-03-23T01:02:03.123456 UTC
  WallTime t = At(1521766923123456LL);
  EXPECT_EQ(FormatAgentTime(t), "2018-03-23T01:02:03.123456+00:00Z");
}

TEST(AgentTimeTest, OmitsZeroMicroseconds) {
  EXPECT_EQ(FormatAgentTime(At(1521766923000000LL)), "2018-03-23T01:02:03+00:00Z");
}

TEST(AgentTimeTest, ParsesEveryFormManagersUse) {
  WallTime t;
  ASSERT_TRUE(ParseAgentTime("2018-03-23T01:02:03.123456+00:00Z", &t));
  EXPECT_EQ(t, At(1521766923123456LL));
  ASSERT_TRUE(ParseAgentTime("2018-03-23T01:02:03Z", &t));
  EXPECT_EQ(t, At(1521766923000000LL));
  ASSERT_TRUE(ParseAgentTime("2018-03-23T01:02:03.5+00:00", &t));
  EXPECT_EQ(t, At(1521766923500000LL));
}

TEST(AgentTimeTest, RejectsGarbage) {
  WallTime t;
  EXPECT_FALSE(ParseAgentTime("", &t));
  EXPECT_FALSE(ParseAgentTime("yesterday", &t));
  EXPECT_FALSE(ParseAgentTime("2018-03-23T01:02:03+02:00", &t));
  EXPECT_FALSE(ParseAgentTime("2018-03-23T01:02:03.Z", &t));
}

TEST(AgentTimeTest, RoundTrips) {
  for (long long micros : {0LL, 1LL, 999999LL, 1521766923123456LL, 4102444799999999LL}) {
    WallTime t;
    ASSERT_TRUE(ParseAgentTime(FormatAgentTime(At(micros)), &t)) << micros;
    EXPECT_EQ(t, At(micros));
  }
}

TEST(ManualClockTest, MovesOnlyWhenTold) {
  ManualClock clock(At(1000));
  EXPECT_EQ(clock.Now(), At(1000));
  clock.Advance(std::chrono::seconds(2));
  EXPECT_EQ(clock.Now(), At(2001000));
  clock.Set(At(5));
  EXPECT_EQ(clock.Now(), At(5));
}

}  // namespace
}  // namespace cs
