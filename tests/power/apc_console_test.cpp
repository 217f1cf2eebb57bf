#include "fakes/power/apc_console.h"

#include <gtest/gtest.h>

#include <map>
#include <regex>

#include "tests/power/fake_outlets.h"
#include "util/clock.h"

namespace cs {
namespace {

using namespace std::chrono_literals;

class ApcConsoleTest : public ::testing::Test {
 protected:
  explicit ApcConsoleTest(ApcDialect dialect = ApcDialect::kMenuV3)
      : clock_(WallTime(std::chrono::seconds(1700000000))),
        console_(&outlets_, &clock_, Options(dialect, &clock_)) {}

  static ApcConsoleOptions Options(ApcDialect dialect, const Clock* clock) {
    ApcConsoleOptions o;
    o.dialect = dialect;
    o.boot_time = clock->Now() - std::chrono::hours(26);
    return o;
  }

  std::string Send(const std::string& text) { return console_.Receive(text); }
  std::string Login() {
    console_.Start();
    Send("apc\r\n");
    return Send("apc\r\n");
  }
  // The outlet list as fence_apc's get_power_status reads it.
  static std::map<std::string, std::pair<std::string, std::string>> ParseList(
      const std::string& screen) {
    std::map<std::string, std::pair<std::string, std::string>> outlets;
    const std::regex show(R"((^|\r)\s*(\d+)- (.*?)\s+(ON|OFF)\s*)");
    size_t start = 0;
    while (start < screen.size()) {
      size_t end = screen.find('\n', start);
      if (end == std::string::npos) end = screen.size();
      std::smatch m;
      const std::string line = screen.substr(start, end - start);
      if (std::regex_search(line, m, show)) outlets[m[2]] = {m[3], m[4]};
      start = end + 1;
    }
    return outlets;
  }

