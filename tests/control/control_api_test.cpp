// ControlApi dispatch and argument checking against a Simulator without a
// manager: every operation that changes the world really changes it, and
// every bad request is refused with the right 4xx and changes nothing.
#include <thread>

#include "tests/control/control_fixture.h"

namespace cs {
namespace {

TEST_F(ControlTest, UnknownOperationIs404) {
  EXPECT_EQ(HttpOf(Call("no_such_op")), 404);
}

TEST_F(ControlTest, BadRequestsAre4xxAndChangeNothing) {
  const Json before = Dump();
  struct Case {
    std::string op;
    Json args;
    int want;
  } cases[] = {
      {"stop_target", {{"fqdn", "nosuch.localdomain"}, {"ha_label", kLabel}}, 404},
      {"stop_target", {{"fqdn", s0}, {"ha_label", "testfs-OST0099"}}, 404},
      {"stop_target", {{"fqdn", s0}}, 400},                                  // missing argument
      {"stop_target", {{"fqdn", s0}, {"ha_label", 7}}, 400},                 // wrong type
      {"stop_target", {{"fqdn", s0}, {"ha_label", kLabel}, {"x", 1}}, 400},  // extra argument
      {"set_log_rate", {{"fqdn", s0}, {"rate", "fast"}}, 400},
      {"set_log_rate", {{"fqdn", s0}, {"rate", -1}}, 400},
      {"start_server", {{"fqdn", s0}}, 409},  // it is running
      {"poweron_server", {{"fqdn", s0}}, 409},
      {"restart_agent", {{"fqdn", s0}}, 409},  // not registered
      {"kill_agent", {{"fqdn", s0}}, 409},     // no agent runs
      {"set_node_standby", {{"server", "worker000.localdomain"}}, 409},
      {"mount_filesystem", {{"client_address", "c1"}, {"filesystem", "nonsense"}}, 400},
      {"mount_filesystem", {{"client_address", "c1"}, {"filesystem", "10.9.9.9@tcp0:/testfs"}}, 404},
      {"unmount_filesystem", {{"client_address", "c1"}, {"filesystem", "10.9.9.9@tcp0:/testfs"}}, 404},
      {"read_proc", {{"address", "nowhere"}, {"path", "/proc/fs/lustre/llite/*/max_cached_mb"}}, 404},
      {"poll_fake_controller", {{"controller_id", 42}}, 404},
      {"fail_controller", {{"controller_id", 42}}, 404},
      {"restore_controller", {{"controller_id", "one"}}, 400},
      {"fail_controller", {}, 400},
      {"restore_cib", {{"server", s0}, {"start_targets", Json::array()}}, 409},  // no backup
      {"format_block_device", {{"fqdn", s0}, {"path", PresentationPath(VolumeSerial(0))}, {"filesystem_type", "ext4"}}, 409},
      {"update_packages", {{"packages", {{"lustre", "2.9"}}}}, 400},
      {"fail_connections", {{"fail", true}, {"fqdn", "nosuch"}}, 404},
      {"set_latency", {{"latency_ms", -5}}, 400},
      {"check_ha_config", {{"hosts", {s0}}, {"filesystem_name", "otherfs"}}, 409},
      {"register", {{"fqdn", "nosuch"}, {"secret", "s"}}, 404},
      {"pdu_unreachable", {{"pdu", "pdu999"}, {"unreachable", true}}, 404},
      {"pdu_unreachable", {{"pdu", "pdu000"}, {"unreachable", "yes"}}, 400},
      {"fence_history", {{"fqdn", "nosuch"}}, 404},
  };
  for (const auto& c : cases) {
    auto r = Call(c.op, c.args);
    EXPECT_EQ(HttpOf(r), c.want) << c.op << " " << c.args.dump() << ": "
                                 << (r.ok() ? r->dump() : r.status().message());
    if (!r.ok()) {
      EXPECT_FALSE(r.status().message().empty()) << c.op;
    }
  }
  EXPECT_EQ(Dump(), before);
  EXPECT_FALSE(sim_->faults().AnyActive());
}

TEST_F(ControlTest, StopAndStartTarget) {
  ASSERT_EQ(RunningOn(kLabel), "test000");
  ASSERT_TRUE(Call("stop_target", {{"fqdn", s0}, {"ha_label", kLabel}}).ok());
  EXPECT_EQ(RunningOn(kLabel), std::nullopt);
  auto running = Call("get_resource_running", {{"host", {{"fqdn", s0}, {"nodename", "test000"}}}, {"ha_label", kLabel}});
  ASSERT_TRUE(running.ok());
  EXPECT_EQ(*running, false);
  ASSERT_TRUE(Call("start_target", {{"fqdn", s0}, {"ha_label", kLabel}}).ok());
  EXPECT_EQ(Call("get_resource_running", {{"host", s0}, {"ha_label", kLabel}}).value(), true);
  EXPECT_EQ(Call("resource_locations", {{"fqdn", s1}}).value(), Json({{kLabel, "test000"}}));
}

TEST_F(ControlTest, SetNodeStandbyMovesResourcesAndOnlineKeepsThemThere) {
  ASSERT_TRUE(Call("set_node_standby", {{"server", {{"fqdn", s0}}}}).ok());
  EXPECT_EQ(RunningOn(kLabel), "test001");
  ASSERT_TRUE(Call("set_node_online", {{"server", "test000"}}).ok());  // by nodename
  EXPECT_EQ(RunningOn(kLabel), "test001");  // stickiness: no move back
}

TEST_F(ControlTest, BackupCibStopsWhatRunsAndRestoreStartsIt) {
  auto stopped = Call("backup_cib", {{"server", s0}});
  ASSERT_TRUE(stopped.ok()) << stopped.status().message();
  EXPECT_EQ(*stopped, Json::array({kLabel}));
  EXPECT_EQ(RunningOn(kLabel), std::nullopt);
  ASSERT_TRUE(Call("clear_ha", {{"servers", {s0}}}).ok());
  EXPECT_EQ(Call("resource_locations", {{"fqdn", s0}}).value(), Json::object());
  ASSERT_TRUE(Call("restore_cib", {{"server", s0}, {"start_targets", *stopped}}).ok());
  EXPECT_EQ(RunningOn(kLabel), "test000");
}

// restore_cib takes a CIB exported earlier (export_cib, `cib show`): the
// target-roles, constraints and node attributes it holds come back.
TEST_F(ControlTest, RestoreCibFromAnExportedCib) {
  auto cib = Call("export_cib", {{"server", s0}});
  ASSERT_TRUE(cib.ok()) << cib.status().message();
  ASSERT_TRUE(cib->is_string());
  EXPECT_NE(cib->get<std::string>().find("<rsc_location id=\"testfs-OST0000-primary\""), std::string::npos);
  ASSERT_TRUE(Call("stop_target", {{"fqdn", s0}, {"ha_label", kLabel}}).ok());
  ASSERT_TRUE(Call("clear_ha", {{"servers", {s0}}}).ok());
  ASSERT_TRUE(Call("restore_cib", {{"server", s0}, {"cib", *cib}}).ok());
  EXPECT_EQ(RunningOn(kLabel), "test000") << "its target-role was Started";
  auto locations = Call("resource_locations", {{"fqdn", s1}});
  ASSERT_TRUE(locations.ok());
  EXPECT_EQ(*locations, Json({{kLabel, "test000"}}));
}

TEST_F(ControlTest, RestoreCibRefusesCorruptForeignAndNewerCibsAndChangesNothing) {
  auto exported = Call("export_cib", {{"server", s0}});
  ASSERT_TRUE(exported.ok());
  const std::string cib = exported->get<std::string>();
  auto replaced = [&](const std::string& from, const std::string& to) {
    std::string out = cib;
    for (size_t at = out.find(from); at != std::string::npos; at = out.find(from, at + to.size())) {
      out.replace(at, from.size(), to);
    }
    return out;
  };
  const Json before = Dump();
  struct Case {
    std::string cib;
    int want;
    std::string says;
  } cases[] = {
      {cib.substr(0, cib.size() / 2), 400, "XML error"},
      {"<html><body>not a cib</body></html>", 400, "not a CIB"},
      {replaced("crm_feature_set=\"3.16.1\"", "crm_feature_set=\"3.19.0\""), 400, "newer pacemaker"},
      {replaced("test003", "test099"), 409, "foreign CIB"},
      {replaced("name=\"target\" value=\"uuid-ost0\"", "name=\"target\" value=\"\""), 400, "no target uuid"},
      {replaced("<resources>", "<resourcez>").replace(0, 0, ""), 400, "XML error"},
  };
  for (const auto& c : cases) {
    auto r = Call("restore_cib", {{"server", s0}, {"cib", c.cib}});
    EXPECT_EQ(HttpOf(r), c.want) << c.says << ": " << (r.ok() ? r->dump() : r.status().message());
    if (!r.ok()) {
      EXPECT_NE(r.status().message().find(c.says), std::string::npos) << r.status().message();
    }
  }
  EXPECT_EQ(Dump(), before);
}

TEST_F(ControlTest, ReadProcOnServerAndClientSeesConfParams) {
  auto v = Call("read_proc", {{"address", s0}, {"path", "/proc/fs/lustre/obdfilter/testfs-OST0000/sync_journal"}});
  ASSERT_TRUE(v.ok()) << v.status().message();
  EXPECT_EQ(*v, "1");
  // Not running on test001: refused.
  EXPECT_NE(HttpOf(Call("read_proc", {{"address", s1}, {"path", "/proc/fs/lustre/obdfilter/testfs-OST0000/sync_journal"}})), 200);

  const std::string mount = mgs_key_ + ":/testfs";
  ASSERT_TRUE(Call("mount_filesystem", {{"client_address", "client1"}, {"filesystem", {{"mount_path", mount}}}}).ok());
  auto c = Call("read_proc", {{"address", "client1"}, {"path", "/proc/fs/lustre/llite/*/max_cached_mb"}});
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(*c, "max_cached_mb: 16");
  ASSERT_TRUE(Call("unmount_clients").ok());
  EXPECT_EQ(HttpOf(Call("read_proc", {{"address", "client1"}, {"path", "/proc/fs/lustre/llite/*/max_cached_mb"}})), 409);
}

TEST_F(ControlTest, ServicesAndPorts) {
  ASSERT_TRUE(Call("start_lnet", {{"fqdn", s0}}).ok());
  ASSERT_TRUE(Call("start_pacemaker", {{"fqdn", s0}}).ok());
  ASSERT_TRUE(Call("start_corosync", {{"fqdn", s0}}).ok());
  {
    std::lock_guard<std::mutex> lock(sim_->store().mutex());
    const Server& s = *sim_->store().world().servers.Find(s0);
    EXPECT_TRUE(s.lnet_up);
    EXPECT_EQ(s.pacemaker.state, "started");
    EXPECT_EQ(s.corosync.state, "started");
  }
  EXPECT_TRUE(Call("get_corosync_port", {{"fqdn", s0}}).value().is_number_integer());
  ASSERT_TRUE(Call("stop_lnet", {{"fqdn", s0}}).ok());
  ASSERT_TRUE(Call("clear_lnet_config", {{"servers", {s0}}}).ok());
  std::lock_guard<std::mutex> lock(sim_->store().mutex());
  const Server& s = *sim_->store().world().servers.Find(s0);
  EXPECT_FALSE(s.lnet_up);
  EXPECT_TRUE(s.Nids().empty());
}

TEST_F(ControlTest, InjectLogMessageQueuesLines) {
  EXPECT_EQ(sim_->PendingLogLines(s0), 0u);
  ASSERT_TRUE(Call("inject_log_message", {{"fqdn", s0}, {"message", "hello"}}).ok());
  ASSERT_TRUE(Call("inject_log_message", {{"fqdn", "test000"}, {"message", "again"}}).ok());
  EXPECT_EQ(sim_->PendingLogLines(s0), 2u);
  EXPECT_EQ(Call("get_server", {{"fqdn", s0}}).value()["pending_log_lines"], 2);
}

// No manager configured fencing here: pacemaker cannot fence the lost node
// (fence_chroma lists only nodes with agents), so its target stays blocked
// until the node is back. Fencing through the PDU: power_test.
TEST_F(ControlTest, PowerOffAndOnWithoutFencingBlocksTheTargetUntilTheNodeIsBack) {
  ASSERT_TRUE(Call("host_contactable", {{"address", s0}}).ok());
  ASSERT_TRUE(Call("poweroff_server", {{"fqdn", s0}}).ok());
  EXPECT_EQ(PowerOf(s0), PowerState::kOff);
  EXPECT_EQ(RunningOn(kLabel), std::nullopt) << "blocked: test000 cannot be fenced";
  const Json history = Call("fence_history", {{"fqdn", "test000"}}).value();
  ASSERT_EQ(history.size(), 1u) << history.dump();
  EXPECT_EQ(history[0]["fqdn"], s0);
  EXPECT_EQ(history[0]["outcome"], "failed");
  EXPECT_NE(history[0]["detail"].get<std::string>().find("no fencing device configured"), std::string::npos);
  EXPECT_EQ(Call("host_contactable", {{"address", s0}}).value(), false);
  const Json off = Dump();
  EXPECT_EQ(HttpOf(Call("poweroff_server", {{"fqdn", s0}})), 409);
  EXPECT_EQ(HttpOf(Call("kill_server", {{"fqdn", s0}})), 409);
  EXPECT_EQ(Dump(), off);
  ASSERT_TRUE(Call("poweron_server", {{"fqdn", s0}, {"simulate_bootup", false}}).ok());
  EXPECT_EQ(PowerOf(s0), PowerState::kRunning);
  EXPECT_EQ(RunningOn(kLabel), "test000") << "its primary, back";
}

// A start_target that fails on every node answers an error, and the bans
// (failcounts) stay, as pacemaker keeps them in the CIB's status: once the
// device is back, no banned node runs it until a cleanup. The action's
// transaction is not rolled back for them.
TEST_F(ControlTest, AFailedStartKeepsItsBansThoughTheActionFails) {
  const std::string hidden = "/dev/disk/by-id/seen-by-the-worker-only";
  auto set_device = [&](const std::string& path) {
    ASSERT_TRUE(sim_->store().Apply([&](World& w) {
      const Presentations* seen = w.presentations.Find("worker000.localdomain");
      Presentations p = seen ? *seen : Presentations{};
      p[hidden] = VolumeSerial(0);
      w.presentations.Put("worker000.localdomain", p);
      w.clusters.Mutable("0")->resources.at(kLabel).device_path = path;
      return Status::Ok();
    }).ok());
  };
  const std::string visible = [&] {
    std::lock_guard<std::mutex> lock(sim_->store().mutex());
    return sim_->store().world().clusters.Find("0")->resources.at(kLabel).device_path;
  }();
  ASSERT_TRUE(Call("stop_target", {{"fqdn", s0}, {"ha_label", kLabel}}).ok());
  set_device(hidden);
  agent::ActionReport failed = sim_->RunAction(s0, "start_target", {{"ha_label", kLabel}});
  ASSERT_TRUE(failed.exception.has_value());
  EXPECT_NE(failed.exception->find("Failed to start target"), std::string::npos) << *failed.exception;
  auto bans = [&] {
    std::lock_guard<std::mutex> lock(sim_->store().mutex());
    return sim_->store().world().clusters.Find("0")->resources.at(kLabel).failed_on;
  };
  EXPECT_EQ(bans(), (std::set<std::string>{"test000", "test001", "test002", "test003"}));
  EXPECT_EQ(RunningOn(kLabel), std::nullopt);

  set_device(visible);
  EXPECT_TRUE(sim_->RunAction(s0, "start_target", {{"ha_label", kLabel}}).exception.has_value())
      << "every node is still banned";
  EXPECT_EQ(RunningOn(kLabel), std::nullopt);
}

TEST_F(ControlTest, KillServerThenStartServer) {
  ASSERT_TRUE(Call("kill_server", {{"fqdn", s0}}).ok());
  EXPECT_EQ(PowerOf(s0), PowerState::kOff);
  EXPECT_EQ(RunningOn(kLabel), "test001");
  ASSERT_TRUE(Call("start_server", {{"fqdn", s0}}).ok());
  EXPECT_EQ(PowerOf(s0), PowerState::kRunning);
  EXPECT_EQ(HttpOf(Call("start_server", {{"fqdn", s0}})), 409);
}

TEST_F(ControlTest, RebootGivesANewBootTime) {
  std::optional<std::string> before;
  {
    std::lock_guard<std::mutex> lock(sim_->store().mutex());
    before = sim_->store().world().servers.Find(s1)->boot_time;
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  ASSERT_TRUE(Call("reset_server", {{"fqdn", s1}}).ok());
  // Boot delay is 0 here, but the boot runs on a timer: wait, bounded.
  for (int i = 0; i < 200 && PowerOf(s1) != PowerState::kRunning; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_EQ(PowerOf(s1), PowerState::kRunning);
  std::lock_guard<std::mutex> lock(sim_->store().mutex());
  EXPECT_NE(sim_->store().world().servers.Find(s1)->boot_time, before);
}

// An unreachable PDU is saved with the world, shows in pdu_status and
// faults, and clear_faults makes it answer again. No server lost its power.
TEST_F(ControlTest, PduUnreachableIsAWorldStateThatClearFaultsLifts) {
  const PowerState power = PowerOf(s0);
  ASSERT_TRUE(Call("pdu_unreachable", {{"pdu", "pdu000"}, {"unreachable", true}}).ok());
  EXPECT_TRUE(sim_->store().world().pdus.Find("pdu000")->unreachable);
  EXPECT_EQ(Call("faults").value()["pdus_unreachable"], Json::array({"pdu000"}));
  const Json pdus = Call("pdu_status").value();
  ASSERT_FALSE(pdus.empty());
  EXPECT_EQ(pdus[0]["unreachable"], true);
  EXPECT_EQ(PowerOf(s0), power);
  EXPECT_EQ(Call("fence_history").value(), Json::array()) << "nothing was lost, nothing fenced";
  ASSERT_TRUE(Call("clear_faults").ok());
  EXPECT_FALSE(sim_->store().world().pdus.Find("pdu000")->unreachable);
  EXPECT_EQ(Call("faults").value()["pdus_unreachable"], Json::array());
}

TEST_F(ControlTest, FaultsSwitchOnAndOffAndShowInStatus) {
  ASSERT_TRUE(Call("fail_connections", {{"fail", true}, {"fqdn", s0}}).ok());
  ASSERT_TRUE(Call("drop_responses", {{"drop", true}}).ok());
  ASSERT_TRUE(Call("set_latency", {{"latency_ms", 250}, {"fqdn", "test001"}}).ok());
  Json f = Call("faults").value();
  EXPECT_EQ(f["hosts"][s0]["fail_connections"], true);
  EXPECT_EQ(f["hosts"][s1]["latency_ms"], 250);
  EXPECT_EQ(f["all"]["drop_responses"], true);
  EXPECT_EQ(Call("status").value()["faults"], f);
  EXPECT_TRUE(sim_->faults().For(s0).faults.fail_connections);
  EXPECT_FALSE(sim_->faults().For(s1).faults.fail_connections);

  ASSERT_TRUE(Call("fail_connections", {{"fail", false}}).ok());  // off everywhere
  EXPECT_FALSE(sim_->faults().For(s0).faults.fail_connections);
  ASSERT_TRUE(Call("clear_faults").ok());
  EXPECT_FALSE(sim_->faults().AnyActive());
  EXPECT_EQ(Call("faults").value()["hosts"], Json::object());
}

TEST_F(ControlTest, FleetOperations) {
  auto su = Call("add_su", {{"server_count", 2}, {"volume_count", 4}, {"nid_count", 1}});
  ASSERT_TRUE(su.ok()) << su.status().message();
  EXPECT_EQ((*su)["fqdns"].size(), 2u);
  EXPECT_EQ((*su)["serials"].size(), 4u);
  auto polled = Call("poll_fake_controller", {{"controller_id", (*su)["controller_id"]}});
  ASSERT_TRUE(polled.ok()) << polled.status().message();
  auto fqdn = Call("add_server", {{"nid_count", 1}});
  ASSERT_TRUE(fqdn.ok());
  EXPECT_EQ(Call("list_servers").value().size(), 8u);  // 4 + worker + 2 + 1
  ASSERT_TRUE(Call("set_log_rate", {{"fqdn", *fqdn}, {"rate", 5}}).ok());
  EXPECT_EQ(Call("get_server", {{"fqdn", *fqdn}}).value()["log_rate"], 5);
  ASSERT_TRUE(Call("remove_server", {{"fqdn", *fqdn}}).ok());
  EXPECT_EQ(HttpOf(Call("get_server", {{"fqdn", *fqdn}})), 404);
  EXPECT_TRUE(Call("list_devices").value().contains("volumes"));
  EXPECT_TRUE(Call("list_clusters").value().contains("0"));
  EXPECT_TRUE(Call("list_controllers").value().size() >= 1);
}

// A scalable unit's controller fails and comes back through the control
// API: saved, shown by status and faults, lifted by clear_faults.
TEST_F(ControlTest, AControllerFailsAndClearFaultsRestoresIt) {
  auto su = Call("add_su", {{"server_count", 2}, {"volume_count", 2}, {"nid_count", 1}});
  ASSERT_TRUE(su.ok()) << su.status().message();
  const Json id = (*su)["controller_id"];
  auto failed = Call("fail_controller", {{"controller_id", id}});
  ASSERT_TRUE(failed.ok()) << failed.status().message();
  EXPECT_EQ((*failed)["failed"], true);
  EXPECT_EQ((*failed)["changed"], true);
  EXPECT_EQ((*failed)["volumes"], (*su)["serials"]);
  EXPECT_EQ(HttpOf(Call("poll_fake_controller", {{"controller_id", id}})), 503);
  EXPECT_EQ(Call("faults").value()["controllers_failed"], Json::array({id}));
  const Json status = Call("status").value();
  bool shown = false;
  for (const Json& c : status["controllers"]) shown = shown || (c["controller_id"] == id && c["failed"] == true);
  EXPECT_TRUE(shown) << status["controllers"].dump();
  for (const Json& s : status["servers"]) {
    if (s["fqdn"] == (*su)["fqdns"][0]) {
      EXPECT_EQ(s["volumes"], 0);
      EXPECT_EQ(s["volumes_absent"], 2);
    }
  }
  EXPECT_EQ(Call("fail_controller", {{"controller_id", id}}).value()["changed"], false);
  {
    std::lock_guard<std::mutex> lock(sim_->store().mutex());
    EXPECT_TRUE(sim_->store().world().controllers.Find(id.dump())->failed);
  }
  ASSERT_TRUE(Call("clear_faults").ok());
  EXPECT_EQ(Call("faults").value()["controllers_failed"], Json::array());
  EXPECT_TRUE(Call("poll_fake_controller", {{"controller_id", id}}).ok());
  auto again = Call("restore_controller", {{"controller_id", id}});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ((*again)["changed"], false);
}

TEST_F(ControlTest, PackagesAndFormat) {
  ASSERT_TRUE(Call("install_upgrades").ok());
  EXPECT_EQ(Call("available_packages").value()["lustre"], Json::array({0, "2.9.0", "1", "x86_64"}));
  EXPECT_EQ(HttpOf(Call("get_package_version", {{"fqdn", s0}, {"package", "nosuch"}})), 404);
  ASSERT_TRUE(Call("format_block_device",
                   {{"fqdn", s0}, {"path", PresentationPath(VolumeSerial(1))}, {"filesystem_type", "ext4"}})
                  .ok());
  std::lock_guard<std::mutex> lock(sim_->store().mutex());
  EXPECT_EQ(sim_->store().world().volumes.Find(VolumeSerial(1))->local_filesystem, "ext4");
}

TEST_F(ControlTest, AwaitServerBootRestartsAStoppedServer) {
  ASSERT_TRUE(Call("kill_server", {{"fqdn", s0}}).ok());
  EXPECT_EQ(HttpOf(Call("await_server_boot", {{"boot_fqdn", s0}, {"timeout_seconds", 1}})), 409);  // not registered
  EXPECT_EQ(PowerOf(s0), PowerState::kOff);
  ASSERT_TRUE(sim_->store().Apply([](World& w) {
    w.servers.Mutable(s0)->registered = true;
    return Status::Ok();
  }).ok());
  // Its agent starts (and keeps failing to reach the absent manager).
  auto r = Call("await_server_boot", {{"boot_fqdn", s0}, {"timeout_seconds", 10}});
  EXPECT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(PowerOf(s0), PowerState::kRunning);
  EXPECT_TRUE(sim_->AgentRunning(s0));
  EXPECT_EQ(Call("host_contactable", {{"address", s0}}).value(), true);
  // The agent dies, the server stays up: listed as down.
  ASSERT_TRUE(Call("kill_agent", {{"fqdn", s0}}).ok());
  EXPECT_EQ(Call("faults").value()["agents_down"], Json::array({s0}));
  EXPECT_EQ(Call("host_contactable", {{"address", s0}}).value(), false);
  ASSERT_TRUE(Call("restart_agent", {{"fqdn", s0}}).ok());
  EXPECT_TRUE(sim_->AgentRunning(s0));
}

}  // namespace
}  // namespace cs
