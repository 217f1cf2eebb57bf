// The shared number checker: NaN, infinity, overflow, text that is not a
// number, and documented ranges.
#include "util/number_check.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace cs {
namespace {

using nlohmann::json;

TEST(NumberCheckTest, IntegersWithinRange) {
  const IntRange r{0, 86400000};
  EXPECT_EQ(*CheckInteger("timeout_ms", json(1000), r), 1000);
  EXPECT_EQ(*CheckInteger("timeout_ms", json("3000"), r), 3000);
  EXPECT_EQ(*CheckInteger("timeout_ms", json("+5"), r), 5);
  EXPECT_EQ(*CheckInteger("timeout_ms", json(2.0), r), 2);
  auto big = CheckInteger("timeout_ms", json(9223372036854775807LL), r);
  ASSERT_FALSE(big.ok());
  EXPECT_EQ(big.status().message(), "timeout_ms must be from 0 to 86400000, not 9223372036854775807");
  EXPECT_FALSE(CheckInteger("t", json(18446744073709551615ULL), r).ok());
  EXPECT_FALSE(CheckInteger("t", json(1e13), r).ok());
  EXPECT_FALSE(CheckInteger("t", json(1e300), IntRange{INT64_MIN, INT64_MAX}).ok());
  EXPECT_FALSE(CheckInteger("t", json(9.3e18), IntRange{INT64_MIN, INT64_MAX}).ok());
  EXPECT_FALSE(CheckInteger("t", json(1.5), r).ok());
  EXPECT_FALSE(CheckInteger("t", json(-1), r).ok());
  EXPECT_FALSE(CheckInteger("t", json("99999999999999999999"), r).ok());
  EXPECT_FALSE(CheckInteger("t", json("12abc"), r).ok());
  EXPECT_FALSE(CheckInteger("t", json(""), r).ok());
  EXPECT_FALSE(CheckInteger("t", json(true), r).ok());
  EXPECT_FALSE(CheckInteger("t", json(std::numeric_limits<double>::quiet_NaN()), r).ok());
}

TEST(NumberCheckTest, RealsAreFiniteAndWithinRange) {
  const RealRange r{0, 3600};
  EXPECT_DOUBLE_EQ(*CheckReal("pause_seconds", json("2.5"), r), 2.5);
  EXPECT_DOUBLE_EQ(*CheckReal("pause_seconds", json(7), r), 7.0);
  for (const char* bad : {"nan", "NaN", "-nan", "inf", "-inf", "infinity", "abc", "", "1e400", "3601", "-0.1", "1,5",
                          " 1", "0x10"}) {
    EXPECT_FALSE(CheckReal("pause_seconds", json(bad), r).ok()) << bad;
  }
  auto nan = CheckReal("pause_seconds", json("nan"), r);
  EXPECT_NE(nan.status().message().find("pause_seconds"), std::string::npos);
  EXPECT_FALSE(CheckReal("p", json(std::numeric_limits<double>::infinity()), r).ok());
  EXPECT_FALSE(CheckReal("p", json(nullptr), r).ok());
}

TEST(NumberCheckTest, TextIsShownSafely) {
  auto r = ParseInteger("port", std::string("1\n2\0x", 5) + std::string(100, 'z'), IntRange{1, 65535});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message().find('\n'), std::string::npos);
  EXPECT_LT(r.status().message().size(), 120u);
}

}  // namespace
}  // namespace cs
