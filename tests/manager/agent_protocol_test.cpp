// The agent side of the protocol against a real manager over TLS:
// registration, authentication, sessions, resets, long polls, bad input.
#include <future>
#include <thread>

#include "crypto/authority.h"
#include "crypto/certificate.h"
#include "crypto/csr.h"
#include "manager/manager_store.h"
#include "tests/manager/manager_test_util.h"
#include "tests/time_scale.h"

namespace cs::manager::testing {
namespace {

using protocol::Message;
using protocol::MessageType;

TEST_F(ManagerTest, RegistrationIssuesACertificateFromTheCa) {
  auto agent = NewAgent("test000.localdomain");
  auto r = agent->Register(CreateToken());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->status, 201) << r->body;
  Json body = Json::parse(r->body);
  ASSERT_TRUE(body["host_id"].is_number_integer());
  ASSERT_TRUE(body.contains("command_id"));
  auto cert = crypto::Certificate::Parse(body["certificate"].get<std::string>());
  ASSERT_TRUE(cert.ok());
  EXPECT_EQ(cert->common_name(), "test000.localdomain");
  auto ca = crypto::Certificate::Parse(CaPem());
  ASSERT_TRUE(ca.ok());
  EXPECT_TRUE(crypto::VerifyCertificate(*cert, *ca, {crypto::VerifyOptions::Purpose::kTlsClient, {}}).ok());
  auto host = manager_->store().HostByFqdn("test000.localdomain");
  ASSERT_TRUE(host.has_value());
  EXPECT_EQ(host->cert_serial, cert->serial_hex());
  EXPECT_EQ(host->nodename, "test000");
  EXPECT_EQ(host->profile, "base_managed_rh7");
}

TEST_F(ManagerTest, BadTokensAreForbidden) {
  auto agent = NewAgent("test001.localdomain");
  auto unknown = agent->Register("nosuchsecret");
  ASSERT_TRUE(unknown.ok());
  EXPECT_EQ(unknown->status, 403);
  EXPECT_EQ(unknown->body, "");

  const std::string once = CreateToken(1);
  ASSERT_EQ(agent->Register(once)->status, 201);
  auto exhausted = NewAgent("test002.localdomain")->Register(once);
  EXPECT_EQ(exhausted->status, 403);

  auto expired = NewAgent("test003.localdomain")->Register(CreateToken(5, "base_managed_rh7", "2001-01-01T00:00:00"));
  EXPECT_EQ(expired->status, 403);

  auto admin = Admin();
  auto token = admin->Call("POST", "api/registration_token/", Json{{"credits", 5}});
  ASSERT_TRUE(token.ok());
  ASSERT_TRUE(admin->Call("DELETE", (*token)["resource_uri"].get<std::string>().substr(1)).ok());
  auto cancelled = NewAgent("test004.localdomain")->Register((*token)["secret"].get<std::string>());
  EXPECT_EQ(cancelled->status, 403);
  EXPECT_FALSE(manager_->store().HostByFqdn("test004.localdomain").has_value());
}

TEST_F(ManagerTest, CommonNameMismatchIsATerse400AndCostsACredit) {
  const std::string secret = CreateToken(1);
  auto r = NewAgent("test000.localdomain")->Register(secret, "victim.localdomain");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 400);
  EXPECT_EQ(r->body, "");
  EXPECT_EQ(NewAgent("test000.localdomain")->Register(secret)->status, 403);  // credit spent
}

TEST_F(ManagerTest, FqdnInUse) {
  const std::string secret = CreateToken(5);
  ASSERT_EQ(NewAgent("test000.localdomain")->Register(secret)->status, 201);
  auto again = NewAgent("test000.localdomain")->Register(secret);
  EXPECT_EQ(again->status, 400);
  EXPECT_EQ(Json::parse(again->body), (Json{{"fqdn", {"FQDN in use"}}}));
}

TEST_F(ManagerTest, FirstGetTerminatesAllThenSessionsRoundTrip) {
  auto agent = NewAgent("test000.localdomain");
  ASSERT_EQ(agent->Register(CreateToken())->status, 201);
  auto first = agent->GetMessages();
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].type, MessageType::kSessionTerminateAll);
  EXPECT_EQ(first[0].fqdn, "test000.localdomain");

  auto post = agent->Post({Message::SessionCreateRequest("linux", agent->fqdn)});
  ASSERT_TRUE(post.ok());
  EXPECT_EQ(post->status, 200);
  EXPECT_EQ(post->body, "");
  auto answer = agent->GetMessages();
  ASSERT_EQ(answer.size(), 1u);
  EXPECT_EQ(answer[0].type, MessageType::kSessionCreateResponse);
  EXPECT_EQ(answer[0].plugin, "linux");
  ASSERT_TRUE(answer[0].session_id.has_value());
  EXPECT_FALSE(answer[0].session_seq.has_value());

  // DATA on that session is accepted silently: the next GET is empty.
  agent->Post({Message::Data("linux", *answer[0].session_id, 0, Json{{"devs", Json::object()}}, agent->fqdn)});
  EXPECT_TRUE(agent->GetMessages().empty());
}

