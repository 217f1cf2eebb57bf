// EscapeForLog: no value can forge a log line or drive a terminal, and no
// line is longer than the bound.
#include "util/log_escape.h"

#include <gtest/gtest.h>

namespace cs {
namespace {

TEST(LogEscapeTest, ControlCharactersAreShown) {
  EXPECT_EQ(EscapeForLog("plain text: ok", 100), "plain text: ok");
  EXPECT_EQ(EscapeForLog("a\nb\rc\td", 100), "a\\nb\\rc\\td");
  EXPECT_EQ(EscapeForLog(std::string("nul\0!", 5), 100), "nul\\x00!");
  EXPECT_EQ(EscapeForLog("\x1b[31mred\x7f", 100), "\\x1b[31mred\\x7f");
}

TEST(LogEscapeTest, Utf8IsKeptAndInvalidBytesAreShown) {
  EXPECT_EQ(EscapeForLog("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", 100), "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
  EXPECT_EQ(EscapeForLog("\xc2\x9b", 100), "\\xc2\\x9b");  // C1 CSI
  EXPECT_EQ(EscapeForLog("\xff\xfe", 100), "\\xff\\xfe");
  EXPECT_EQ(EscapeForLog("\xe2\x82", 100), "\\xe2\\x82");  // cut short
  EXPECT_EQ(EscapeForLog("\xc0\xaf", 100), "\\xc0\\xaf");  // overlong '/'
  EXPECT_EQ(EscapeForLog("\xed\xa0\x80", 100), "\\xed\\xa0\\x80");  // surrogate
}

TEST(LogEscapeTest, LongValuesAreCut) {
  const std::string cut = EscapeForLog(std::string(10 << 20, 'x'), 2048);
  EXPECT_LT(cut.size(), 2100u);
  EXPECT_NE(cut.find("(10485760 bytes)"), std::string::npos);
  EXPECT_LT(EscapeForLog(std::string(10000, '\n'), 100).size(), 140u);
}

}  // namespace
}  // namespace cs
