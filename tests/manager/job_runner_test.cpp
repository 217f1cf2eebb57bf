// The job runner against a scripted fake agent over the real protocol:
// commands complete, fail on an exception or a timeout; and the target
// location view follows the agents' resource_locations.
#include <functional>
#include <thread>

#include "manager/job_runner.h"
#include "manager/manager_store.h"
#include "tests/manager/manager_test_util.h"
#include "tests/time_scale.h"

namespace cs::manager::testing {
namespace {

using protocol::Message;
using protocol::MessageType;

// What the fake agent answers to an action: {result, exception}; a null
// optional means "do not answer".
using Script = std::function<std::optional<std::pair<Json, Json>>(const std::string& action, const Json& args)>;

class JobTest : public ManagerTest {
 protected:
  JobTest() {
    options_.set_up_hosts = true;
    // Scaled: under a sanitizer at load 20-30 the test's own requests (the
    // remove, the answers) can take longer than 1.5 s, and a step that times
    // out first fails the command for the wrong reason. The test that wants
    // a timeout still gets one, only later.
    options_.step_timeout = cs::testing::Scaled(std::chrono::milliseconds(1500));
    StartManager();
  }

  // Registers a worker (4 setup steps), opens its action_runner session and
  // plays `script` until the setup command ends (at most 15 s).
  Json RunSetup(const Script& script, std::vector<std::string>* actions) {
    auto agent = NewAgent("worker0.localdomain");
    return Play(*agent, RegisterAndOpen(*agent, "posix_copytool_worker"), script, actions);
  }

  // Registers the agent with a `profile` token and opens its action_runner
  // session; returns the setup command's id.
  int64_t RegisterAndOpen(TestAgent& agent, const std::string& profile) {
    auto r = agent.Register(CreateToken(1, profile));
    EXPECT_EQ(r->status, 201);
    const int64_t command_id = Json::parse(r->body)["command_id"];
    EXPECT_GT(command_id, 0);
    agent.GetMessages();  // SESSION_TERMINATE_ALL
    // Not OpenSession(): the first ACTION_START comes in the same answer as
    // the SESSION_CREATE_RESPONSE.
    agent.Post({Message::SessionCreateRequest("action_runner", agent.fqdn)});
    return command_id;
  }

  // Answers the agent's actions with `script` until command `command_id`
  // ends (at most 15 s, scaled like the step timeout); returns its record.
  Json Play(TestAgent& agent, int64_t command_id, const Script& script, std::vector<std::string>* actions) {
    const auto deadline = std::chrono::steady_clock::now() + cs::testing::Scaled(std::chrono::seconds(15));
    while (std::chrono::steady_clock::now() < deadline) {
      auto command = manager_->store().GetRecord("command", command_id);
      if (command && (*command)["state"] != "running" && (*command)["state"] != "pending") return *command;
      for (const Message& m : agent.GetMessages()) {
        if (m.type == MessageType::kSessionCreateResponse) session_ = m.session_id.value_or("");
        if (m.type != MessageType::kData || m.plugin != "action_runner") continue;
        EXPECT_EQ(m.session_id, session_);
        EXPECT_EQ(m.body["type"], "ACTION_START");
        actions->push_back(m.body["action"]);
        auto answer = script(m.body["action"], m.body["args"]);
        if (!answer) continue;
        agent.Post({Message::Data("action_runner", session_, seq_++,
                                  Json{{"type", "ACTION_COMPLETE"}, {"id", m.body["id"]},
                                       {"result", answer->first}, {"exception", answer->second},
                                       {"subprocesses", Json::array()}},
                                  agent.fqdn)});
      }
    }
    ADD_FAILURE() << "command " << command_id << " did not end";
    return Json();
  }

