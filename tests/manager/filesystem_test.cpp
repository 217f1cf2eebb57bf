// Filesystem creation and target failover through the job runner, with two
// scripted agents that report devices, NIDs and resource_locations and
// answer actions the way the simulator does.
#include <map>

#include "manager/manager_client.h"
#include "manager/manager_store.h"
#include "tests/manager/manager_test_util.h"

namespace cs::manager::testing {
namespace {

using protocol::Message;
using protocol::MessageType;

struct ScriptedHost {
  std::unique_ptr<TestAgent> agent;
  std::map<std::string, std::string> sessions;  // plugin -> id
  int64_t seq = 0;
  std::vector<Json> actions;                      // ACTION_START bodies seen
};

class FilesystemTest : public ManagerTest {
 protected:
  void SetUp() override {
    for (int i = 0; i < 2; ++i) {
      ScriptedHost h;
      h.agent = RegisteredAgent("test00" + std::to_string(i) + ".localdomain");
      for (const char* plugin : {"linux", "linux_network", "lustre", "corosync", "action_runner"}) {
        h.agent->Post({Message::SessionCreateRequest(plugin, h.agent->fqdn)});
      }
      hosts_.push_back(std::move(h));
    }
    Pump([&] {
      return hosts_[0].sessions.size() == 5 && hosts_[1].sessions.size() == 5;
    });
    for (size_t i = 0; i < hosts_.size(); ++i) {
      // Both see the same three volumes (a shared SAN), under their own paths.
      Json devs = Json::object();
      for (int d = 0; d < 3; ++d) {
        devs["8:" + std::to_string(16 * d)] = {{"path", "/dev/disk/by-id/scsi-vol" + std::to_string(d) + "-h" + std::to_string(i)},
                                               {"serial_80", "SERIAL" + std::to_string(d)},
                                               {"serial_83", nullptr}};
      }
      Data(hosts_[i], "linux", {{"devs", devs}});
      // Both are members of one corosync cluster (secondaries come from it).
      Data(hosts_[i], "corosync",
           {{"crm_info", {{"nodes", {{"test000", {{"online", true}}}, {"test001", {{"online", true}}}}}}},
            {"state", {{"corosync", "started"}, {"pacemaker", "started"}}}});
      Data(hosts_[i], "linux_network",
           {{"interfaces", {{"eth0", {}}, {"eth1", {}}}},
            {"lnet", {{"state", "lnet_up"},
                      {"nids", {{"eth0", {{"nid_address", "10.0.0." + std::to_string(i + 1)},
                                          {"type", "tcp"}, {"lnd_network", 0}}}}}}}});
    }
  }

  void Data(ScriptedHost& h, const std::string& plugin, Json body) {
    auto r = h.agent->Post({Message::Data(plugin, h.sessions[plugin], h.seq++, std::move(body), h.agent->fqdn)});
    EXPECT_EQ(r->status, 200);
  }

  // Fetches each host's messages and answers actions, until done() or 20 s.
  bool Pump(const std::function<bool()>& done) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (std::chrono::steady_clock::now() < deadline) {
      if (done()) return true;
      for (ScriptedHost& h : hosts_) {
        for (const Message& m : h.agent->GetMessages()) {
          if (m.type == MessageType::kSessionCreateResponse) h.sessions[m.plugin] = *m.session_id;
          if (m.type == MessageType::kData && m.plugin == "action_runner" && m.body.value("type", "") == "ACTION_START") {
            Answer(h, m.body);
          }
        }
      }
    }
    return done();
  }

  void Answer(ScriptedHost& h, const Json& start) {
    h.actions.push_back(start);
    const std::string action = start["action"];
    const Json& args = start["args"];
    Json result = {{"wrapper_version", 1}, {"result", true}};
    if (action == "format_target") {
      result = {{"uuid", "uuid-" + args["target_name"].get<std::string>() + "-0123456789"},
                {"filesystem_type", "ext4"}, {"inode_size", 256}};
    } else if (action == "register_target") {
      result = {{"label", "registered"}};
    } else if (action == "configure_target_ha") {
      result = {{"wrapper_version", 1}, {"result", nullptr}};
    } else if (action == "start_target") {
      result = {{"wrapper_version", 1}, {"result", h.agent->nodename}};
    }
    Data(h, "action_runner", {{"type", "ACTION_COMPLETE"}, {"id", start["id"]}, {"result", result},
                              {"exception", nullptr}, {"subprocesses", Json::array()}});
  }

  std::string CommandState(int64_t id) {
    auto c = manager_->store().GetRecord("command", id);
    return c ? (*c)["state"].get<std::string>() : "";
  }

