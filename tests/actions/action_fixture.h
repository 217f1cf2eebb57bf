// A small fleet (4 servers in one cluster, 2 NIDs each, 1 worker) and a
// helper that runs one action on it, for the action tests.
#pragma once

#include <gtest/gtest.h>

#include "fakes/fleet.h"
#include "sim/actions/action.h"

namespace cs {

class ActionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    FleetSpec spec;
    spec.server_count = 4;
    spec.worker_count = 1;
    spec.nid_count = 2;
    spec.cluster_size = 4;
    ASSERT_TRUE(SetupFleet(world, spec, clock).ok());
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
  // Every object of the world as JSON, for before/after comparisons.
  Json Dump() const {
    Json out = Json::object();
    out["settings"] = world.settings();
    auto add = [&](const char* name, const auto& table) {
      for (const auto& [key, value] : table.all()) out[name][key] = value;
    };
    add("servers", world.servers);
    add("clusters", world.clusters);
    add("volumes", world.volumes);
    add("presentations", world.presentations);
    add("targets", world.targets);
    add("mgts", world.mgts);
    add("clients", world.clients);
    add("copytools", world.copytools);
    return out;
  }
  const Server& server(const std::string& fqdn) const { return *world.servers.Find(fqdn); }
  const Cluster& cluster0() const { return *world.clusters.Find("0"); }

  static Json WrappedOk() { return Json{{"wrapper_version", 1}, {"result", true}}; }
  static Json Wrapped(Json v) { return Json{{"wrapper_version", 1}, {"result", std::move(v)}}; }
  static std::string Path(int k) { return PresentationPath(VolumeSerial(k)); }

  World world;
  ManualClock clock{WallTime(std::chrono::microseconds(1700000000000000LL))};
  Random random{42};
  const DevicePluginSource* plugins = nullptr;
  const std::string s0 = "test000.localdomain", s1 = "test001.localdomain",
                    w0 = "worker000.localdomain";
};

}  // namespace cs
