// The REST API: login with CSRF, the calls `register` and
// `--create_pdu_entries` make, tokens, and the object views.
#include <algorithm>
#include <future>

#include "crypto/files.h"
#include "net/https_client.h"
#include "tests/manager/manager_test_util.h"
#include "tests/time_scale.h"

namespace cs::manager::testing {
namespace {

class RestTest : public ManagerTest {
 protected:
  Result<net::Response> Send(net::HttpsClient& client, net::ClientRequest request) {
    auto promise = std::make_shared<std::promise<Result<net::Response>>>();
    auto future = promise->get_future();
    client.Send(std::move(request), [promise](Result<net::Response> r) { promise->set_value(std::move(r)); });
    EXPECT_EQ(future.wait_for(cs::testing::Scaled(std::chrono::seconds(60))), std::future_status::ready);
    return future.get();
  }
  std::unique_ptr<net::HttpsClient> Browser() {
    net::ClientOptions options;
    options.tls.ca_pem = CaPem();
    return net::HttpsClient::Create(pool_.context(), manager_->url(), options).value();
  }
  net::ClientRequest Login(const std::string& password, const std::string& csrf) {
    net::ClientRequest r;
    r.method = "POST";
    r.target = "api/session/";
    r.body = Json{{"username", "admin"}, {"password", password}}.dump();
    if (!csrf.empty()) r.headers.Set("X-CSRFToken", csrf);
    return r;
  }
};

TEST_F(RestTest, LoginNeedsCsrfAndTheRightPassword) {
  auto browser = Browser();
  net::ClientRequest hosts;
  hosts.target = "api/host/";
  EXPECT_EQ(Send(*browser, hosts)->status, 401);

  auto session = Send(*browser, net::ClientRequest{});
  net::ClientRequest get_session;
  get_session.target = "api/session/";
  session = Send(*browser, get_session);
  ASSERT_EQ(session->status, 200);
  auto csrf = browser->GetCookie("csrftoken");
  ASSERT_TRUE(csrf.has_value());
  ASSERT_TRUE(browser->GetCookie("sessionid").has_value());

  EXPECT_EQ(Send(*browser, Login("lustre", ""))->status, 403);
  EXPECT_EQ(Send(*browser, Login("lustre", "wrong"))->status, 403);
  EXPECT_EQ(Send(*browser, Login("wrong", *csrf))->status, 401);
  EXPECT_EQ(Send(*browser, hosts)->status, 401);
  EXPECT_EQ(Send(*browser, Login("lustre", *csrf))->status, 201);
  auto listed = Send(*browser, hosts);
  EXPECT_EQ(listed->status, 200);
  EXPECT_TRUE(Json::parse(listed->body)["objects"].is_array());

  // Unsafe methods need the CSRF header even when logged in.
  net::ClientRequest token;
  token.method = "POST";
  token.target = "api/registration_token/";
  token.body = "{}";
  EXPECT_EQ(Send(*browser, token)->status, 403);
  token.headers.Set("X-CSRFToken", *csrf);
  auto created = Send(*browser, token);
  EXPECT_EQ(created->status, 201);
  const std::string secret = Json::parse(created->body)["secret"];
  EXPECT_FALSE(secret.empty());
  for (char c : secret) EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c)) || c == '_');
}

TEST_F(RestTest, PasswordsAreStoredHashed) {
  auto text = crypto::ReadSmallFile(options_.dir + "/users.json");
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(text->find("lustre"), std::string::npos);
  EXPECT_EQ(text->find("chr0m4_d3bub"), std::string::npos);
  auto client = ManagerClient::Create(manager_->url(), CaPem());
  EXPECT_TRUE((*client)->Login("debug", "chr0m4_d3bub").ok());
}

