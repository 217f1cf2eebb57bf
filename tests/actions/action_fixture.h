// A small fleet (4 servers in one cluster, 2 NIDs each, 1 worker) and a
// helper that runs one action on it, for the action tests.
#pragma once

#include <gtest/gtest.h>

#include "fakes/fleet.h"
#include "sim/actions/action.h"
#include "tests/fakes/small_fleet.h"
#include "tests/fakes/world_dump.h"

namespace cs {

class ActionTest : public testing::SmallFleetTest {
 protected:
  ActionTest() : SmallFleetTest(WallTime(std::chrono::microseconds(1700000000000000LL))) {}
  void SetUp() override {
    Build(testing::FleetShape(4).Workers(1).Nids(2).ClusterSize(4));
    world.TakeChanges();
  }

  ActionOutcome Run(const std::string& fqdn, const std::string& action, const Json& args = Json::object()) {
    ActionContext ctx{world, fqdn, clock, random, plugins};
    return RunAction(ActionCatalog::Default(), ctx, action, args);
  }
  // Runs an action that must succeed.
  Json Ok(const std::string& fqdn, const std::string& action, const Json& args = Json::object()) {
    ActionOutcome out = Run(fqdn, action, args);
    EXPECT_FALSE(out.exception) << action << ": " << out.exception.value_or("");
    return out.result;
  }
  // Every object of the world as JSON, for "nothing changed" checks.
  Json Dump() const { return testing::DumpWorld(world); }
  const Server& server(const std::string& fqdn) const { return *world.servers.Find(fqdn); }
  const Cluster& cluster0() const { return *world.clusters.Find("0"); }

  static Json WrappedOk() { return Json{{"wrapper_version", 1}, {"result", true}}; }
  static Json Wrapped(Json v) { return Json{{"wrapper_version", 1}, {"result", std::move(v)}}; }
  static std::string Path(int k) { return PresentationPath(VolumeSerial(k)); }

  Random random{42};
  const DevicePluginSource* plugins = nullptr;
  const std::string s0 = "test000.localdomain", s1 = "test001.localdomain",
                    w0 = "worker000.localdomain";
};

}  // namespace cs
