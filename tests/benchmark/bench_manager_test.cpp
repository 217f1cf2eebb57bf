// What the benchmark modes read from the built-in manager, checked on a
// real manager and simulator daemon (benchmark/scratch_env.h): the
// system_status/ queues in IML's shape with numbers that move under load,
// volume/ and storage_resource/ lists paged as the other lists, the
// simulator's register/register_many answering with the manager's
// registration answer (command_id included), ForceRemoveHostJob (reset),
// and refused credentials as one line and status 2; and which calls the
// control timeout bounds (a stand-in control API that answers slowly).
#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/steady_timer.hpp>
#include <set>
#include <thread>

#include "bench/child_process.h"
#include "benchmark/scratch_env.h"
#include "benchmark/target.h"
#include "net/https_server.h"
#include "net/io_pool.h"
#include "tests/benchmark/bench_test_util.h"

namespace cs::benchmark::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

// A control API on 127.0.0.1 that answers list_servers at once and every
// other operation only after `delay`, with an empty result.
class SlowControlApi {
 public:
  explicit SlowControlApi(milliseconds delay) : delay_(delay) {
    pool_.Start();
    auto server = net::HttpsServer::Start(pool_.context(), net::ServerOptions{},
                                          [this](const net::Request& r, net::Respond respond) { Answer(r, respond); });
    EXPECT_TRUE(server.ok()) << server.status().message();
    if (server.ok()) server_ = std::move(*server);
  }
  ~SlowControlApi() {
    if (server_) server_->Stop();
    pool_.Stop();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(server_ ? server_->port() : 0); }
  int slow_calls() const { return slow_calls_; }

 private:
  void Answer(const net::Request& r, const net::Respond& respond) {
    const net::Response empty = net::Response::Json(200, R"({"result": []})");
    if (r.path == "/api/v1/list_servers") return respond(empty);
    ++slow_calls_;
    auto timer = std::make_shared<boost::asio::steady_timer>(pool_.context(), delay_);
    timer->async_wait([timer, respond, empty](const boost::system::error_code&) { respond(empty); });
  }

  milliseconds delay_;
  std::atomic<int> slow_calls_{0};
  net::IoPool pool_;
  std::unique_ptr<net::HttpsServer> server_;
};

class BenchManagerTest : public ::testing::Test {
 protected:
  void StartWorld(double throttle) {
    dir_ = MakeDir();
    ScratchOptions o;
    o.binary = CS_BINARY;
    o.dir = dir_ + "/world";
    o.throttle_rx = throttle;
    o.poll_seconds = 1;
    auto env = ScratchEnv::Start(o);
    ASSERT_TRUE(env.ok()) << env.status().message();
    env_ = std::move(*env);
    TargetOptions t{env_->manager_url(), env_->ca_pem(), "admin", "lustre", env_->control_url()};
    ConnectProblem problem;
    auto target = Target::Connect(t, &problem);
    ASSERT_TRUE(target.ok()) << target.status().message();
    target_ = std::move(*target);
  }
  void TearDown() override {
    target_.reset();
    if (env_) env_->Stop();
    RemoveDir(dir_);
  }

  // An SU of `servers` registered with one token; the setup commands.
  std::vector<int64_t> RegisterSu(int servers, int volumes, Json* su_out = nullptr) {
    Result<Json> su = target_->Control("add_su", Json{{"server_count", servers}, {"volume_count", volumes}, {"nid_count", 1}});
    EXPECT_TRUE(su.ok()) << su.status().message();
    if (su_out) *su_out = *su;
    Result<std::string> secret = target_->RegistrationSecret(servers);
    EXPECT_TRUE(secret.ok());
    Result<Json> answers = target_->Control("register_many", Json{{"fqdns", (*su)["fqdns"]}, {"secret", *secret}});
    EXPECT_TRUE(answers.ok()) << answers.status().message();
    std::vector<int64_t> commands;
    for (const Json& a : *answers) {
      EXPECT_TRUE(a["registered"].get<bool>()) << a.dump();
      Result<int64_t> id = CommandIdOf(a);
      EXPECT_TRUE(id.ok()) << a.dump();
      if (id.ok()) commands.push_back(*id);
    }
    return commands;
  }

  Deadline In(int s) { return std::chrono::steady_clock::now() + seconds(s); }

  std::string dir_;
  std::unique_ptr<ScratchEnv> env_;
  std::unique_ptr<Target> target_;
};