  std::vector<ScriptedHost> hosts_;
};

TEST_F(FilesystemTest, CreateFormatsRegistersConfiguresHaAndStartsEachTarget) {
  auto admin = Admin();
  auto created = admin->Call("POST", "api/filesystem/",
                             Json{{"name", "testfs"},
                                  {"mgt", {{"host", "test000"}, {"device", 0}}},
                                  {"mdts", {{{"host", "test000"}, {"device", 1}}}},
                                  {"osts", {{{"host", "test001.localdomain"}, {"device", "/dev/disk/by-id/scsi-vol2-h1"}}}}});
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  const int64_t command = (*created)["command_id"];
  ASSERT_TRUE(Pump([&] { return CommandState(command) != "running"; }));
  auto record = *manager_->store().GetRecord("command", command);
  ASSERT_EQ(record["state"], "succeeded") << record.dump(2);

  std::vector<std::string> steps;
  for (const Json& s : record["steps"]) steps.push_back(s["action"].get<std::string>() + "@" + s["fqdn"].get<std::string>().substr(0, 7));
  const std::vector<std::string> per_target_on_0 = {"format_target@test000", "register_target@test000",
                                                    "configure_target_ha@test000", "configure_target_ha@test001",
                                                    "start_target@test000"};
  std::vector<std::string> expected = per_target_on_0;  // MGT
  expected.insert(expected.end(), per_target_on_0.begin(), per_target_on_0.end());  // MDT
  expected.insert(expected.end(), {"format_target@test001", "register_target@test001", "configure_target_ha@test001",
                                   "configure_target_ha@test000", "start_target@test001"});
  EXPECT_EQ(steps, expected);

  // Arguments as the agent's action plugins name them.
  const Json format_ost = record["steps"][10]["args"];
  EXPECT_EQ(format_ost["device"], "/dev/disk/by-id/scsi-vol2-h1");
  EXPECT_EQ(format_ost["target_types"], Json::array({"ost"}));
  EXPECT_EQ(format_ost["fsname"], "testfs");
  EXPECT_EQ(format_ost["index"], 0);
  EXPECT_EQ(format_ost["mgsnode"], (Json{{"10.0.0.1@tcp0"}, {"10.0.0.2@tcp0"}}));
  const Json ha_secondary = record["steps"][13]["args"];
  EXPECT_EQ(ha_secondary["primary"], false);
  EXPECT_EQ(ha_secondary["device"], "/dev/disk/by-id/scsi-vol2-h0");
  EXPECT_EQ(ha_secondary["uuid"], "uuid-testfs-OST0000-0123456789");
  EXPECT_EQ(ha_secondary["ha_label"], "testfs-OST0000_uuid-t");

  auto targets = admin->Call("GET", "api/target/");
  ASSERT_EQ((*targets)["objects"].size(), 3u);
  // start_target answered, but nothing says where targets run until the
  // agents' lustre plugin reports it.
  for (const Json& t : (*targets)["objects"]) EXPECT_TRUE(t["active_host"].is_null());
  Data(hosts_[1], "lustre", {{"resource_locations", {{"testfs-OST0000_uuid-t", "test001"}}}});
  auto ost = manager_->store().GetRecord("target", 3);
  EXPECT_EQ((*ost)["active_host"], "test001.localdomain");

  // Failover goes to the host that runs it, by ha_label.
  auto failover = admin->Call("POST", "api/target/3/failover/");
  ASSERT_TRUE(failover.ok()) << failover.status().ToString();
  const int64_t fo = (*failover)["id"];
  ASSERT_TRUE(Pump([&] { return CommandState(fo) != "running"; }));
  EXPECT_EQ(CommandState(fo), "succeeded");
  EXPECT_EQ(hosts_[1].actions.back()["action"], "failover_target");
  EXPECT_EQ(hosts_[1].actions.back()["args"], (Json{{"ha_label", "testfs-OST0000_uuid-t"}}));
  // The location changes only when the agents say so.
  EXPECT_EQ((*manager_->store().GetRecord("target", 3))["active_host"], "test001.localdomain");
  Data(hosts_[0], "lustre", {{"resource_locations", {{"testfs-OST0000_uuid-t", "test000"}}}});
  EXPECT_EQ((*manager_->store().GetRecord("target", 3))["active_host"], "test000.localdomain");
}

TEST_F(FilesystemTest, BadPlacementsAreRefused) {
  auto admin = Admin();
  auto missing_host = admin->Call("POST", "api/filesystem/",
                                  Json{{"name", "fs1"}, {"mgt", {{"host", "nosuch"}, {"device", 0}}},
                                       {"mdts", {{{"host", "test000"}, {"device", 1}}}},
                                       {"osts", {{{"host", "test001"}, {"device", 2}}}}});
  EXPECT_FALSE(missing_host.ok());
  auto bad_index = admin->Call("POST", "api/filesystem/",
                               Json{{"name", "fs1"}, {"mgt", {{"host", "test000"}, {"device", 7}}},
                                    {"mdts", {{{"host", "test000"}, {"device", 1}}}},
                                    {"osts", {{{"host", "test001"}, {"device", 2}}}}});
  EXPECT_FALSE(bad_index.ok());
  EXPECT_NE(bad_index.status().message().find("no index 7"), std::string::npos) << bad_index.status().message();
  EXPECT_TRUE(manager_->store().ListRecords("target").empty());
}

// A placement computed elsewhere (cluster-sim manager fs create --placement)
// names each target's secondary: it is used when it is a cluster peer that
// sees the device, and refused otherwise, before anything is created.
TEST_F(FilesystemTest, ANamedSecondaryIsUsedOrRefused) {
  auto admin = Admin();
  auto request = [](const Json& secondary) {
    return Json{{"name", "fs1"}, {"mgt", {{"host", "test001"}, {"device", 0}, {"secondary", secondary}}},
                {"mdts", {{{"host", "test000"}, {"device", 1}}}},
                {"osts", {{{"host", "test001"}, {"device", 2}}}}};
  };
  for (const Json& bad : {Json("test001"), Json("nosuch"), Json(7)}) {
    auto refused = admin->Call("POST", "api/filesystem/", request(bad));
    EXPECT_FALSE(refused.ok()) << bad.dump();
  }
  auto same = admin->Call("POST", "api/filesystem/", request("test001"));
  ASSERT_FALSE(same.ok());
  EXPECT_NE(same.status().message().find("the secondary must not be the primary"), std::string::npos)
      << same.status().message();
  EXPECT_TRUE(manager_->store().ListRecords("target").empty());
  auto created = admin->Call("POST", "api/filesystem/", request("test000.localdomain"));
  ASSERT_TRUE(created.ok()) << created.status().message();
  bool seen = false;
  for (const Json& t : manager_->store().ListRecords("target")) {
    if (t.value("kind", "") != "MGT") continue;
    seen = true;
    EXPECT_EQ(t["primary_host"], "test001.localdomain");
    EXPECT_EQ(t["secondary_host"], "test000.localdomain");
  }
  EXPECT_TRUE(seen);
  const int64_t command = (*created)["command_id"];
  EXPECT_TRUE(Pump([&] { return CommandState(command) == "succeeded"; })) << CommandState(command);
}

TEST_F(FilesystemTest, CancelSendsActionCancel) {
  auto admin = Admin();
  auto created = admin->Call("POST", "api/filesystem/",
                             Json{{"name", "testfs"}, {"mgt", {{"host", "test000"}, {"device", 0}}},
                                  {"mdts", {{{"host", "test000"}, {"device", 1}}}},
                                  {"osts", {{{"host", "test001"}, {"device", 2}}}}});
  ASSERT_TRUE(created.ok());
  const int64_t command = (*created)["command_id"];
  auto cancelled = admin->Call("DELETE", "api/command/" + std::to_string(command) + "/");
  ASSERT_TRUE(cancelled.ok()) << cancelled.status().ToString();
  EXPECT_EQ((*cancelled)["state"], "cancelled");
  bool saw_cancel = false;
  for (const Message& m : hosts_[0].agent->GetMessages()) {
    if (m.type == MessageType::kData && m.body["type"] == "ACTION_CANCEL") {
      saw_cancel = true;
      EXPECT_TRUE(m.body["action"].is_null());
    }
  }
  EXPECT_TRUE(saw_cancel);
}

}  // namespace
}  // namespace cs::manager::testing

