#include "sim/timed_outlet_bank.h"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>

#include "tests/power/fake_outlets.h"

namespace cs {
namespace {

using namespace std::chrono_literals;

class TimedOutletBankTest : public ::testing::Test {
 protected:
  TimedOutletBankTest() : bank_(io_.get_executor(), &outlets_, Delays()) {}
  static OutletDelays Delays() {
    OutletDelays d;
    d.power_on = 40ms;
    d.power_off = 40ms;
    d.reboot_pause = 60ms;
    return d;
  }
  // Runs the timers until nothing is pending, at most two seconds.
  void RunPending() {
    const auto deadline = std::chrono::steady_clock::now() + 2s;
    while (bank_.PendingCount() > 0 && std::chrono::steady_clock::now() < deadline) {
      io_.run_for(10ms);
      io_.restart();
    }
  }

  boost::asio::io_context io_;
  FakeOutlets outlets_{4};
  TimedOutletBank bank_;
};

TEST_F(TimedOutletBankTest, ImmediateCommandsAreImmediate) {
  ASSERT_TRUE(bank_.Switch(1, OutletAction::kOff).ok());
  EXPECT_FALSE(bank_.IsOn(1));
  ASSERT_TRUE(bank_.Switch(1, OutletAction::kOn).ok());
  EXPECT_TRUE(bank_.IsOn(1));
  EXPECT_EQ(bank_.PendingCount(), 0);
  EXPECT_EQ(bank_.Name(1), "node1");
  EXPECT_EQ(bank_.OutletCount(), 4);
}

TEST_F(TimedOutletBankTest, RebootIsOffThenAfterThePauseOn) {
  const auto start = std::chrono::steady_clock::now();
  ASSERT_TRUE(bank_.Switch(2, OutletAction::kReboot).ok());
  EXPECT_FALSE(outlets_.IsOn(2));
  EXPECT_EQ(bank_.PendingCount(), 1);
  RunPending();
  EXPECT_TRUE(outlets_.IsOn(2));
  EXPECT_GE(std::chrono::steady_clock::now() - start, 60ms);
  EXPECT_EQ(outlets_.History(2), "off,on");  // the plain bank saw only on/off
}

TEST_F(TimedOutletBankTest, DelayedCommandsWaitAndDelayedRebootCyclesFully) {
  ASSERT_TRUE(bank_.Switch(3, OutletAction::kDelayedOff).ok());
  EXPECT_TRUE(outlets_.IsOn(3));
  RunPending();
  EXPECT_FALSE(outlets_.IsOn(3));
  ASSERT_TRUE(bank_.Switch(3, OutletAction::kDelayedOn).ok());
  RunPending();
  EXPECT_TRUE(outlets_.IsOn(3));
  ASSERT_TRUE(bank_.Switch(3, OutletAction::kDelayedReboot).ok());
  RunPending();
  EXPECT_EQ(outlets_.History(3), "off,on,off,on");
}

TEST_F(TimedOutletBankTest, CancelAndNewCommandsDropWhatWasPending) {
  ASSERT_TRUE(bank_.Switch(4, OutletAction::kDelayedOff).ok());
  ASSERT_TRUE(bank_.Switch(4, OutletAction::kCancel).ok());
  ASSERT_TRUE(bank_.Switch(1, OutletAction::kReboot).ok());
  ASSERT_TRUE(bank_.Switch(1, OutletAction::kOff).ok());  // replaces the pending on
  EXPECT_EQ(bank_.PendingCount(), 0);
  io_.run_for(150ms);
  EXPECT_TRUE(outlets_.IsOn(4));
  EXPECT_FALSE(outlets_.IsOn(1));
  EXPECT_EQ(outlets_.History(1), "off,off");
}

TEST_F(TimedOutletBankTest, CancelAllStopsEverything) {
  ASSERT_TRUE(bank_.Switch(1, OutletAction::kReboot).ok());
  bank_.CancelAll();
  io_.run_for(150ms);
  EXPECT_FALSE(outlets_.IsOn(1));
  EXPECT_FALSE(bank_.Switch(1, OutletAction::kOn).ok());
  EXPECT_FALSE(bank_.Switch(9, OutletAction::kOn).ok());
}

}  // namespace
}  // namespace cs