  std::string session_;
  int64_t seq_ = 0;
};

const Json kOk = {{"wrapper_version", 1}, {"result", true}};

TEST_F(JobTest, SetupCompletesWhenEveryActionSucceeds) {
  std::vector<std::string> actions;
  Json command = RunSetup([](const std::string&, const Json&) { return std::make_pair(kOk, Json()); }, &actions);
  EXPECT_EQ(command["state"], "succeeded") << command.dump(2);
  EXPECT_EQ(actions, (std::vector<std::string>{"install_packages", "configure_ntp", "load_lnet", "start_lnet"}));
  for (const Json& step : command["steps"]) EXPECT_EQ(step["state"], "succeeded");
  EXPECT_EQ(manager_->store().HostByFqdn("worker0.localdomain")->state, "managed");
}

// configure_fencing carries the host's PDU outlets, as IML's
// ConfigureHostFencingStep sends them: an outlet assigned while the host is
// in setup is in it, and reassigning it later configures fencing again.
// Passwords go to the agent, never into the command's view.
TEST_F(JobTest, ConfigureFencingSendsTheHostsOutletsAndFollowsReassignment) {
  auto admin = Admin();
  auto type = admin->Call("POST", "api/power_control_type/",
                          Json{{"agent", "fence_apc"}, {"make", "Fake"}, {"model", "PDU"},
                               {"default_username", "apc"}, {"default_password", "apc"}, {"max_outlets", 2}});
  ASSERT_TRUE(type.ok()) << type.status().ToString();
  auto pdu = admin->Call("POST", "api/power_control_device/",
                         Json{{"device_type", (*type)["resource_uri"]}, {"name", "pdu0"},
                              {"address", "127.0.0.1"}, {"port", 2300}});
  ASSERT_TRUE(pdu.ok()) << pdu.status().ToString();
  EXPECT_FALSE(pdu->contains("password"));
  const std::string outlet_uri = (*pdu)["outlets"][1]["resource_uri"];

  auto agent = NewAgent("test000.localdomain");
  const int64_t setup = RegisterAndOpen(*agent, "base_managed_rh7");
  const std::string host_uri = "/api/host/" + std::to_string(manager_->store().HostByFqdn(agent->fqdn)->id) + "/";
  ASSERT_TRUE(admin->Call("PATCH", outlet_uri.substr(1), Json{{"host", host_uri}}).ok());

  std::vector<Json> fencing;
  std::vector<std::string> actions;
  Script script = [&](const std::string& action, const Json& args) {
    if (action == "configure_fencing") fencing.push_back(args["agents"]);
    return std::make_optional(std::make_pair(kOk, Json()));
  };
  Json command = Play(*agent, setup, script, &actions);
  ASSERT_EQ(command["state"], "succeeded") << command.dump(2);
  const Json expected = Json::array({{{"agent", "fence_apc"}, {"login", "apc"}, {"password", "apc"},
                                      {"plug", "2"}, {"ipaddr", "127.0.0.1"}, {"ipport", 2300}}});
  ASSERT_EQ(fencing.size(), 1u);
  EXPECT_EQ(fencing[0], expected);
  EXPECT_EQ(command["steps"].back()["action"], "configure_fencing");
  EXPECT_EQ(command["steps"].back()["args"]["agents"][0]["password"], "********");
  EXPECT_EQ(command.dump().find("\"password\":\"apc\""), std::string::npos) << command.dump();

  // The assignment came during setup: fencing is configured again after it.
  auto next_command = [&](int64_t after) -> int64_t {
    for (const Json& c : manager_->store().ListRecords("command")) {
      if (c["id"].get<int64_t>() > after && c.value("message", "").find("Configure fencing") == 0) return c["id"];
    }
    return 0;
  };
  const int64_t again = next_command(setup);
  ASSERT_GT(again, 0);
  EXPECT_EQ(Play(*agent, again, script, &actions)["state"], "succeeded");
  ASSERT_EQ(fencing.size(), 2u);
  EXPECT_EQ(fencing[1], expected);

  // A managed host whose outlet is taken away is configured without it.
  ASSERT_TRUE(admin->Call("PATCH", outlet_uri.substr(1), Json{{"host", nullptr}}).ok());
  const int64_t unassigned = next_command(again);
  ASSERT_GT(unassigned, 0);
  EXPECT_EQ(Play(*agent, unassigned, script, &actions)["state"], "succeeded");
  ASSERT_EQ(fencing.size(), 3u);
  EXPECT_EQ(fencing[2], Json::array());
}

TEST_F(JobTest, AnExceptionFailsTheCommand) {
  std::vector<std::string> actions;
  Json command = RunSetup(
      [](const std::string& action, const Json&) {
        if (action == "load_lnet") return std::make_pair(Json(), Json("Traceback: modprobe failed"));
        return std::make_pair(kOk, Json());
      },
      &actions);
  EXPECT_EQ(command["state"], "failed");
  EXPECT_EQ(actions.size(), 3u);  // nothing after the failed step
  EXPECT_EQ(command["steps"][2]["state"], "failed");
  EXPECT_EQ(command["steps"][2]["exception"], "Traceback: modprobe failed");
  EXPECT_EQ(command["steps"][3]["state"], "skipped");
  EXPECT_FALSE(command["errors"].empty());
  EXPECT_EQ(manager_->store().HostByFqdn("worker0.localdomain")->state, "setup_failed");
}

TEST_F(JobTest, AnUnansweredActionTimesOut) {
  std::vector<std::string> actions;
  Json command = RunSetup(
      [](const std::string& action, const Json&) -> std::optional<std::pair<Json, Json>> {
        if (action == "configure_ntp") return std::nullopt;
        return std::make_pair(kOk, Json());
      },
      &actions);
  EXPECT_EQ(command["state"], "failed");
  EXPECT_NE(command["steps"][1]["exception"].get<std::string>().find("timed out"), std::string::npos);
}

TEST_F(JobTest, AHostThatNeverOpensItsSessionFailsTheStepAfterTheWait) {
  options_.session_wait = std::chrono::milliseconds(300);
  StartManager();
  auto r = NewAgent("worker0.localdomain")->Register(CreateToken(1, "posix_copytool_worker"));
  ASSERT_EQ(r->status, 201);
  const int64_t command_id = Json::parse(r->body)["command_id"];
  // The wait is 300 ms; the limit is generous and scaled for sanitizer
  // builds on a loaded machine, since failing is all this test asks.
  std::string state;
  const auto deadline = std::chrono::steady_clock::now() + cs::testing::Scaled(std::chrono::seconds(15));
  while (state != "failed" && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    state = (*manager_->store().GetRecord("command", command_id))["state"];
  }
  ASSERT_EQ(state, "failed");
  auto command = *manager_->store().GetRecord("command", command_id);
  EXPECT_NE(command["steps"][0]["exception"].get<std::string>().find("action_runner session"), std::string::npos);
}

// Reads the agent's messages (up to 5 GETs) until an ACTION_START arrives;
// returns its id, or "" when none came.
std::string ReadActionStart(TestAgent& agent) {
  for (int i = 0; i < 5; ++i) {
    for (const Message& m : agent.GetMessages()) {
      if (m.type == MessageType::kData && m.plugin == "action_runner") return m.body["id"];
    }
  }
  return "";
}

const Script kAllSucceed = [](const std::string&, const Json&) { return std::make_optional(std::make_pair(kOk, Json())); };
const std::vector<std::string> kWorkerSetup = {"install_packages", "configure_ntp", "load_lnet", "start_lnet"};

// The failure seen registering 1,000 servers 64 at a time: the agent asked
// for its action_runner session again (its first request went unanswered
// for its 10 s backoff on a busy manager) before it read the first step.
// The step cannot have run: it goes out again on the new session, once.
TEST_F(JobTest, AStepNotYetReadIsSentAgainWhenTheSessionIsRecreated) {
  auto agent = NewAgent("worker0.localdomain");
  const int64_t command_id = RegisterAndOpen(*agent, "posix_copytool_worker");  // install_packages queued
  ASSERT_TRUE(agent->Post({Message::SessionCreateRequest("action_runner", agent->fqdn)}).ok());
  std::vector<std::string> actions;
  Json command = Play(*agent, command_id, kAllSucceed, &actions);
  EXPECT_EQ(command["state"], "succeeded") << command.dump(2);
  EXPECT_EQ(actions, kWorkerSetup);  // each once: the first install_packages never left
  EXPECT_EQ(command["steps"][0]["sent_again"], 1);
  EXPECT_EQ(manager_->store().HostByFqdn(agent->fqdn)->state, "managed");
}

// The agent had read the step (and may have run it) when it asked for the
// session again: install_packages is safe to run twice, so it is sent
// again, with a new action id.
TEST_F(JobTest, AStepAlreadyReadIsSentAgainWhenItIsSafeToRunTwice) {
  auto agent = NewAgent("worker0.localdomain");
  const int64_t command_id = RegisterAndOpen(*agent, "posix_copytool_worker");
  const std::string first_id = ReadActionStart(*agent);
  ASSERT_FALSE(first_id.empty());
  ASSERT_TRUE(agent->Post({Message::SessionCreateRequest("action_runner", agent->fqdn)}).ok());
  std::vector<std::string> actions;
  Json command = Play(*agent, command_id, kAllSucceed, &actions);
  EXPECT_EQ(command["state"], "succeeded") << command.dump(2);
  EXPECT_EQ(actions, kWorkerSetup);
  EXPECT_NE(command["steps"][0]["action_id"], first_id);
  EXPECT_EQ(command["steps"][0]["sent_again"], 1);
}

// format_target makes a new filesystem: while the agent has not read it, a
// re-created session gets it again; once the agent may have run it, it is
// never sent again: the step fails and says why.
TEST_F(JobTest, AStepNotSafeToRunTwiceIsSentAgainOnlyUntilTheAgentReadsIt) {
  auto agent = NewAgent("worker0.localdomain");
  std::vector<std::string> actions;
  ASSERT_EQ(Play(*agent, RegisterAndOpen(*agent, "posix_copytool_worker"), kAllSucceed, &actions)["state"],
            "succeeded");
  CommandSpec format;
  format.message = "Format a target";
  format.steps.push_back(StepSpec{agent->fqdn, "format_target", [](const Json&) { return Json::object(); }, nullptr});
  Result<int64_t> id = manager_->jobs().Submit(std::move(format));
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  ASSERT_TRUE(agent->Post({Message::SessionCreateRequest("action_runner", agent->fqdn)}).ok());  // unread
  ASSERT_FALSE(ReadActionStart(*agent).empty());
  EXPECT_EQ((*manager_->store().GetRecord("command", *id))["steps"][0]["sent_again"], 1);
  ASSERT_TRUE(agent->Post({Message::SessionCreateRequest("action_runner", agent->fqdn)}).ok());  // read
  auto command = manager_->store().GetRecord("command", *id);
  ASSERT_TRUE(command);
  EXPECT_EQ((*command)["state"], "failed");
  EXPECT_NE((*command)["steps"][0]["exception"].get<std::string>().find("may have run"), std::string::npos)
      << command->dump(2);
  for (const Message& m : agent->GetMessages()) EXPECT_NE(m.type, MessageType::kData) << "format_target sent again";
}

// A new agent instance (its first GET ends the old sessions): the step the
// old one read is sent to the new one once it opens its session.
TEST_F(JobTest, AStepIsSentAgainToANewAgentInstance) {
  auto agent = NewAgent("worker0.localdomain");
  const int64_t command_id = RegisterAndOpen(*agent, "posix_copytool_worker");
  ASSERT_FALSE(ReadActionStart(*agent).empty());
  agent->start_time = "2026-01-01T01:00:00+00:00Z";
  agent->GetMessages();  // SESSION_TERMINATE_ALL
  std::string state;  // the record is written just after the GET's answer at worst
  for (int i = 0; i < 50 && state != "waiting"; ++i) {
    state = (*manager_->store().GetRecord("command", command_id))["steps"][0]["state"];
    if (state != "waiting") std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(state, "waiting");
  ASSERT_TRUE(agent->Post({Message::SessionCreateRequest("action_runner", agent->fqdn)}).ok());
  std::vector<std::string> actions;
  Json command = Play(*agent, command_id, kAllSucceed, &actions);
  EXPECT_EQ(command["state"], "succeeded") << command.dump(2);
  EXPECT_EQ(actions, kWorkerSetup);
}

// A host that goes silent ends its sessions with none to follow: the
// running step fails at once instead of waiting for its timeout.
TEST_F(JobTest, AStepFailsWhenTheHostsSessionEndsForGood) {
  options_.contact_timeout = std::chrono::milliseconds(400);
  options_.sweep_interval = std::chrono::milliseconds(100);
  options_.step_timeout = std::chrono::seconds(60);
  StartManager();
  auto agent = NewAgent("worker0.localdomain");
  const int64_t command_id = RegisterAndOpen(*agent, "posix_copytool_worker");
  ASSERT_FALSE(ReadActionStart(*agent).empty());
  std::string state;
  for (int i = 0; i < 100 && state != "failed"; ++i) {  // silent from now on
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    state = (*manager_->store().GetRecord("command", command_id))["state"];
  }
  ASSERT_EQ(state, "failed");
  auto command = *manager_->store().GetRecord("command", command_id);
  EXPECT_EQ(command["steps"][0]["exception"], "the host's action_runner session ended");
}

TEST_F(JobTest, RemovingAHostFailsItsRunningCommandAtOnce) {
  auto agent = NewAgent("worker0.localdomain");
  const int64_t command_id = RegisterAndOpen(*agent, "posix_copytool_worker");
  bool started = false;  // the first setup step reaches the agent, which never answers
  for (int i = 0; i < 5 && !started; ++i) {
    for (const Message& m : agent->GetMessages()) started = started || m.type == MessageType::kData;
  }
  ASSERT_TRUE(started);
  const int64_t host_id = manager_->store().HostByFqdn(agent->fqdn)->id;
  auto removed = Admin()->Call("POST", "api/command/",
                               Json{{"jobs", Json::array({{{"class_name", "ForceRemoveHostJob"},
                                                           {"args", {{"host_id", host_id}}}}})}});
  ASSERT_TRUE(removed.ok()) << removed.status().ToString();
  // Failed now, not after the 1.5 s step timeout or the hour's session wait.
  auto command = manager_->store().GetRecord("command", command_id);
  ASSERT_TRUE(command);
  EXPECT_EQ((*command)["state"], "failed");
  EXPECT_EQ((*command)["steps"][0]["exception"], "the host was removed (ForceRemoveHostJob)");
  EXPECT_EQ((*command)["steps"][1]["state"], "skipped");
}

TEST_F(ManagerTest, TargetLocationFollowsResourceLocations) {
  auto agent = RegisteredAgent("test000.localdomain");
  auto id = manager_->store().InsertRecord(
      "target", Json{{"name", "MGS"}, {"ha_label", "MGS_abc123"}, {"active_host", nullptr},
                     {"primary_host", "test000.localdomain"}});
  ASSERT_TRUE(id.ok());
  const std::string session = OpenSession(*agent, "lustre");
  auto report = [&](Json where, int64_t seq) {
    agent->Post({Message::Data("lustre", session, seq, Json{{"resource_locations", {{"MGS_abc123", where}}}}, agent->fqdn)});
  };
  report("test000", 0);
  EXPECT_EQ((*manager_->store().GetRecord("target", *id))["active_host"], "test000.localdomain");
  report(nullptr, 1);
  EXPECT_TRUE((*manager_->store().GetRecord("target", *id))["active_host"].is_null());
}

}  // namespace
}  // namespace cs::manager::testing