namespace cs::manager::testing {
namespace {

// The hostile tester's defect: a filesystem create interrupted before its
// targets were formatted leaves them with "ha_label": null. Reports must
// keep working (that one record is skipped), and the next create succeeds,
// on the same devices, since the interrupted filesystem failed.
TEST_F(FilesystemTest, AnInterruptedCreateLeavesTheManagerWorking) {
  auto admin = Admin();
  const Json spec = {{"name", "testfs"}, {"mgt", {{"host", "test000"}, {"device", 0}}},
                     {"mdts", {{{"host", "test000"}, {"device", 1}}}},
                     {"osts", {{{"host", "test001"}, {"device", 2}}}}};
  auto first = admin->Call("POST", "api/filesystem/", spec);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  const int64_t interrupted = (*first)["command_id"];
  ASSERT_TRUE(admin->Call("DELETE", "api/command/" + std::to_string(interrupted) + "/").ok());
  for (const Json& t : manager_->store().ListRecords("target")) EXPECT_TRUE(t["ha_label"].is_null()) << t.dump();

  // A lustre report and a linux report in one POST: both answered 200, the
  // linux one applied.
  ScriptedHost& h = hosts_[0];
  Json devs = {{"8:0", {{"path", "/dev/disk/by-id/scsi-vol0-h0"}, {"serial_80", "SERIAL0"}}},
               {"8:16", {{"path", "/dev/disk/by-id/scsi-vol1-h0"}, {"serial_80", "SERIAL1"}}},
               {"8:32", {{"path", "/dev/disk/by-id/scsi-vol2-h0"}, {"serial_80", "SERIAL2"}}},
               {"8:48", {{"path", "/dev/disk/by-id/scsi-new-h0"}, {"serial_80", "SERIALNEW"}}}};
  auto both = h.agent->Post(
      {Message::Data("lustre", h.sessions["lustre"], h.seq++, {{"resource_locations", {{"x", "test000"}}}}, h.agent->fqdn),
       Message::Data("linux", h.sessions["linux"], h.seq++, {{"devs", devs}}, h.agent->fqdn)});
  ASSERT_TRUE(both.ok());
  EXPECT_EQ(both->status, 200) << both->body;
  const std::optional<HostRecord> host = manager_->store().HostByFqdn(h.agent->fqdn);
  ASSERT_TRUE(host);
  const std::optional<Json> facts = manager_->store().GetRecord("host_facts", host->id);
  ASSERT_TRUE(facts);
  EXPECT_TRUE((*facts)["devs"].contains("8:48")) << facts->dump();

  // A location of a shape nobody sends is ignored too.
  auto odd = h.agent->Post({Message::Data("lustre", h.sessions["lustre"], h.seq++,
                                          {{"resource_locations", {{"testfs-MGS_x", {{"a", 1}}}}}}, h.agent->fqdn)});
  EXPECT_EQ(odd->status, 200);

  // The next create, on the same devices, runs to the end.
  Json again = spec;
  again["name"] = "testfs2";
  auto second = admin->Call("POST", "api/filesystem/", again);
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  const int64_t command = (*second)["command_id"];
  ASSERT_TRUE(Pump([&] { return CommandState(command) != "running"; }));
  EXPECT_EQ(CommandState(command), "succeeded");
  Data(hosts_[1], "lustre", {{"resource_locations", {{"testfs2-OST0000_uuid-t", "test001"}}}});
  bool located = false;
  for (const Json& t : manager_->store().ListRecords("target")) {
    if (t["name"] == "testfs2-OST0000") located = t["active_host"] == "test001.localdomain";
  }
  EXPECT_TRUE(located);
}

TEST_F(FilesystemTest, ADeviceInUseByAnotherFilesystemIsRefused) {
  auto admin = Admin();
  auto created = admin->Call("POST", "api/filesystem/",
                             Json{{"name", "testfs"}, {"mgt", {{"host", "test000"}, {"device", 0}}},
                                  {"mdts", {{{"host", "test000"}, {"device", 1}}}},
                                  {"osts", {{{"host", "test001"}, {"device", 2}}}}});
  ASSERT_TRUE(created.ok());
  const size_t targets = manager_->store().ListRecords("target").size();
  // vol2 as seen by test000 is the OST's failover side.
  for (const Json& ost : {Json{{"host", "test000"}, {"device", 2}}, Json{{"host", "test001"}, {"device", 2}}}) {
    auto clash = admin->Call("POST", "api/filesystem/",
                             Json{{"name", "other"}, {"mgt", {{"host", "test001"}, {"device", 0}}},
                                  {"mdts", {{{"host", "test001"}, {"device", 1}}}}, {"osts", {ost}}});
    ASSERT_FALSE(clash.ok()) << ost.dump();
    EXPECT_NE(clash.status().message().find("in use by"), std::string::npos) << clash.status().message();
  }
  // Two targets of one request on one device.
  auto twice = admin->Call("POST", "api/filesystem/",
                           Json{{"name", "twice"}, {"mgt", {{"host", "test001"}, {"device", 0}}},
                                {"mdts", {{{"host", "test001"}, {"device", 0}}}},
                                {"osts", {{{"host", "test001"}, {"device", 1}}}}});
  EXPECT_FALSE(twice.ok());
  EXPECT_EQ(manager_->store().ListRecords("target").size(), targets);
}

}  // namespace
}  // namespace cs::manager::testing
