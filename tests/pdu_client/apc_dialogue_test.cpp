// ApcDialogue talking to the simulated APC console (fakes/power) in memory:
// both dialects, bytes delivered whole or one at a time, wrong passwords,
// unknown outlets and a console that hangs up.
#include "pdu_client/apc_dialogue.h"

#include <gtest/gtest.h>

#include "fakes/power/apc_console.h"
#include "tests/power/fake_outlets.h"
#include "util/clock.h"

namespace cs {
namespace {

struct Param {
  ApcDialect dialect;
  size_t chunk;  // bytes per delivery; 0: everything at once
};
void PrintTo(const Param& p, std::ostream* os) {
  *os << (p.dialect == ApcDialect::kMenuV3 ? "menus" : "command line") << ", chunk " << p.chunk;
}

class ApcDialogueTest : public ::testing::TestWithParam<Param> {
 protected:
  ApcDialogueTest() : clock_(WallTime(std::chrono::seconds(1700000000))) {}

  // Runs `plan` against a fresh console until the dialogue finishes, the
  // console hangs up or 10,000 exchanges pass (a loop would fail the test).
  Status Run(const ApcPlan& plan, ApcDialogue* dialogue = nullptr) {
    ApcConsoleOptions options;
    options.dialect = GetParam().dialect;
    ApcConsole console(&outlets_, &clock_, options);
    ApcDialogue local(plan);
    ApcDialogue& d = dialogue ? *dialogue : local;
    std::string to_client = console.Start();
    for (int i = 0; i < 10000 && !d.finished(); ++i) {
      if (to_client.empty()) {
        if (console.closed()) return d.Closed();
        ADD_FAILURE() << "the dialogue is stuck while " << d.Doing();
        return Status::Internal("stuck");
      }
      const size_t n = GetParam().chunk == 0 ? to_client.size() : std::min(GetParam().chunk, to_client.size());
      const std::string to_console = d.Receive(std::string_view(to_client).substr(0, n));
      to_client.erase(0, n);
      if (!to_console.empty()) to_client += console.Receive(to_console);
    }
    EXPECT_TRUE(d.finished());
    return d.status();
  }

  FakeOutlets outlets_{8};
  ManualClock clock_;
};

TEST_P(ApcDialogueTest, ReadsEveryOutlet) {
  outlets_.Set(3, false);
  ApcPlan plan;
  plan.read_outlets = true;
  ApcDialogue d(plan);
  ASSERT_TRUE(Run(plan, &d).ok()) << d.status().message();
  ASSERT_EQ(d.outlets().size(), 8u);
  EXPECT_TRUE(d.outlets().at(1).on);
  EXPECT_FALSE(d.outlets().at(3).on);
  EXPECT_EQ(d.outlets().at(1).name, "node1");
  EXPECT_EQ(d.outlets().at(2).name, "Outlet 2");
  EXPECT_EQ(outlets_.History(1), "") << "reading switches nothing";
}

TEST_P(ApcDialogueTest, SwitchesOutletsInOrderOnOneConnection) {
  ApcPlan plan;
  plan.switches = {{2, PowerAction::kOff}, {5, PowerAction::kReboot}, {2, PowerAction::kOn}};
  ApcDialogue d(plan);
  ASSERT_TRUE(Run(plan, &d).ok()) << d.status().message();
  EXPECT_EQ(d.switched(), 3u);
  EXPECT_EQ(outlets_.History(2), "off,on");
  EXPECT_EQ(outlets_.History(5), "reboot");
  EXPECT_EQ(outlets_.History(1), "");
}

TEST_P(ApcDialogueTest, ReadsAndSwitches) {
  ApcPlan plan;
  plan.read_outlets = true;
  plan.switches = {{8, PowerAction::kOff}};
  ApcDialogue d(plan);
  ASSERT_TRUE(Run(plan, &d).ok()) << d.status().message();
  EXPECT_EQ(d.outlets().size(), 8u);
  EXPECT_EQ(outlets_.History(8), "off");
}

TEST_P(ApcDialogueTest, WrongPasswordIsAClearFailure) {
  ApcPlan plan;
  plan.password = "nope";
  plan.switches = {{1, PowerAction::kOff}};
  const Status s = Run(plan);
  EXPECT_EQ(s.code(), Status::Code::kFailedPrecondition);
  EXPECT_NE(s.message().find("refused user 'apc'"), std::string::npos) << s.message();
  EXPECT_EQ(outlets_.History(1), "");
}

TEST_P(ApcDialogueTest, UnknownOutletFailsAndSwitchesNothingAfter) {
  ApcPlan plan;
  plan.switches = {{9, PowerAction::kOff}, {1, PowerAction::kOff}};
  const Status s = Run(plan);
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("outlet 9"), std::string::npos) << s.message();
  EXPECT_EQ(outlets_.History(1), "");
}

INSTANTIATE_TEST_SUITE_P(Dialects, ApcDialogueTest,
                         ::testing::Values(Param{ApcDialect::kMenuV3, 0}, Param{ApcDialect::kMenuV3, 1},
                                           Param{ApcDialect::kCommandLineV5, 0},
                                           Param{ApcDialect::kCommandLineV5, 1}),
                         [](const auto& p) {
                           return std::string(p.param.dialect == ApcDialect::kMenuV3 ? "MenuV3" : "CommandLineV5") +
                                  (p.param.chunk ? "ByteByByte" : "Whole");
                         });

TEST(ApcDialogueHangUp, AHangUpMidDialogueSaysWhatItWasDoing) {
  ApcPlan plan;
  plan.switches = {{1, PowerAction::kOff}};
  ApcDialogue d(plan);
  d.Receive("\r\nUser Name : ");
  const Status s = d.Closed();
  EXPECT_EQ(s.code(), Status::Code::kUnavailable);
  EXPECT_EQ(s.message(), "the PDU hung up while logging in");
}

TEST(ApcDialogueHangUp, SomethingThatIsNotAConsoleIsBounded) {
  ApcPlan plan;
  ApcDialogue d(plan);
  const std::string junk(64 * 1024, 'x');
  for (int i = 0; i < 40 && !d.finished(); ++i) d.Receive(junk);
  EXPECT_TRUE(d.finished());
  EXPECT_FALSE(d.status().ok());
}

}  // namespace
}  // namespace cs