TEST_F(RestTest, ProfilesHostsAndPduEntriesAsTheSimulatorUsesThem) {
  auto admin = Admin();
  auto profiles = admin->Call("GET", "api/server_profile/");
  ASSERT_TRUE(profiles.ok());
  std::vector<std::string> names;
  for (const Json& p : (*profiles)["objects"]) names.push_back(p["name"]);
  EXPECT_NE(std::find(names.begin(), names.end(), "base_managed_rh7"), names.end());
  EXPECT_NE(std::find(names.begin(), names.end(), "posix_copytool_worker"), names.end());

  auto agent = RegisteredAgent("test000.localdomain");
  auto hosts = admin->Call("GET", "api/host/");
  ASSERT_TRUE(hosts.ok());
  ASSERT_EQ((*hosts)["objects"].size(), 1u);
  const Json host = (*hosts)["objects"][0];
  EXPECT_EQ(host["fqdn"], "test000.localdomain");
  EXPECT_EQ(host["server_profile"], "/api/server_profile/base_managed_rh7/");
  EXPECT_EQ(host["boot_time"], agent->boot_time);
  EXPECT_TRUE(host["last_contact"].is_string());

  auto type = admin->Call("POST", "api/power_control_type/",
                          Json{{"agent", "fence_apc"}, {"make", "Fake"}, {"model", "PDU"},
                               {"default_username", "apc"}, {"default_password", "apc"}, {"max_outlets", 3}});
  ASSERT_TRUE(type.ok()) << type.status().ToString();
  EXPECT_FALSE(type->contains("default_password"));
  // The original CLI joins "<url>/api/...": double slashes must work.
  auto pdu = admin->Call("POST", "/api/power_control_device/",
                         Json{{"device_type", (*type)["resource_uri"]}, {"name", "pdu0"},
                              {"address", "127.0.0.1"}, {"port", 23}});
  ASSERT_TRUE(pdu.ok()) << pdu.status().ToString();
  ASSERT_EQ((*pdu)["outlets"].size(), 3u);
  const Json outlet = (*pdu)["outlets"][0];
  EXPECT_EQ(outlet["identifier"], "1");
  auto patched = admin->Call("PATCH", "/" + outlet["resource_uri"].get<std::string>(), Json{{"host", host["resource_uri"]}});
  ASSERT_TRUE(patched.ok()) << patched.status().ToString();
  EXPECT_EQ((*patched)["host"], host["resource_uri"]);
  EXPECT_FALSE(admin->Call("PATCH", outlet["resource_uri"].get<std::string>().substr(1),
                           Json{{"host", "/api/host/99/"}}).ok());
  for (const char* view : {"api/target/", "api/filesystem/", "api/command/"}) {
    auto list = admin->Call("GET", view);
    ASSERT_TRUE(list.ok()) << view;
    EXPECT_TRUE((*list)["objects"].is_array());
  }
}