TEST_F(ManagerTest, DataOnAnUnknownSessionIsTerminated) {
  auto agent = RegisteredAgent("test000.localdomain");
  agent->Post({Message::Data("lustre", "bogus-session", 0, Json::object(), agent->fqdn)});
  auto answer = agent->GetMessages();
  ASSERT_EQ(answer.size(), 1u);
  EXPECT_EQ(answer[0].type, MessageType::kSessionTerminate);
  EXPECT_EQ(answer[0].plugin, "lustre");
  EXPECT_FALSE(answer[0].session_id.has_value());
}

TEST_F(ManagerTest, NewClientStartTimeTerminatesAll) {
  auto agent = RegisteredAgent("test000.localdomain");
  const std::string session = OpenSession(*agent, "linux");
  ASSERT_FALSE(session.empty());
  EXPECT_TRUE(agent->GetMessages().empty());  // same start time: no reset
  agent->start_time = "2026-01-01T00:05:00.5+00:00Z";
  auto answer = agent->GetMessages();
  ASSERT_EQ(answer.size(), 1u);
  EXPECT_EQ(answer[0].type, MessageType::kSessionTerminateAll);
  // The old session is gone: DATA on it is terminated.
  agent->Post({Message::Data("linux", session, 1, Json::object(), agent->fqdn)});
  auto after = agent->GetMessages();
  ASSERT_EQ(after.size(), 1u);
  EXPECT_EQ(after[0].type, MessageType::kSessionTerminate);
}

TEST_F(ManagerTest, NewBootTimeIsRecordedAsAReboot) {
  auto agent = RegisteredAgent("test000.localdomain");
  auto host = manager_->store().HostByFqdn(agent->fqdn);
  EXPECT_EQ(host->boot_time, agent->boot_time);
  EXPECT_EQ(host->reboots, 0);
  agent->boot_time = "2026-02-02T00:00:00+00:00Z";
  agent->start_time = "2026-02-02T00:00:30+00:00Z";
  agent->GetMessages();
  host = manager_->store().HostByFqdn(agent->fqdn);
  EXPECT_EQ(host->boot_time, "2026-02-02T00:00:00+00:00Z");
  EXPECT_EQ(host->reboots, 1);
  EXPECT_FALSE(host->last_reboot.empty());
}

TEST_F(ManagerTest, LongPollAnswersEmptyAfterTheTimeout) {
  auto agent = RegisteredAgent("test000.localdomain");
  const auto start = std::chrono::steady_clock::now();
  auto r = agent->Get();
  const auto took = std::chrono::steady_clock::now() - start;
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(Json::parse(r->body), (Json{{"messages", Json::array()}}));
  EXPECT_GE(took, std::chrono::milliseconds(250));
  EXPECT_LT(took, cs::testing::Scaled(std::chrono::seconds(30))) << "answered at its 300 ms timeout, not hung";
}

TEST_F(ManagerTest, ClientCertificateFromAnotherCaIsForbidden) {
  auto agent = RegisteredAgent("test000.localdomain");
  auto other = crypto::CertificateAuthority::Create();
  ASSERT_TRUE(other.ok());
  auto csr = crypto::MakeCsrPem(agent->key, agent->fqdn);
  auto forged = other->IssueClientCertificate(*csr);
  ASSERT_TRUE(forged.ok());
  agent->UseCertificate(forged->pem, agent->key);
  auto r = agent->Get();
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->status, 403);
  EXPECT_EQ(r->body, "");
  auto p = agent->Post({});
  EXPECT_EQ(p->status, 403);
}

TEST_F(ManagerTest, MessageForAnotherHostIsRejectedWhole) {
  auto agent = RegisteredAgent("test000.localdomain");
  auto r = agent->Post({Message::SessionCreateRequest("linux", agent->fqdn),
                        Message::SessionCreateRequest("linux", "test001.localdomain")});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 400);
  EXPECT_EQ(r->body, "Incorrect client name");
  EXPECT_TRUE(agent->GetMessages().empty());  // the first message was not processed
}

