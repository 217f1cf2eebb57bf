// The control API over HTTP: JSON calls, XML-RPC calls with the original
// method names, malformed bodies, the bearer token, and the C++
// SimulatorRemoteOperations client.
#include "sim/control/control_server.h"

#include "net/https_client.h"
#include "net/io_pool.h"
#include "sim/control/remote_operations.h"
#include "sim/control/xmlrpc.h"
#include "tests/control/control_fixture.h"
#include "tests/time_scale.h"

namespace cs {
namespace {

class ControlServerTest : public ControlTest {
 protected:
  void StartServer(std::optional<std::string> token = std::nullopt) {
    ControlServerOptions options;
    options.port = 0;
    options.token = token;
    auto server = ControlServer::Start(sim_->io(), *api_, log_, options);
    ASSERT_TRUE(server.ok()) << server.status().message();
    server_ = std::move(*server);
    client_pool_ = std::make_unique<net::IoPool>(1);
    client_pool_->Start();
    auto client = net::HttpsClient::Create(client_pool_->context(), Url());
    ASSERT_TRUE(client.ok());
    client_ = std::move(*client);
  }

  void TearDown() override {
    client_.reset();
    if (client_pool_) {
      client_pool_->Stop();
      client_pool_->Join();
    }
    if (server_) server_->Stop();
    server_.reset();
    ControlTest::TearDown();
  }

  std::string Url() const { return "http://127.0.0.1:" + std::to_string(server_->port()) + "/"; }

  net::Response Send(const std::string& method, const std::string& target, const std::string& body,
                     const std::string& content_type = "application/json",
                     std::optional<std::string> auth = std::nullopt) {
    net::ClientRequest request;
    request.method = method;
    request.target = target;
    request.body = body;
    request.headers.Set("Content-Type", content_type);
    if (auth) request.headers.Set("Authorization", *auth);
    request.timeout = std::chrono::seconds(20);
    std::promise<Result<net::Response>> promise;
    auto future = promise.get_future();
    client_->Send(std::move(request), [&promise](Result<net::Response> r) { promise.set_value(std::move(r)); });
    if (future.wait_for(cs::testing::Scaled(std::chrono::seconds(60))) != std::future_status::ready) return net::Response{599, {}, ""};
    auto r = future.get();
    return r.ok() ? *r : net::Response{598, {}, r.status().message()};
  }

  XmlRpcResponse XmlCall(const std::string& method, const Json& params, const std::string& path = "RPC2") {
    net::Response r = Send("POST", path, FormatMethodCall(method, params), "text/xml");
    EXPECT_EQ(r.status, 200) << r.body;
    auto parsed = ParseMethodResponse(r.body);
    EXPECT_TRUE(parsed.ok()) << r.body;
    return parsed.ok() ? *parsed : XmlRpcResponse{true, nullptr, -1, "unparsable"};
  }