// Lists page as tastypie did: 20 by default, limit=0 for all, offset, and
// meta with total_count, previous and next.
TEST_F(RestTest, ListsPageLikeTastypie) {
  auto admin = Admin();
  for (int i = 0; i < 45; ++i) CreateToken(1);
  auto first = admin->Call("GET", "api/registration_token/");
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ((*first)["objects"].size(), 20u);
  EXPECT_EQ((*first)["meta"]["total_count"], 45);
  EXPECT_EQ((*first)["meta"]["limit"], 20);
  EXPECT_EQ((*first)["meta"]["offset"], 0);
  EXPECT_TRUE((*first)["meta"]["previous"].is_null());
  EXPECT_EQ((*first)["meta"]["next"], "/api/registration_token/?limit=20&offset=20");
  EXPECT_EQ((*first)["objects"][0]["id"], 1);

  // Following next walks every token once, in id order.
  std::vector<int64_t> ids;
  Json page = *first;
  for (int pages = 0; pages < 5; ++pages) {
    for (const Json& t : page["objects"]) ids.push_back(t["id"].get<int64_t>());
    if (page["meta"]["next"].is_null()) break;
    auto next = admin->Call("GET", page["meta"]["next"].get<std::string>().substr(1));
    ASSERT_TRUE(next.ok());
    page = *next;
  }
  ASSERT_EQ(ids.size(), 45u);
  for (size_t i = 0; i < ids.size(); ++i) EXPECT_EQ(ids[i], static_cast<int64_t>(i + 1));
  EXPECT_EQ(page["meta"]["offset"], 40);
  EXPECT_EQ(page["meta"]["previous"], "/api/registration_token/?limit=20&offset=20");
  EXPECT_TRUE(page["meta"]["next"].is_null());

  auto all = admin->Call("GET", "api/registration_token/?limit=0");
  ASSERT_TRUE(all.ok());
  EXPECT_EQ((*all)["objects"].size(), 45u);
  EXPECT_EQ((*all)["meta"]["limit"], 0);
  EXPECT_FALSE((*all)["meta"].contains("next"));
  auto tail = admin->Call("GET", "api/registration_token/?limit=10&offset=40");
  ASSERT_TRUE(tail.ok());
  EXPECT_EQ((*tail)["objects"].size(), 5u);
  EXPECT_EQ((*tail)["objects"][0]["id"], 41);
  auto beyond = admin->Call("GET", "api/registration_token/?offset=100");
  ASSERT_TRUE(beyond.ok());
  EXPECT_TRUE((*beyond)["objects"].empty());
  EXPECT_EQ((*beyond)["meta"]["total_count"], 45);

  for (const char* bad : {"limit=-1", "limit=ten", "offset=-5", "offset=", "limit=1e3"}) {
    auto refused = admin->Call("GET", std::string("api/registration_token/?") + bad);
    ASSERT_FALSE(refused.ok()) << bad;
    EXPECT_NE(refused.status().message().find("400"), std::string::npos) << refused.status().message();
  }

  // The client's List() reads every page, whatever their size.
  auto listed = admin->List("api/registration_token/", 7);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 45u);
  EXPECT_EQ((*listed)[44]["id"], 45);
}

// Every list endpoint pages, hosts included (served from memory).
TEST_F(RestTest, EveryListPages) {
  auto admin = Admin();
  auto a = RegisteredAgent("test000.localdomain");
  auto b = RegisteredAgent("test001.localdomain");
  auto c = RegisteredAgent("test002.localdomain");
  auto hosts = admin->Call("GET", "api/host/?limit=2&offset=1");
  ASSERT_TRUE(hosts.ok());
  ASSERT_EQ((*hosts)["objects"].size(), 2u);
  EXPECT_EQ((*hosts)["objects"][0]["fqdn"], "test001.localdomain");
  EXPECT_EQ((*hosts)["meta"]["total_count"], 3);
  EXPECT_TRUE((*hosts)["meta"]["next"].is_null());
  EXPECT_TRUE((*hosts)["meta"]["previous"].is_null());  // tastypie: none before offset `limit`
  auto last = admin->Call("GET", "api/host/?limit=1&offset=2");
  ASSERT_TRUE(last.ok());
  EXPECT_EQ((*last)["objects"][0]["fqdn"], "test002.localdomain");
  EXPECT_EQ((*last)["meta"]["previous"], "/api/host/?limit=1&offset=1");
  EXPECT_TRUE((*last)["meta"]["next"].is_null());
  auto listed = admin->List("api/host/", 1);
  ASSERT_TRUE(listed.ok());
  EXPECT_EQ(listed->size(), 3u);
  for (const char* view : {"api/server_profile/", "api/registration_token/", "api/host/",
                           "api/power_control_type/", "api/power_control_device/",
                           "api/power_control_device_outlet/", "api/filesystem/", "api/target/",
                           "api/command/"}) {
    auto one = admin->Call("GET", std::string(view) + "?limit=1");
    ASSERT_TRUE(one.ok()) << view;
    EXPECT_LE((*one)["objects"].size(), 1u) << view;
    EXPECT_EQ((*one)["meta"]["limit"], 1) << view;
    EXPECT_TRUE((*one)["meta"]["total_count"].is_number()) << view;
    EXPECT_FALSE(admin->Call("GET", std::string(view) + "?limit=x").ok()) << view;
  }
}