TEST_F(ManagerTest, BadRequestsGet4xxAndTheServerKeepsServing) {
  auto agent = RegisteredAgent("test000.localdomain");
  auto malformed = agent->PostRaw("{not json");
  EXPECT_EQ(malformed->status, 400);
  EXPECT_TRUE(Json::parse(malformed->body).contains("error"));
  auto missing = agent->PostRaw("{\"messages\": []}");
  EXPECT_EQ(missing->status, 400);
  auto oversized = agent->PostRaw(std::string(options_.max_body_bytes + 10, 'x'));
  if (oversized.ok()) {
    EXPECT_EQ(oversized->status, 413);
  }
  auto admin = Admin();
  auto unknown = admin->Call("GET", "nowhere/");
  EXPECT_FALSE(unknown.ok());
  EXPECT_NE(unknown.status().message().find("404"), std::string::npos);
  auto bad_register = NewAgent("test009.localdomain");
  const std::string secret = CreateToken();
  // Still serving, and the agent still works.
  EXPECT_EQ(agent->Post({})->status, 200);
  EXPECT_EQ(bad_register->Register(secret)->status, 201);
}

TEST_F(ManagerTest, RestartKeepsRegistrationsAndAgentsReconnect) {
  auto agent = RegisteredAgent("test000.localdomain");
  const std::string token = CreateToken(3);
  auto target = manager_->store().InsertRecord("target", Json{{"name", "MGS"}, {"ha_label", "MGS_abcdef"}});
  ASSERT_TRUE(target.ok());
  StartManager();
  EXPECT_EQ((*manager_->store().GetRecord("target", *target))["ha_label"], "MGS_abcdef");  // a new process would do the same: everything is in --dir
  // The agent's existing certificate still works; its sessions are gone.
  auto after = agent->GetMessages();
  ASSERT_EQ(after.size(), 1u);
  EXPECT_EQ(after[0].type, MessageType::kSessionTerminateAll);
  EXPECT_FALSE(OpenSession(*agent, "linux").empty());
  auto host = manager_->store().HostByFqdn(agent->fqdn);
  ASSERT_TRUE(host.has_value());
  EXPECT_EQ(host->reboots, 0);  // same boot time: a manager restart is no reboot
  EXPECT_EQ(NewAgent("test001.localdomain")->Register(token)->status, 201);
}

}  // namespace
}  // namespace cs::manager::testing

namespace cs::manager::testing {
namespace {

TEST_F(ManagerTest, ANewerGetSupersedesTheWaitingOne) {
  // A long poll far longer than the test may take, so that only the
  // newer GET can have answered the older one.
  options_.long_poll = cs::testing::Scaled(std::chrono::seconds(60));
  StartManager();
  auto agent = RegisteredAgent("test000.localdomain");
  // A second agent object with the same certificate plays the new GET.
  auto twin = NewAgent(agent->fqdn);
  twin->UseCertificate(agent->cert_pem, agent->key);
  std::promise<std::chrono::steady_clock::duration> first_took;
  const auto start = std::chrono::steady_clock::now();
  std::thread older([&] {
    auto r = agent->Get();
    EXPECT_TRUE(r.ok() && r->status == 200);
    first_took.set_value(std::chrono::steady_clock::now() - start);
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  // The newer GET waits its own long poll out; answer it by queueing.
  std::thread newer([&] { EXPECT_TRUE(twin->Get().ok()); });
  older.join();
  agent->Post({protocol::Message::Data("linux", "stale", 0, Json::object(), agent->fqdn)});
  newer.join();
  // The older one was answered when the newer arrived, not at its timeout.
  EXPECT_LT(first_took.get_future().get(), cs::testing::Scaled(std::chrono::seconds(40)));
}

class ContactTest : public ManagerTest {
 protected:
  ContactTest() {
    options_.contact_timeout = std::chrono::milliseconds(400);
    options_.sweep_interval = std::chrono::milliseconds(100);
    StartManager();
  }
};

TEST_F(ContactTest, SilentHostsBecomeUnreachableAndComeBack) {
  auto agent = RegisteredAgent("test000.localdomain");
  const std::string session = OpenSession(*agent, "linux");
  std::this_thread::sleep_for(std::chrono::milliseconds(900));
  EXPECT_FALSE(manager_->store().HostByFqdn(agent->fqdn)->reachable);
  // Its sessions were ended; the agent learns it on its next GET.
  auto messages = agent->GetMessages();
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0].type, protocol::MessageType::kSessionTerminate);
  EXPECT_TRUE(manager_->store().HostByFqdn(agent->fqdn)->reachable);
}

}  // namespace
}  // namespace cs::manager::testing
