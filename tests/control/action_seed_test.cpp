// Each action's random source is seeded from the fleet's seed and the
// action's identity (server, action, how many of its actions drew random
// numbers before), never from the clock: the same fleet, seed and sequence
// of actions give the same target UUIDs, in another process at another
// time, and a second format on the same server gives a new one.
#include "tests/control/control_fixture.h"

namespace cs {
namespace {

Json FormatMgs(int volume) {
  return Json{{"device_type", "linux"}, {"target_name", nullptr},
              {"device", PresentationPath(VolumeSerial(volume))}, {"backfstype", "ldiskfs"},
              {"target_types", Json::array({"mgs"})}};
}

class ActionSeedTest : public ControlTest {
 protected:
  // Formats volumes 1 and 2 from test000, then volume 3 from test001, and
  // returns the UUIDs in that order.
  static std::vector<std::string> FormatSequence(Simulator& sim) {
    std::vector<std::string> uuids;
    for (auto [fqdn, volume] : {std::pair{s0, 1}, std::pair{s0, 2}, std::pair{s1, 3}}) {
      agent::ActionReport report = sim.RunAction(fqdn, "format_target", FormatMgs(volume));
      EXPECT_FALSE(report.exception) << report.exception.value_or("");
      uuids.push_back(report.result.value("uuid", ""));
    }
    return uuids;
  }

  // A second simulator on a fresh state made the same way, with `seed`.
  std::unique_ptr<Simulator> Twin(const testing::TempDir& dir, uint64_t seed) {
    Store::Options o;
    o.mode = Store::Mode::kCreate;
    auto store = Store::Open(dir.path(), o);
    EXPECT_TRUE(store.ok());
    if (!store.ok()) return nullptr;
    Status prepared = (*store)->Apply([&](World& w) {
      CS_RETURN_IF_ERROR(PrepareWorld(w));
      w.mutable_settings().seed = seed;
      return Status::Ok();
    });
    EXPECT_TRUE(prepared.ok()) << prepared.ToString();
    store->reset();
    SimulatorOptions options;
    options.config_dir = dir.path();
    options.log = &log_;
    options.threads = 1;
    auto sim = Simulator::Open(options);
    EXPECT_TRUE(sim.ok()) << sim.status().ToString();
    return sim.ok() ? std::move(*sim) : nullptr;
  }
};

TEST_F(ActionSeedTest, SameFleetSeedAndActionsGiveTheSameUuids) {
  const uint64_t seed = sim_->store().Snapshot()->settings().seed;
  const std::vector<std::string> first = FormatSequence(*sim_);
  EXPECT_EQ(first.size(), 3u);
  EXPECT_NE(first[0], first[1]);  // the same server's next random action: a new stream
  EXPECT_NE(first[0], first[2]);

  // Another simulator, later on the wall clock: the clock is not in the seed.
  testing::TempDir again_dir;
  auto again = Twin(again_dir, seed);
  ASSERT_NE(again, nullptr);
  EXPECT_EQ(FormatSequence(*again), first);
  again->Stop();

  testing::TempDir other_dir;
  auto other = Twin(other_dir, seed + 1);
  ASSERT_NE(other, nullptr);
  const std::vector<std::string> different = FormatSequence(*other);
  EXPECT_NE(different[0], first[0]);
  other->Stop();
}

TEST_F(ActionSeedTest, TheStreamPositionSurvivesARestartAndAFailedActionTakesNone) {
  // A format that fails draws nothing for good: the next one gets the
  // stream the failed one would have had.
  Json ost_without_fsname = FormatMgs(1);
  ost_without_fsname["target_types"] = Json::array({"ost"});
  agent::ActionReport bad = sim_->RunAction(s0, "format_target", ost_without_fsname);
  ASSERT_TRUE(bad.exception);
  testing::TempDir twin_dir;
  auto twin = Twin(twin_dir, sim_->store().Snapshot()->settings().seed);
  ASSERT_NE(twin, nullptr);
  const std::string after_failure = sim_->RunAction(s0, "format_target", FormatMgs(1)).result.value("uuid", "");
  const std::string without_failure = twin->RunAction(s0, "format_target", FormatMgs(1)).result.value("uuid", "");
  EXPECT_EQ(after_failure, without_failure);
  // The count is saved with the action's effect: a restarted simulator
  // continues the sequence instead of repeating a UUID.
  api_.reset();
  sim_->Stop();
  sim_.reset();
  SimulatorOptions options;
  options.config_dir = tmp_.path();
  options.log = &log_;
  options.threads = 1;
  auto reopened = Simulator::Open(options);
  ASSERT_TRUE(reopened.ok()) << reopened.status().ToString();
  EXPECT_EQ((*reopened)->store().Snapshot()->servers.Find(s0)->random_actions, 1u);
  const std::string next = (*reopened)->RunAction(s0, "format_target", FormatMgs(2)).result.value("uuid", "");
  const std::string twin_next = twin->RunAction(s0, "format_target", FormatMgs(2)).result.value("uuid", "");
  EXPECT_EQ(next, twin_next);
  EXPECT_NE(next, after_failure);
  (*reopened)->Stop();
  twin->Stop();
}

}  // namespace
}  // namespace cs