TEST_F(BenchManagerTest, RegisterAnswersCarryTheSetupCommandId) {
  StartWorld(0);
  Result<Json> fqdn = target_->Control("add_server", Json{{"nid_count", 1}});
  ASSERT_TRUE(fqdn.ok());
  Result<std::string> secret = target_->RegistrationSecret(1);
  ASSERT_TRUE(secret.ok());
  Result<Json> answer = target_->Control("register", Json{{"fqdn", *fqdn}, {"secret", *secret}});
  ASSERT_TRUE(answer.ok()) << answer.status().message();
  EXPECT_EQ((*answer)["fqdn"], *fqdn);
  EXPECT_TRUE((*answer)["host_id"].is_number_integer()) << answer->dump();
  EXPECT_FALSE(answer->contains("certificate"));
  Result<int64_t> command = CommandIdOf(*answer);
  ASSERT_TRUE(command.ok()) << answer->dump();
  Result<Json> record = target_->Rest("GET", "api/command/" + std::to_string(*command) + "/");
  ASSERT_TRUE(record.ok());
  EXPECT_NE((*record)["message"].get<std::string>().find(fqdn->get<std::string>()), std::string::npos);
  EXPECT_TRUE(target_->WaitForCommands({*command}, In(120)).ok());
  record = target_->Rest("GET", "api/command/" + std::to_string(*command) + "/");
  EXPECT_TRUE((*record)["complete"].get<bool>());
  EXPECT_FALSE((*record)["errored"].get<bool>());
  EXPECT_FALSE((*record)["cancelled"].get<bool>());
  // register_many answers one such object per server.
  EXPECT_EQ(RegisterSu(2, 4).size(), 2u);
}

TEST_F(BenchManagerTest, SystemStatusHasIMLsQueueShapeAndItsNumbersMoveUnderLoad) {
  StartWorld(2);  // two messages a second per queue: the journal backs up
  Result<Json> status = target_->Rest("GET", "api/system_status/");
  ASSERT_TRUE(status.ok());
  ASSERT_TRUE((*status)["rabbitmq"]["queues"].is_array()) << status->dump();
  auto queue = [&](const std::string& name) -> Json {
    Result<std::vector<Json>> queues = target_->Queues();
    EXPECT_TRUE(queues.ok());
    for (const Json& q : *queues) {
      if (q["name"] == name) return q;
    }
    return Json();
  };
  const Json jobs_before = queue("job_scheduler");
  ASSERT_TRUE(jobs_before.is_object()) << status->dump();
  EXPECT_EQ(jobs_before["messages"], 0);
  Json su;
  const std::vector<int64_t> commands = RegisterSu(2, 2, &su);
  const Json jobs_during = queue("job_scheduler");
  EXPECT_EQ(jobs_during["messages"], 2) << jobs_during.dump();  // two setup commands running
  EXPECT_EQ(jobs_during["message_stats_publish"].get<int>() - jobs_before["message_stats_publish"].get<int>(), 2);
  ASSERT_TRUE(target_->WaitForCommands(commands, In(180)).ok());
  for (const Json& fqdn : su["fqdns"]) {
    ASSERT_TRUE(target_->Control("set_log_rate", Json{{"fqdn", fqdn}, {"rate", 640}}).ok());  // 10 messages per poll
  }
  Json journal;
  for (int i = 0; i < 60; ++i) {
    journal = queue("agent_systemd_journal_rx");
    if (journal.is_object() && journal["messages"].get<double>() > 20) break;
    std::this_thread::sleep_for(seconds(1));
  }
  ASSERT_TRUE(journal.is_object());
  for (const char* key : {"name", "messages", "message_stats_ack_details_rate", "message_stats_publish_details_rate"}) {
    EXPECT_TRUE(journal.contains(key)) << journal.dump();
  }
  EXPECT_GT(journal["messages"].get<double>(), 20) << journal.dump();
  EXPECT_GT(journal["message_stats_publish_details_rate"].get<double>(),
            journal["message_stats_ack_details_rate"].get<double>()) << journal.dump();
  EXPECT_LE(journal["message_stats_ack_details_rate"].get<double>(), 2.5) << journal.dump();
  const Json jobs_after = queue("job_scheduler");
  EXPECT_EQ(jobs_after["messages"], 0);
  EXPECT_GE(jobs_after["message_stats_ack"].get<int>(), 2);
}