// session_stats/ (ours, for the benchmarks): DATA counted per current
// session, stale sessions not counted, a new session starts from zero.
TEST_F(RestTest, SessionStatsCountDataPerCurrentSession) {
  auto admin = Admin();
  auto agent = RegisteredAgent("test000.localdomain");
  const std::string session = OpenSession(*agent, "lustre");
  for (int i = 0; i < 3; ++i) {
    agent->Post({protocol::Message::Data("lustre", session, i, Json::object(), agent->fqdn)});
  }
  agent->Post({protocol::Message::Data("lustre", "stale", 0, Json::object(), agent->fqdn)});
  auto stats = admin->Call("GET", "api/session_stats/?limit=0");
  ASSERT_TRUE(stats.ok()) << stats.status().ToString();
  ASSERT_EQ((*stats)["objects"].size(), 1u);
  const Json host = (*stats)["objects"][0];
  EXPECT_EQ(host["fqdn"], "test000.localdomain");
  EXPECT_EQ(host["times_unreachable"], 0);
  EXPECT_EQ(host["sessions"]["lustre"]["data_messages"], 3);
  EXPECT_TRUE(host["sessions"]["lustre"]["last_data_us"].is_number());
  OpenSession(*agent, "lustre");  // replaces the session
  stats = admin->Call("GET", "api/session_stats/");
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ((*stats)["objects"][0]["sessions"]["lustre"]["data_messages"], 0);
  EXPECT_TRUE((*stats)["objects"][0]["sessions"]["lustre"]["last_data_us"].is_null());
}

}  // namespace
}  // namespace cs::manager::testing

namespace cs::manager::testing {
namespace {

// The hostile tester's crash before login: deep nesting in the username.
// Every untrusted body of the manager (login, REST, registration, agent
// messages) goes through one bounded parse; the manager answers 400 and
// keeps serving.
TEST_F(RestTest, DeeplyNestedBodiesAre400BeforeAndAfterLogin) {
  const std::string nested = std::string(100000, '[') + std::string(100000, ']');
  auto browser = Browser();
  net::ClientRequest get_session;
  get_session.target = "api/session/";
  ASSERT_EQ(Send(*browser, get_session)->status, 200);
  const std::string csrf = browser->GetCookie("csrftoken").value_or("");
  net::ClientRequest login = Login("lustre", csrf);
  login.body = "{\"username\":" + nested + ",\"password\":\"x\"}";
  auto refused = Send(*browser, login);
  ASSERT_TRUE(refused.ok()) << refused.status().ToString();
  EXPECT_EQ(refused->status, 400) << refused->body.substr(0, 200);
  net::ClientRequest duplicate = Login("lustre", csrf);
  duplicate.body = R"({"username":"admin","username":"debug","password":"lustre"})";
  EXPECT_EQ(Send(*browser, duplicate)->status, 400);

  auto agent = RegisteredAgent("test000.localdomain");
  auto message = agent->PostRaw("{\"messages\":" + nested + "}");
  ASSERT_TRUE(message.ok());
  EXPECT_EQ(message->status, 400);
  auto newcomer = NewAgent("test001.localdomain");
  const std::string secret = CreateToken();
  // Still serving: a real login, a message, a registration.
  EXPECT_EQ(Send(*browser, Login("lustre", csrf))->status, 201);
  EXPECT_EQ(agent->Post({})->status, 200);
  EXPECT_EQ(newcomer->Register(secret)->status, 201);
}

}  // namespace
}  // namespace cs::manager::testing