  std::unique_ptr<ControlServer> server_;
  std::unique_ptr<net::IoPool> client_pool_;
  std::unique_ptr<net::HttpsClient> client_;
};

TEST_F(ControlServerTest, JsonCallAndErrors) {
  StartServer();
  net::Response ok = Send("POST", "api/v1/stop_target", Json{{"fqdn", s0}, {"ha_label", kLabel}}.dump());
  EXPECT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(Json::parse(ok.body), Json({{"result", nullptr}}));
  EXPECT_EQ(RunningOn(kLabel), std::nullopt);

  const Json before = Dump();
  net::Response unknown = Send("POST", "api/v1/stop_target", Json{{"fqdn", "x"}, {"ha_label", kLabel}}.dump());
  EXPECT_EQ(unknown.status, 404);
  EXPECT_NE(Json::parse(unknown.body)["error"].get<std::string>().find("no server 'x'"), std::string::npos);
  EXPECT_EQ(Send("POST", "api/v1/stop_target", "{not json").status, 400);
  EXPECT_EQ(Send("POST", "api/v1/stop_target", "[1,2]").status, 400);
  EXPECT_EQ(Send("GET", "api/v1/stop_target", "").status, 405);
  EXPECT_EQ(Send("POST", "api/v1/nope", "{}").status, 404);
  EXPECT_EQ(Send("GET", "elsewhere", "").status, 404);
  EXPECT_EQ(Send("POST", "RPC2", "<methodCall><oops", "text/xml").status, 400);
  EXPECT_EQ(Dump(), before);

  net::Response list = Send("GET", "api/v1/", "");
  EXPECT_EQ(list.status, 200);
  EXPECT_TRUE(Json::parse(list.body)["result"].contains("set_node_standby"));
}

TEST_F(ControlServerTest, XmlRpcRoundTripWithTheOriginalNames) {
  StartServer();
  XmlRpcResponse su = XmlCall("add_su", Json::array({2, 4, 1}));
  ASSERT_FALSE(su.is_fault) << su.fault_string;
  ASSERT_EQ(su.value["fqdns"].size(), 2u);
  XmlRpcResponse polled = XmlCall("poll_fake_controller", Json::array({su.value["controller_id"]}), "");
  ASSERT_FALSE(polled.is_fault) << polled.fault_string;
  EXPECT_TRUE(polled.value.is_object());
  const std::string fqdn = su.value["fqdns"][0];
  XmlRpcResponse rate = XmlCall("set_log_rate", Json::array({fqdn, 7}));
  ASSERT_FALSE(rate.is_fault) << rate.fault_string;
  EXPECT_TRUE(rate.value.is_null());
  {
    std::lock_guard<std::mutex> lock(sim_->store().mutex());
    EXPECT_EQ(sim_->store().world().servers.Find(fqdn)->log_rate, 7);
  }
  XmlRpcResponse bad = XmlCall("set_log_rate", Json::array({"nosuch", 7}));
  EXPECT_TRUE(bad.is_fault);
  EXPECT_EQ(bad.fault_code, 404);
  XmlRpcResponse too_many = XmlCall("remove_server", Json::array({fqdn, 1, 2}));
  EXPECT_EQ(too_many.fault_code, 400);
  XmlRpcResponse unknown = XmlCall("no_such_method", Json::array());
  EXPECT_EQ(unknown.fault_code, 404);
  XmlRpcResponse removed = XmlCall("remove_server", Json::array({fqdn}));
  EXPECT_FALSE(removed.is_fault) << removed.fault_string;
}

TEST_F(ControlServerTest, HsmMethodsOverXmlRpcTakeTheOriginalsPositionalArguments) {
  StartServer();
  XmlRpcResponse on = XmlCall("control_hsm_coordinator", Json::array({"testfs", "enabled"}));
  ASSERT_FALSE(on.is_fault) << on.fault_string;
  EXPECT_TRUE(on.value.is_null());
  XmlRpcResponse bad = XmlCall("control_hsm_coordinator", Json::array({"testfs", "sideways"}));
  ASSERT_TRUE(bad.is_fault);
  EXPECT_EQ(bad.fault_code, 400);
  EXPECT_NE(bad.fault_string.find("Unknown HSM Coordinator control value"), std::string::npos) << bad.fault_string;
  const Json copytool = {{"id", "ct1"}, {"index", 0}, {"bin_path", "/usr/sbin/lhsmtool_posix"},
                         {"archive_number", 1}, {"filesystem", "testfs"}, {"mountpoint", "/mnt/testfs"},
                         {"hsm_arguments", ""}};
  XmlRpcResponse configured = XmlCall("configure_hsm_copytool", Json::array({"worker000.localdomain", copytool}));
  ASSERT_FALSE(configured.is_fault) << configured.fault_string;
  XmlRpcResponse started = XmlCall("start_monitored_copytool", Json::array({"worker000.localdomain", "ct1"}));
  ASSERT_FALSE(started.is_fault) << started.fault_string;
  {
    std::lock_guard<std::mutex> lock(sim_->store().mutex());
    EXPECT_TRUE(sim_->store().world().copytools.Find("ct1")->running);
    EXPECT_TRUE(sim_->store().world().hsm_coordinators.Find("testfs")->enabled);
  }
  for (const char* method : {"start_hsm_coordinators", "start_hsm_copytools"}) {
    XmlRpcResponse r = XmlCall(method, Json::array());
    EXPECT_FALSE(r.is_fault) << method << ": " << r.fault_string;
  }
  EXPECT_FALSE(XmlCall("stop_monitored_copytool", Json::array({"ct1"})).is_fault);
  EXPECT_FALSE(XmlCall("unconfigure_hsm_copytool", Json::array({"ct1"})).is_fault);
  EXPECT_EQ(XmlCall("unconfigure_hsm_copytool", Json::array({"ct1"})).fault_code, 404);
  XmlRpcResponse setup = XmlCall("setup", Json::array({4, 1, 8, 2, 4, 1, 0}));
  EXPECT_FALSE(setup.is_fault) << setup.fault_string;
}

TEST_F(ControlServerTest, TokenIsRequiredWhenSet) {
  StartServer("s3cret");
  EXPECT_EQ(Send("POST", "api/v1/faults", "{}").status, 401);
  EXPECT_EQ(Send("POST", "api/v1/faults", "{}", "application/json", "Bearer wrong").status, 401);
  EXPECT_EQ(Send("POST", "RPC2", FormatMethodCall("faults", Json::array()), "text/xml").status, 401);
  EXPECT_EQ(Send("POST", "api/v1/faults", "{}", "application/json", "Bearer s3cret").status, 200);

  SimulatorRemoteOptions options;
  options.url = Url();
  auto anonymous = SimulatorRemoteOperations::Connect(options);
  ASSERT_TRUE(anonymous.ok());
  EXPECT_FALSE((*anonymous)->ClearFaults().ok());
  options.token = "s3cret";
  auto ops = SimulatorRemoteOperations::Connect(options);
  ASSERT_TRUE(ops.ok());
  EXPECT_TRUE((*ops)->ClearFaults().ok());
}

TEST_F(ControlServerTest, RemoteOperationsClient) {
  StartServer();
  SimulatorRemoteOptions options;
  options.url = Url();
  auto connected = SimulatorRemoteOperations::Connect(options);
  ASSERT_TRUE(connected.ok());
  RemoteOperations& ops = **connected;
  EXPECT_EQ(ops.HostContactable(s0).value(), false);  // no agent runs
  ASSERT_TRUE(ops.SetNodeStandby(s0).ok());
  EXPECT_EQ(RunningOn(kLabel), "test001");
  EXPECT_EQ(ops.GetResourceRunning(s1, kLabel).value(), true);
  ASSERT_TRUE(ops.SetNodeOnline(s0).ok());
  auto proc = ops.ReadProc(s1, "/proc/fs/lustre/obdfilter/testfs-OST0000/sync_journal");
  ASSERT_TRUE(proc.ok()) << proc.status().message();
  EXPECT_EQ(*proc, "1");
  ASSERT_TRUE(ops.FailConnections(true, std::string(s1)).ok());
  EXPECT_TRUE(sim_->faults().For(s1).faults.fail_connections);
  ASSERT_TRUE(ops.FailConnections(false).ok());
  EXPECT_FALSE(sim_->faults().AnyActive());
  Status bad = ops.StopTarget(s0, "nosuch");
  EXPECT_EQ(bad.code(), Status::Code::kNotFound);
  ASSERT_TRUE(ops.KillServer(s1).ok());
  EXPECT_EQ(PowerOf(s1), PowerState::kOff);
  EXPECT_EQ(ops.KillServer(s1).code(), Status::Code::kFailedPrecondition);
}

}  // namespace
}  // namespace cs
