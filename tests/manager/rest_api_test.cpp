// The REST API: login with CSRF, the calls `register` and
// `--create_pdu_entries` make, tokens, and the object views.
#include <algorithm>
#include <future>

#include "crypto/files.h"
#include "net/https_client.h"
#include "tests/manager/manager_test_util.h"

namespace cs::manager::testing {
namespace {

class RestTest : public ManagerTest {
 protected:
  Result<net::Response> Send(net::HttpsClient& client, net::ClientRequest request) {
    auto promise = std::make_shared<std::promise<Result<net::Response>>>();
    auto future = promise->get_future();
    client.Send(std::move(request), [promise](Result<net::Response> r) { promise->set_value(std::move(r)); });
    EXPECT_EQ(future.wait_for(std::chrono::seconds(20)), std::future_status::ready);
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
