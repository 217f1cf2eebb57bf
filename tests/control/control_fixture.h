// A Simulator opened on a temporary state directory without a manager (no
// agent runs: nothing is registered), a ControlApi on it, and a small world
// prepared for the control operations: 4 servers in one cluster with 2 NIDs
// each, a worker, one HA resource (testfs-OST0000 on the first volume,
// primary test000, secondary test001, running), and an MGT holding
// testfs's conf params.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <memory>

#include "tests/fakes/world_dump.h"
#include "fakes/fleet.h"
#include "fakes/lustre_targets.h"
#include "sim/control/control_api.h"
#include "sim/simulator.h"
#include "tests/state/temp_dir.h"
#include "tests/time_scale.h"

namespace cs {

class ControlTest : public ::testing::Test {
 protected:
  static constexpr const char* s0 = "test000.localdomain";
  static constexpr const char* s1 = "test001.localdomain";
  static constexpr const char* kLabel = "testfs-OST0000";

  void SetUp() override {
    {
      Store::Options o;
      o.mode = Store::Mode::kCreate;
      auto store = Store::Open(tmp_.path(), o);
      ASSERT_TRUE(store.ok()) << store.status().message();
      ASSERT_TRUE((*store)->Apply([&](World& w) { return PrepareWorld(w); }).ok());
    }
    log_.SetStderr(false);
    SimulatorOptions options;
    options.config_dir = tmp_.path();
    options.log = &log_;
    options.threads = 1;
    options.boot_delay = std::chrono::milliseconds(0);
    options.shutdown_delay = std::chrono::milliseconds(0);
    auto sim = Simulator::Open(options);
    ASSERT_TRUE(sim.ok()) << sim.status().message();
    sim_ = std::move(*sim);
    api_ = std::make_unique<ControlApi>(*sim_);
  }

  void TearDown() override {
    if (sim_) sim_->Stop();  // before the api: pending timers refer to it
    api_.reset();
  }

  Status PrepareWorld(World& w) {
    FleetSpec spec;
    spec.server_count = 4;
    spec.worker_count = 1;
    spec.nid_count = 2;
    spec.cluster_size = 4;
    CS_RETURN_IF_ERROR(SetupFleet(w, spec, clock_));
    const Server& a = *w.servers.Find(s0);
    const Server& b = *w.servers.Find(s1);
    mgs_key_ = MgsKey({a.Nids()});
    // An OST on the first volume, known to its MGS, with conf params.
    const std::string serial = VolumeSerial(0);
    LustreTarget t;
    t.label = kLabel;
    t.uuid = "uuid-ost0";
    t.mgsnode = mgs_key_;
    t.fsname = "testfs";
    t.index = 0;
    w.targets.Put(serial, t);
    Mgt mgt;
    mgt.targets = {"testfs-MDT0000", kLabel};
    mgt.conf_params = {{"testfs-OST0000.ost.sync_journal", "1"}, {"testfs.llite.max_cached_mb", "16"}};
    w.mgts.Put(mgs_key_, mgt);
    Cluster* c = w.MutableClusterOf(a);
    CS_RETURN_IF_ERROR(c->Configure(a.nodename, PresentationPath(serial), kLabel, t.uuid, true, "/mnt/ost0"));
    CS_RETURN_IF_ERROR(c->Configure(b.nodename, PresentationPath(serial), kLabel, t.uuid, false, "/mnt/ost0"));
    return c->Start(kLabel);
  }

  // Calls an operation and waits (bounded) for its answer.
  Result<Json> Call(const std::string& op, const Json& args = Json::object()) {
    auto promise = std::make_shared<std::promise<Result<Json>>>();
    auto future = promise->get_future();
    api_->Call(op, args, [promise](Result<Json> r) { promise->set_value(std::move(r)); });
    if (future.wait_for(cs::testing::Scaled(std::chrono::seconds(60))) != std::future_status::ready) {
      return Status::Internal(op + " did not answer within 60 s (scaled)");
    }
    return future.get();
  }

  // Every persisted object, for "nothing changed" checks.
  Json Dump() {
    std::lock_guard<std::mutex> lock(sim_->store().mutex());
    return cs::testing::DumpWorld(sim_->store().world());
  }


  std::optional<std::string> RunningOn(const std::string& label) {
    std::lock_guard<std::mutex> lock(sim_->store().mutex());
    const Cluster* c = sim_->store().world().clusters.Find("0");
    return c->resources.at(label).started_on;
  }

  PowerState PowerOf(const std::string& fqdn) {
    std::lock_guard<std::mutex> lock(sim_->store().mutex());
    return sim_->store().world().servers.Find(fqdn)->power_state;
  }

  testing::TempDir tmp_;
  Log log_;
  ManualClock clock_{WallTime(std::chrono::microseconds(1700000000000000LL))};
  std::string mgs_key_;
  std::unique_ptr<Simulator> sim_;
  std::unique_ptr<ControlApi> api_;
};

// The HTTP status a result stands for (200 when ok).
inline int HttpOf(const Result<Json>& r) { return r.ok() ? 200 : HttpStatusOf(r.status()); }

}  // namespace cs