TEST_F(BenchManagerTest, VolumeAndStorageResourceListsPageAndReset) {
  StartWorld(0);
  Json su;
  ASSERT_TRUE(target_->WaitForCommands(RegisterSu(2, 6, &su), In(180)).ok());
  Json volumes;
  for (int i = 0; i < 30; ++i) {
    Result<Json> listed = target_->Rest("GET", "api/volume/?limit=0");
    ASSERT_TRUE(listed.ok());
    volumes = *listed;
    if (volumes["meta"]["total_count"] == 6) break;
    std::this_thread::sleep_for(seconds(1));
  }
  ASSERT_EQ(volumes["meta"]["total_count"], 6) << volumes.dump();
  std::set<std::string> labels;
  for (const Json& v : volumes["objects"]) {
    labels.insert(v["label"].get<std::string>());
    EXPECT_EQ(v["volume_nodes"].size(), 2u) << v.dump();  // both SU servers see each volume
    EXPECT_EQ(v["resource_uri"], "/api/volume/" + std::to_string(v["id"].get<int>()) + "/");
  }
  for (const Json& serial : su["serials"]) EXPECT_TRUE(labels.count(serial.get<std::string>())) << serial;
  Result<Json> page = target_->Rest("GET", "api/volume/?limit=4&offset=4");
  ASSERT_TRUE(page.ok());
  EXPECT_EQ((*page)["objects"].size(), 2u);
  EXPECT_EQ((*page)["meta"]["total_count"], 6);
  EXPECT_TRUE((*page)["meta"]["next"].is_null());

  Result<Json> classes = target_->Rest("GET", "api/storage_resource_class/?plugin_name=simulator_controller");
  ASSERT_TRUE(classes.ok());
  ASSERT_EQ((*classes)["objects"].size(), 1u);
  EXPECT_EQ((*classes)["objects"][0]["class_name"], "Couplet");
  const Json couplet = {{"plugin_name", "simulator_controller"}, {"class_name", "Couplet"},
                        {"attrs", {{"controller_id", su["controller_id"]}}}};
  ASSERT_TRUE(target_->Rest("POST", "api/storage_resource/", couplet).ok());
  EXPECT_FALSE(target_->Rest("POST", "api/storage_resource/", couplet).ok());  // one per controller
  EXPECT_FALSE(target_->Rest("POST", "api/storage_resource/", Json{{"plugin_name", "other"}}).ok());
  Result<Json> listed = target_->Rest("GET", "api/storage_resource/?plugin_name=simulator_controller&class_name=Couplet");
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ((*listed)["meta"]["total_count"], 1);
  EXPECT_EQ((*listed)["objects"][0]["attrs"]["controller_id"], su["controller_id"]);
  Result<Json> none = target_->Rest("GET", "api/storage_resource/?class_name=Other");
  EXPECT_EQ((*none)["meta"]["total_count"], 0);

  // reset: every server gone from both sides, the Couplet too.
  ASSERT_TRUE(target_->Reset(In(120)).ok());
  EXPECT_EQ((*target_->Rest("GET", "api/host/"))["meta"]["total_count"], 0);
  EXPECT_EQ((*target_->Rest("GET", "api/storage_resource/"))["meta"]["total_count"], 0);
  EXPECT_TRUE(target_->Control("list_servers", Json::object())->empty());
  // The same names register again (the manager forgot them).
  ASSERT_TRUE(target_->WaitForCommands(RegisterSu(2, 2), In(180)).ok());
}

TEST_F(BenchManagerTest, AShortControlTimeoutBoundsRegistrationCallsButNeverTheResetsCleanUp) {
  // concurrent_registration_limit's --control-timeout 1.5 is a finding when
  // register_many outlasts it; the reset between steps (remove_all_servers)
  // outlasting it on a loaded machine once ended the whole run as an error.
  StartWorld(0);
  SlowControlApi control(milliseconds(1500));
  TargetOptions options{env_->manager_url(), env_->ca_pem(), "admin", "lustre", control.url(), milliseconds(300)};
  auto target = Target::Connect(options, nullptr);
  ASSERT_TRUE(target.ok()) << target.status().message();

  Result<Json> registered = (*target)->MeasuredControl("register_many", Json{{"fqdns", Json::array()}});
  ASSERT_FALSE(registered.ok());
  EXPECT_EQ(registered.status().code(), Status::Code::kUnavailable) << registered.status().message();
  EXPECT_NE(registered.status().message().find("timed out"), std::string::npos) << registered.status().message();

  Status reset = (*target)->Reset(In(60));
  EXPECT_TRUE(reset.ok()) << reset.message();
  EXPECT_TRUE((*target)->Control("add_su", Json::object()).ok());
  EXPECT_EQ(control.slow_calls(), 3);
}

TEST_F(BenchManagerTest, RefusedCredentialsAreOneLineAndStatus2) {
  StartWorld(0);
  const std::string ca = dir_ + "/world/manager/ca.crt";
  BenchRun run = RunBench({"reset", "--url", env_->manager_url(), "--ca", ca, "--password", "wrong",
                           "--control-url", env_->control_url()},
                          dir_, 60);
  EXPECT_EQ(run.status, 2);
  EXPECT_EQ(std::count(run.output.begin(), run.output.end(), '\n'), 1) << run.output;
  EXPECT_NE(run.output.find("refused the credentials"), std::string::npos) << run.output;
  EXPECT_EQ(run.output.find("wrong"), std::string::npos);  // no password in the message
  // The right ones run the reset against that manager and simulator.
  run = RunBench({"reset", "--url", env_->manager_url(), "--ca", ca, "--control-url", env_->control_url()}, dir_, 120);
  EXPECT_EQ(run.status, 0) << run.output;
  EXPECT_EQ(run.report["stop_reason"], "done") << run.output;
}

}  // namespace
}  // namespace cs::benchmark::testing
