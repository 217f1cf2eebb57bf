// agent/copytool_event/ against a real manager over TLS: a copytool
// monitor's events become copytools and operations (CopytoolEventView's
// rules), listed under api/copytool/; the certificate checks of the other
// agent endpoints; bad bodies are refused whole.
#include <future>

#include "crypto/authority.h"
#include "crypto/csr.h"
#include "tests/manager/manager_test_util.h"
#include "tests/time_scale.h"

namespace cs::manager::testing {
namespace {

// POSTs `body` to agent/copytool_event/ as `agent` (with its certificate,
// if it has one) on a connection of its own.
class CopytoolEventsTest : public ManagerTest {
 protected:
  Result<net::Response> PostEvents(const TestAgent& agent, const std::string& body) {
    net::ClientOptions options;
    options.tls.ca_pem = CaPem();
    if (!agent.cert_pem.empty()) {
      options.tls.client_cert_pem = agent.cert_pem;
      options.tls.client_key_pem = agent.key.ToPem();
    }
    auto client = net::HttpsClient::Create(pool_.context(), manager_->url(), options);
    if (!client.ok()) return client.status();
    net::ClientRequest request;
    request.method = "POST";
    request.target = "agent/copytool_event/";
    request.headers.Set("Content-Type", "application/json");
    request.body = body;
    auto promise = std::make_shared<std::promise<Result<net::Response>>>();
    auto future = promise->get_future();
    (*client)->Send(std::move(request), [promise](Result<net::Response> r) { promise->set_value(std::move(r)); });
    if (future.wait_for(cs::testing::Scaled(std::chrono::seconds(60))) != std::future_status::ready) {
      (*client)->Close();
      return Status::Unavailable("no answer within 20 s");
    }
    return future.get();
  }
};

Json Event(const std::string& type, const std::string& fid, int64_t current, const std::string& time) {
  return Json{{"event_type", type}, {"lustre_path", "scratch/data/file.tar"}, {"total_bytes", 1000},
              {"current_bytes", current}, {"source_fid", fid}, {"data_fid", fid}, {"event_time", time}};
}

Json Envelope(const std::string& fqdn, Json events) {
  return Json{{"fqdn", fqdn}, {"copytool", "ct7"}, {"events", std::move(events)}};
}

Json Copytools(ManagerClient& admin, const std::string& query = "") {
  Result<Json> list = admin.Call("GET", "api/copytool/" + query);
  EXPECT_TRUE(list.ok()) << list.status().ToString();
  return list.ok() ? *list : Json();
}

TEST_F(CopytoolEventsTest, CopytoolEventsBecomeCopytoolsAndOperations) {
  auto agent = RegisteredAgent("worker000.localdomain");
  const Json reg = {{"event_type", "REGISTER"}, {"uuid", "9e0d2d8e-0d1c-4a5b-8f1e-2b3c4d5e6f70"},
                    {"mount_point", "/mnt/testfs"}, {"archive", 1}, {"event_time", "2026-12-01 10:00:00+00:00"}};
  auto r = PostEvents(*agent, Envelope(agent->fqdn, {reg, Event("ARCHIVE_START", "0x1:0x1:0x0", 0, "2026-12-01 10:00:01+00:00")}).dump());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->status, 200) << r->body;
  const Json answer = Json::parse(r->body);
  ASSERT_TRUE(answer["active_operations"].contains("0x1:0x1:0x0")) << answer;
  const int64_t op = answer["active_operations"]["0x1:0x1:0x0"];

  auto admin = Admin();
  Json list = Copytools(*admin);
  ASSERT_EQ(list["meta"]["total_count"], 1);
  Json c = list["objects"][0];
  EXPECT_EQ(c["host"], "worker000.localdomain");
  EXPECT_EQ(c["copytool"], "ct7");
  EXPECT_EQ(c["state"], "started");
  EXPECT_EQ(c["uuid"], reg["uuid"]);
  EXPECT_EQ(c["events"], 2);
  EXPECT_EQ(c["resource_uri"], "/api/copytool/" + std::to_string(c["id"].get<int64_t>()) + "/");
  ASSERT_EQ(c["active_operations"].size(), 1u);
  EXPECT_EQ(c["active_operations"][0]["type"], "ARCHIVE");
  EXPECT_EQ(c["active_operations"][0]["state"], "started");
  EXPECT_EQ(c["active_operations"][0]["path"], "scratch/data/file.tar");

  // The monitor sends the operation id back with the later events.
  Json running = Event("ARCHIVE_RUNNING", "0x1:0x1:0x0", 400, "2026-12-01 10:00:06+00:00");
  running["active_operation"] = op;
  ASSERT_EQ(PostEvents(*agent, Envelope(agent->fqdn, {running}).dump())->status, 200);
  c = Copytools(*admin)["objects"][0];
  EXPECT_EQ(c["active_operations"][0]["state"], "running");
  EXPECT_EQ(c["active_operations"][0]["processed_bytes"], 400);