  FakeOutlets outlets_{8};
  ManualClock clock_;
  ApcConsole console_;
};

TEST_F(ApcConsoleTest, StartsWithTelnetOffersAndTheUserNamePrompt) {
  const std::string greeting = console_.Start();
  EXPECT_EQ(greeting.substr(0, 6), "\xff\xfb\x01\xff\xfb\x03");
  EXPECT_NE(greeting.find("User Name : "), std::string::npos);
  EXPECT_FALSE(console_.logged_in());
}

TEST_F(ApcConsoleTest, LoginShowsTheV3BannerAndMainMenu) {
  console_.Start();
  EXPECT_EQ(Send("apc\r\n"), "apc\r\nPassword  : ");
  const std::string screen = Send("apc\r\n");
  EXPECT_EQ(screen.substr(0, 5), "***\r\n");  // passwords echo as stars
  EXPECT_TRUE(console_.logged_in());
  // fence_apc: re.search(r'\s*v(\d)*\.') must find a 3, not 5/6/7.
  std::smatch m;
  ASSERT_TRUE(std::regex_search(screen, m, std::regex(R"(\s*v(\d)*\.)")));
  EXPECT_EQ(m[1], "3");
  EXPECT_NE(screen.find("Date : 11/14/2023"), std::string::npos);
  EXPECT_NE(screen.find("Up Time   : 1 Days 2 Hours 0 Minutes"), std::string::npos);
  EXPECT_NE(screen.find("4- Logout"), std::string::npos);
  EXPECT_EQ(screen.substr(screen.size() - 3), "\n> ");
  // The only prompt is the last line: fence_apc stops at the first "\n>".
  EXPECT_EQ(screen.find("\n>"), screen.size() - 3);
}

TEST_F(ApcConsoleTest, WrongPasswordReasksThenHangsUpAfterThreeTries) {
  console_.Start();
  Send("apc\r\n");
  EXPECT_NE(Send("nope\r\n").find("User Name : "), std::string::npos);
  EXPECT_FALSE(console_.logged_in());
  Send("\r\n");  // empty user names are free
  Send("\r\n");
  Send("root\r\n");
  EXPECT_NE(Send("apc\r\n").find("User Name : "), std::string::npos);  // wrong user
  Send("apc\r\n");
  const std::string bye = Send("wrong\r\n");
  EXPECT_NE(bye.find("Connection Closed - Bye"), std::string::npos);
  EXPECT_TRUE(console_.closed());
  EXPECT_EQ(Send("apc\r\napc\r\n"), "");
}

TEST_F(ApcConsoleTest, MenuWalkMatchesWhatFenceApcLooksFor) {
  Login();
  const std::string device = Send("1\r\n");
  EXPECT_NE(device.find("Outlet Management"), std::string::npos);
  // Seeing this would make fence_apc take the firmware v2 admin layout.
  EXPECT_EQ(device.find("Outlet Control/Configuration"), std::string::npos);
  EXPECT_EQ(device.find("MasterSwitch plus"), std::string::npos);
  EXPECT_NE(Send("2\r\n").find("2- Outlet Restriction"), std::string::npos);
  outlets_.Set(5, false);
  const auto list = ParseList(Send("1\r\n"));
  ASSERT_EQ(list.size(), 8u);
  EXPECT_EQ(list.at("1"), std::make_pair(std::string("node1"), std::string("ON")));
  EXPECT_EQ(list.at("2").first, "Outlet 2");
  EXPECT_EQ(list.at("5").second, "OFF");
  EXPECT_EQ(list.at("8").second, "ON");
}

TEST_F(ApcConsoleTest, SwitchingAnOutletOffAsFenceApcDoes) {
  Login();
  Send("1\r\n");
  Send("2\r\n");
  Send("1\r\n");
  EXPECT_NE(Send("3\r\n").find("State        : ON"), std::string::npos);
  EXPECT_NE(Send("1\r\n").find("2- Immediate Off"), std::string::npos);
  EXPECT_NE(Send("2\r\n").find("Enter 'YES' to continue or <ENTER> to cancel :"),
            std::string::npos);
  const std::string done = Send("YES\r\n");
  EXPECT_NE(done.find("Command successfully issued."), std::string::npos);
  EXPECT_NE(done.find("Press <ENTER> to continue..."), std::string::npos);
  EXPECT_FALSE(outlets_.IsOn(3));
  EXPECT_EQ(outlets_.History(3), "off");
  const std::string back = Send("\r\n");
  EXPECT_NE(back.find("State        : OFF"), std::string::npos);
  EXPECT_EQ(back.substr(back.size() - 3), "\n> ");
  const std::string main = Send("\x03");
  EXPECT_NE(main.find("- Logout"), std::string::npos);
  EXPECT_EQ(main.substr(main.size() - 3), "\n> ");
}

TEST_F(ApcConsoleTest, EnterInsteadOfYesCancels) {
  Login();
  Send("1\r\n2\r\n1\r\n4\r\n1\r\n");
  Send("2\r\n");
  EXPECT_NE(Send("\r\n").find("Command cancelled."), std::string::npos);
  EXPECT_TRUE(outlets_.IsOn(4));
  EXPECT_EQ(outlets_.History(4), "");
}

TEST_F(ApcConsoleTest, EveryControlOutletItemReachesTheBank) {
  Login();
  Send("1\r\n2\r\n1\r\n6\r\n1\r\n");
  for (int item = 1; item <= 7; ++item) {
    Send(std::to_string(item) + "\r\n");
    Send("YES\r\n");
    Send("\r\n");
  }
  EXPECT_EQ(outlets_.History(6),
            "on,off,reboot,delayed-on,delayed-off,delayed-reboot,cancel");
}

TEST_F(ApcConsoleTest, EscapeGoesBackOneLevelAndOutOfRangeRedraws) {
  Login();
  Send("1\r\n2\r\n1\r\n");
  EXPECT_NE(Send("99\r\n").find("Outlet Control/Configuration"), std::string::npos);
  EXPECT_NE(Send("\x1b").find("------- Outlet Management"), std::string::npos);
  EXPECT_NE(Send("\x1b").find("------- Device Manager"), std::string::npos);
  EXPECT_NE(Send("\x1b").find("------- Control Console"), std::string::npos);
}

TEST_F(ApcConsoleTest, OverlongLineIsRejectedWithoutEchoingItAll) {
  Login();
  const std::string reply = Send(std::string(100000, '1') + "\r\n");
  EXPECT_LT(reply.size(), 4000u);
  EXPECT_NE(reply.find("------- Control Console"), std::string::npos);
  EXPECT_TRUE(console_.logged_in());
  EXPECT_NE(Send("1\r\n").find("Device Manager"), std::string::npos);
}

TEST_F(ApcConsoleTest, GarbageNeverBreaksTheConsole) {
  Login();
  uint32_t x = 12345;
  for (int round = 0; round < 200 && !console_.closed(); ++round) {
    std::string junk;
    for (int i = 0; i < 512; ++i) {
      x = x * 1664525u + 1013904223u;
      junk.push_back(static_cast<char>(x >> 24));
    }
    EXPECT_LT(Send(junk).size(), 200000u);
  }
  // Whatever state the junk left, a fresh console still works on the bank.
  ApcConsole fresh(&outlets_, &clock_, ApcConsoleOptions{});
  fresh.Start();
  fresh.Receive("apc\r\napc\r\n");
  EXPECT_TRUE(fresh.logged_in());
}

TEST_F(ApcConsoleTest, LogoutClosesTheConsole) {
  Login();
  EXPECT_NE(Send("4\r\n").find("Bye"), std::string::npos);
  EXPECT_TRUE(console_.closed());
}

TEST_F(ApcConsoleTest, NoEchoWhenTheClientRefusesIt) {
  console_.Start();
  EXPECT_EQ(Send("\xff\xfe\x01" "apc\r\n"), "Password  : ");
}

class ApcConsoleV5Test : public ApcConsoleTest {
 protected:
  ApcConsoleV5Test() : ApcConsoleTest(ApcDialect::kCommandLineV5) {}
};

TEST_F(ApcConsoleV5Test, CommandLineDialect) {
  const std::string banner = Login();
  std::smatch m;
  ASSERT_TRUE(std::regex_search(banner, m, std::regex(R"(\s*v(\d)*\.)")));
  EXPECT_EQ(m[1], "5");
  EXPECT_EQ(banner.substr(banner.size() - 6), "\r\napc>");

  outlets_.Set(7, false);
  const std::string status = Send("olStatus all\r\n");
  EXPECT_NE(status.find("E000: Success"), std::string::npos);
  const std::regex line(R"(^\s*(\d+): (.*): (On|Off)\s*$)", std::regex::icase);
  int count = 0;
  size_t start = 0;
  while (start < status.size()) {
    size_t end = status.find('\n', start);
    if (end == std::string::npos) end = status.size();
    const std::string text = status.substr(start, end - start);
    std::smatch lm;
    if (std::regex_search(text, lm, line)) {
      ++count;
      EXPECT_EQ(lm[3], lm[1] == "7" ? "Off" : "On");
    }
    start = end + 1;
  }
  EXPECT_EQ(count, 8);

  EXPECT_NE(Send("olOff 3\r\n").find("E000: Success"), std::string::npos);
  EXPECT_FALSE(outlets_.IsOn(3));
  EXPECT_NE(Send("olReboot 1-2\r\n").find("E000"), std::string::npos);
  EXPECT_EQ(outlets_.History(2), "reboot");
  EXPECT_NE(Send("olOn 99\r\n").find("E102"), std::string::npos);
  EXPECT_NE(Send("4\r\n").find("E101: Command Not Found\r\napc>"), std::string::npos);
  EXPECT_NE(Send("exit\r\n").find("Bye"), std::string::npos);
  EXPECT_TRUE(console_.closed());
}

}  // namespace
}  // namespace cs
