#include "tests/manager/manager_test_util.h"
#include "tests/time_scale.h"

#include <sys/stat.h>

#include <cstdlib>
#include <chrono>
#include <future>
#include <thread>

#include "crypto/csr.h"
#include "crypto/files.h"
#include "net/url.h"

namespace cs::manager::testing {

int64_t WalBytes(const std::string& db_path) {
  struct stat st {};
  return stat((db_path + "-wal").c_str(), &st) == 0 ? static_cast<int64_t>(st.st_size) : 0;
}

std::string MakeTempDir() {
  std::string tmpl = ::testing::TempDir() + "manager_test_XXXXXX";
  char* dir = mkdtemp(tmpl.data());
  EXPECT_NE(dir, nullptr);
  return std::string(dir) + "/state";
}

TestAgent::TestAgent(boost::asio::io_context& io, std::string url, std::string ca_pem,
                     std::string fqdn_)
    : fqdn(std::move(fqdn_)),
      key(*crypto::PrivateKey::Generate()),
      io_(io),
      url_(std::move(url)),
      ca_pem_(std::move(ca_pem)) {
  nodename = fqdn.substr(0, fqdn.find('.'));
  net::ClientOptions options;
  options.tls.ca_pem = ca_pem_;
  anonymous_ = net::HttpsClient::Create(io_, url_, options).value();
}

Result<net::Response> TestAgent::Send(net::HttpsClient& client, net::ClientRequest request) {
  auto promise = std::make_shared<std::promise<Result<net::Response>>>();
  auto future = promise->get_future();
  client.Send(std::move(request), [promise](Result<net::Response> r) { promise->set_value(std::move(r)); });
  // Generous for a loaded machine, scaled for sanitizers: a bound, not a limit under test.
  if (future.wait_for(cs::testing::Scaled(std::chrono::seconds(60))) != std::future_status::ready) {
    client.Close();
    return Status::Unavailable("no answer within 60 s (scaled)");
  }
  return future.get();
}

Result<net::Response> TestAgent::Register(const std::string& secret, const std::string& cn) {
  Result<std::string> csr = crypto::MakeCsrPem(key, cn.empty() ? fqdn : cn);
  if (!csr.ok()) return csr.status();
  net::ClientRequest request;
  request.method = "POST";
  request.target = "agent/register/" + secret + "/";
  request.body = Json{{"address", nullptr}, {"fqdn", fqdn}, {"nodename", nodename},
                      {"capabilities", {"manage_targets"}}, {"version", "4.0.0"}, {"csr", *csr}}
                     .dump();
  Result<net::Response> response = Send(*anonymous_, std::move(request));
  if (response.ok() && response->status == 201) {
    Json body = Json::parse(response->body);
    UseCertificate(body["certificate"].get<std::string>(), key);
  }
  return response;
}

void TestAgent::UseCertificate(const std::string& pem, const crypto::PrivateKey& k) {
  cert_pem = pem;
  net::ClientOptions options;
  options.tls.ca_pem = ca_pem_;
  options.tls.client_cert_pem = pem;
  options.tls.client_key_pem = k.ToPem();
  poster_ = net::HttpsClient::Create(io_, url_, options).value();
  getter_ = net::HttpsClient::Create(io_, url_, options).value();
}

Result<net::Response> TestAgent::PostRaw(const std::string& body) {
  net::ClientRequest request;
  request.method = "POST";
  request.target = "agent/message/";
  request.body = body;
  return Send(*poster_, std::move(request));
}

Result<net::Response> TestAgent::Post(const std::vector<protocol::Message>& messages) {
  protocol::Envelope e{messages, boot_time, start_time};
  return PostRaw(e.ToJson().dump());
}

Result<net::Response> TestAgent::Get() {
  net::ClientRequest request;
  request.target = "agent/message/?server_boot_time=" + net::PercentEncode(boot_time) +
                   "&client_start_time=" + net::PercentEncode(start_time);
  return Send(*getter_, std::move(request));
}

std::vector<protocol::Message> TestAgent::GetMessages() {
  Result<net::Response> r = Get();
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  if (!r.ok()) return {};
  EXPECT_EQ(r->status, 200) << r->body;
  Json body = Json::parse(r->body, nullptr, false);
  auto messages = protocol::MessagesFromJson(body);
  EXPECT_TRUE(messages.ok()) << r->body;
  return messages.ok() ? *messages : std::vector<protocol::Message>{};
}

ManagerTest::ManagerTest() : pool_(2) {
  pool_.Start();
  options_.port = 0;
  options_.dir = MakeTempDir();
  options_.long_poll = std::chrono::milliseconds(300);
  options_.set_up_hosts = false;
  StartManager();
}

ManagerTest::~ManagerTest() {
  StopManager();
  pool_.Stop();
  pool_.Join();
}

void ManagerTest::StartManager() {
  if (manager_) {
    // Same port, so that agents' URLs stay valid across the restart.
    options_.port = manager_->port();
    StopManager();
  }
  auto started = ManagerServer::Start(pool_.context(), options_);
  // A restart reuses the port; under a parallel suite another process's outgoing connection can
  // hold it for a moment after the old acceptor closed, so retry a bounded number of times.
  for (int attempt = 0; attempt < 50 && !started.ok() && options_.port != 0 &&
                        started.status().message().find("in use") != std::string::npos;
       ++attempt) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    started = ManagerServer::Start(pool_.context(), options_);
  }
  ASSERT_TRUE(started.ok()) << started.status().ToString();
  manager_ = std::move(*started);
}

