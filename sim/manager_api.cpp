#include "sim/manager_api.h"

#include <future>

#include "net/https_client.h"
#include "util/json_parse.h"

namespace cs {

ManagerApi::ManagerApi(std::unique_ptr<net::HttpsClient> client) : client_(std::move(client)) {}
ManagerApi::~ManagerApi() = default;

Result<std::unique_ptr<ManagerApi>> ManagerApi::Connect(boost::asio::io_context& io, const std::string& url,
                                                        const net::TlsClientConfig& tls) {
  net::ClientOptions options;
  options.tls = tls;
  options.use_cookies = true;
  auto client = net::HttpsClient::Create(io, url, options);
  if (!client.ok()) return client.status();
  return std::unique_ptr<ManagerApi>(new ManagerApi(std::move(*client)));
}

Result<Json> ManagerApi::Call(const std::string& method, const std::string& path, const Json& body) {
  net::ClientRequest request;
  request.method = method;
  request.target = path;
  request.headers.Set("Accept", "application/json");
  if (!body.is_null()) {
    request.headers.Set("Content-Type", "application/json");
    request.body = body.dump();
  }
  if (auto csrf = client_->GetCookie("csrftoken")) request.headers.Set("X-CSRFToken", *csrf);
  std::promise<Result<net::Response>> promise;
  auto future = promise.get_future();
  client_->Send(std::move(request), [&promise](Result<net::Response> r) { promise.set_value(std::move(r)); });
  Result<net::Response> response = future.get();
  if (!response.ok()) return response.status().Context(method + " " + path);
  if (response->status < 200 || response->status >= 300) {
    return Status::FailedPrecondition(method + " " + path + " answered " + std::to_string(response->status) +
                                      (response->body.empty() ? "" : ": " + response->body.substr(0, 200)));
  }
  if (response->body.empty()) return Json(nullptr);
  Json parsed = ParseUntrustedJsonOrDiscarded(response->body);
  if (parsed.is_discarded()) return Status::InvalidArgument(method + " " + path + " answered with invalid JSON");
  return parsed;
}

Status ManagerApi::Login(const std::string& username, const std::string& password) {
  auto session = Call("GET", "api/session/", nullptr);
  if (!session.ok()) return session.status().Context("opening an API session");
  if (!client_->GetCookie("csrftoken")) return Status::FailedPrecondition("the manager set no csrftoken cookie");
  auto login = Call("POST", "api/session/", Json{{"username", username}, {"password", password}});
  if (!login.ok()) return Status::FailedPrecondition("login as " + username + " failed (wrong user or password?)");
  return Status::Ok();
}

Result<std::string> ManagerApi::CreateRegistrationToken(const std::string& profile, int credits) {
  auto profiles = Call("GET", "api/server_profile/", nullptr);
  if (!profiles.ok()) return profiles.status();
  std::string uri;
  for (const Json& p : profiles->value("objects", Json::array())) {
    if (p.value("name", "") == profile) uri = p.value("resource_uri", "");
  }
  if (uri.empty()) return Status::NotFound("the manager has no server profile " + profile);
  auto token = Call("POST", "api/registration_token/", Json{{"credits", credits}, {"profile", uri}});
  if (!token.ok()) return token.status();
  if (!token->contains("secret") || !(*token)["secret"].is_string()) {
    return Status::InvalidArgument("the manager's token has no secret");
  }
  return (*token)["secret"].get<std::string>();
}

Status ManagerApi::CreatePduEntries(const World& world, int port_offset) {
  int max_outlets = 0;
  for (const auto& [name, pdu] : world.pdus.all()) max_outlets = std::max(max_outlets, static_cast<int>(pdu.outlets.size()));
  if (world.pdus.size() == 0 || max_outlets == 0) return Status::FailedPrecondition("the fleet has no PDU outlets");
  auto type = Call("POST", "api/power_control_type/",
                   Json{{"agent", "fence_apc"}, {"make", "Fake"}, {"model", "PDU"},
                        {"default_username", "apc"}, {"default_password", "apc"}, {"max_outlets", max_outlets}});
  if (!type.ok()) return type.status();
  auto hosts = Call("GET", "api/host/?limit=0", nullptr);
  if (!hosts.ok()) return hosts.status();
  std::map<std::string, std::string> host_uri;
  for (const Json& h : hosts->value("objects", Json::array())) host_uri[h.value("fqdn", "")] = h.value("resource_uri", "");
  for (const auto& [name, pdu] : world.pdus.all()) {
    auto device = Call("POST", "api/power_control_device/",
                       Json{{"device_type", type->value("resource_uri", "")}, {"name", name},
                            {"address", pdu.address}, {"port", pdu.port + port_offset}});
    if (!device.ok()) return device.status();
    for (const Json& outlet : device->value("outlets", Json::array())) {
      const std::string identifier = outlet.value("identifier", "");
      for (const auto& [fqdn, s] : world.servers.all()) {
        if (!s.outlet || *s.outlet != identifier || !World::Feeds(pdu, s) || !host_uri.count(fqdn)) continue;
        std::string uri = outlet.value("resource_uri", "");
        if (!uri.empty() && uri.front() == '/') uri.erase(0, 1);
        auto patched = Call("PATCH", uri, Json{{"host", host_uri[fqdn]}});
        if (!patched.ok()) return patched.status();
      }
    }
  }
  return Status::Ok();
}

}  // namespace cs