  Json finish = Event("ARCHIVE_FINISH", "0x1:0x1:0x0", 1000, "2026-12-01 10:00:09+00:00");
  finish["active_operation"] = op;
  // Events are taken in time order, whatever order they come in.
  const Json unreg = {{"event_type", "UNREGISTER"}, {"uuid", reg["uuid"]}, {"mount_point", "/mnt/testfs"},
                      {"archive", 1}, {"event_time", "2026-12-01 10:00:10+00:00"}};
  r = PostEvents(*agent, Envelope(agent->fqdn, {unreg, finish}).dump());
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(Json::parse(r->body)["active_operations"], Json::object());
  c = Copytools(*admin)["objects"][0];
  EXPECT_EQ(c["state"], "stopped");
  EXPECT_EQ(c["operations"], (Json{{"started", 0}, {"running", 0}, {"finished", 1}, {"errored", 0}}));
  EXPECT_TRUE(c["active_operations"].empty());
  EXPECT_EQ(c["last_event_at"], "2026-12-01 10:00:10+00:00");
  EXPECT_EQ(c["event_types"], (Json{{"REGISTER", 1}, {"ARCHIVE_START", 1}, {"ARCHIVE_RUNNING", 1},
                                    {"ARCHIVE_FINISH", 1}, {"UNREGISTER", 1}}));

  // A START without the REGISTER: started under the unknown uuid, as the original.
  ASSERT_EQ(PostEvents(*agent, Envelope(agent->fqdn, {Event("RESTORE_START", "0x2:0x1:0x0", 0, "2026-12-01 10:01:00+00:00")}).dump())->status, 200);
  c = Copytools(*admin)["objects"][0];
  EXPECT_EQ(c["state"], "started");
  EXPECT_EQ(c["uuid"], "00000000-0000-0000-0000-000000000000");

  // Kept across a restart of the manager.
  StopManager();
  StartManager();
  c = Copytools(*Admin())["objects"][0];
  EXPECT_EQ(c["operations"]["finished"], 1);
  EXPECT_EQ(c["operations"]["started"], 1);
  EXPECT_EQ(c["event_types"]["RESTORE_START"], 1) << "the counts by type are kept too";
  EXPECT_EQ(c["events"], 6);
}

TEST_F(CopytoolEventsTest, CopytoolListPagesLikeTheOtherLists) {
  auto a = RegisteredAgent("worker000.localdomain");
  auto b = RegisteredAgent("worker001.localdomain");
  const Json reg = {{"event_type", "REGISTER"}, {"uuid", "u"}, {"event_time", "2026-12-01 10:00:00+00:00"}};
  ASSERT_EQ(PostEvents(*a, Envelope(a->fqdn, {reg}).dump())->status, 200);
  ASSERT_EQ(PostEvents(*b, Envelope(b->fqdn, {reg}).dump())->status, 200);
  auto admin = Admin();
  Json page = Copytools(*admin, "?limit=1&offset=1");
  EXPECT_EQ(page["meta"]["total_count"], 2);
  ASSERT_EQ(page["objects"].size(), 1u);
  EXPECT_EQ(page["objects"][0]["host"], "worker001.localdomain");
  EXPECT_FALSE(admin->Call("GET", "api/copytool/?limit=-1").ok());
  EXPECT_FALSE(admin->Call("POST", "api/copytool/", Json::object()).ok());
}

TEST_F(CopytoolEventsTest, CopytoolEventsNeedTheHostsCertificateAndAGoodBody) {
  auto agent = RegisteredAgent("worker000.localdomain");
  auto admin = Admin();
  const std::string good = Envelope(agent->fqdn, {Event("ARCHIVE_START", "f", 0, "2026-12-01 10:00:00+00:00")}).dump();

  auto stranger = NewAgent("worker009.localdomain");  // no certificate at all
  EXPECT_EQ(PostEvents(*stranger, good)->status, 403);
  auto forged = NewAgent("worker000.localdomain");
  auto other = crypto::CertificateAuthority::Create();
  ASSERT_TRUE(other.ok());
  auto cert = other->IssueClientCertificate(*crypto::MakeCsrPem(forged->key, forged->fqdn));
  ASSERT_TRUE(cert.ok());
  forged->UseCertificate(cert->pem, forged->key);
  EXPECT_EQ(PostEvents(*forged, good)->status, 403);

  auto theirs = PostEvents(*agent, Envelope("worker001.localdomain", Json::array()).dump());
  EXPECT_EQ(theirs->status, 400);
  EXPECT_EQ(theirs->body, "Incorrect client name");

  const std::pair<std::string, std::string> bad[] = {
      {"{not json", ""},
      {R"({"copytool": "ct7"})", "Missing attribute 'events'"},
      {R"({"events": []})", "Missing attribute 'copytool'"},
      {R"({"copytool": "ct7", "events": {}})", "'events' must be a list"},
      {R"({"copytool": "ct7", "events": [{"event_time": "2026-12-01 10:00:00+00:00"}]})", "Missing attribute 'event_type'"},
      {R"({"copytool": "ct7", "events": [{"event_type": "REGISTER", "event_time": "yesterday"}]})", "bad event_time"},
      {R"({"copytool": "ct7", "events": [{"event_type": "REGISTER", "event_time": "2026-12-01 10:00:00+00:00"}, {"event_type": "COPY_START", "event_time": "2026-12-01 10:00:00+00:00"}]})",
       "Unknown event type: 'COPY_START'"},
      {R"({"copytool": "ct7", "events": [{"event_type": "ARCHIVE_START", "event_time": "2026-12-01 10:00:00+00:00"}]})", "Missing attribute 'data_fid'"},
  };
  for (const auto& [body, words] : bad) {
    auto r = PostEvents(*agent, body);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->status, 400) << body;
    EXPECT_NE(r->body.find(words), std::string::npos) << body << " -> " << r->body;
  }
  EXPECT_EQ(Copytools(*admin)["meta"]["total_count"], 0) << "nothing of a refused POST is kept";
  EXPECT_EQ(PostEvents(*agent, good)->status, 200) << "and the endpoint still serves";
  EXPECT_EQ(Copytools(*admin)["meta"]["total_count"], 1);
}

}  // namespace
}  // namespace cs::manager::testing