void ManagerTest::StopManager() {
  if (manager_) manager_->Stop();
  manager_.reset();
}

std::string ManagerTest::CaPem() const { return *crypto::ReadSmallFile(options_.dir + "/ca.crt"); }

std::unique_ptr<ManagerClient> ManagerTest::Admin() {
  auto client = ManagerClient::Create(manager_->url(), CaPem());
  EXPECT_TRUE(client.ok()) << client.status().ToString();
  Status s = (*client)->Login("admin", "lustre");
  EXPECT_TRUE(s.ok()) << s.ToString();
  return std::move(*client);
}

std::string ManagerTest::CreateToken(int credits, const std::string& profile, const std::string& expiry) {
  Json request = {{"credits", credits}, {"profile", "/api/server_profile/" + profile + "/"}};
  if (!expiry.empty()) request["expiry"] = expiry;
  Result<Json> token = Admin()->Call("POST", "api/registration_token/", request);
  EXPECT_TRUE(token.ok()) << token.status().ToString();
  return token.ok() ? (*token)["secret"].get<std::string>() : "";
}

std::unique_ptr<TestAgent> ManagerTest::NewAgent(const std::string& fqdn) {
  return std::make_unique<TestAgent>(pool_.context(), manager_->url(), CaPem(), fqdn);
}

std::unique_ptr<TestAgent> ManagerTest::RegisteredAgent(const std::string& fqdn) {
  auto agent = NewAgent(fqdn);
  auto r = agent->Register(CreateToken());
  EXPECT_TRUE(r.ok() && r->status == 201);
  // The first GET is answered with SESSION_TERMINATE_ALL: take it.
  auto first = agent->GetMessages();
  EXPECT_EQ(first.size(), 1u);
  return agent;
}

std::string ManagerTest::OpenSession(TestAgent& agent, const std::string& plugin) {
  auto r = agent.Post({protocol::Message::SessionCreateRequest(plugin, agent.fqdn)});
  EXPECT_TRUE(r.ok() && r->status == 200);
  for (int i = 0; i < 5; ++i) {
    for (const auto& m : agent.GetMessages()) {
      if (m.type == protocol::MessageType::kSessionCreateResponse && m.plugin == plugin) {
        return m.session_id.value_or("");
      }
    }
  }
  ADD_FAILURE() << "no SESSION_CREATE_RESPONSE for " << plugin;
  return "";
}

}  // namespace cs::manager::testing
