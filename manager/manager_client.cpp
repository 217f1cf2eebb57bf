#include "manager/manager_client.h"

#include <future>

#include "net/https_client.h"
#include "net/io_pool.h"
#include "util/json_parse.h"

namespace cs::manager {

Result<std::unique_ptr<ManagerClient>> ManagerClient::Create(const std::string& url,
                                                             const std::string& ca_pem) {
  std::unique_ptr<ManagerClient> c(new ManagerClient());
  c->pool_ = std::make_unique<net::IoPool>(1);
  c->pool_->Start();
  net::ClientOptions options;
  options.tls.ca_pem = ca_pem;
  options.tls.insecure = ca_pem.empty();
  options.default_timeout = std::chrono::seconds(60);
  auto client = net::HttpsClient::Create(c->pool_->context(), url, options);
  if (!client.ok()) return client.status();
  c->client_ = std::move(*client);
  return c;
}

ManagerClient::~ManagerClient() {
  client_.reset();  // before the pool its io_context belongs to
  if (pool_) {
    pool_->Stop();
    pool_->Join();
  }
}

Result<Json> ManagerClient::Call(const std::string& method, const std::string& path,
                                 const Json& body) {
  net::ClientRequest request;
  request.method = method;
  request.target = path;
  request.headers.Set("Accept", "application/json");
  if (!csrf_.empty()) request.headers.Set("X-CSRFToken", csrf_);
  if (!body.is_null()) {
    request.body = body.dump();
    request.headers.Set("Content-Type", "application/json");
  }
  auto promise = std::make_shared<std::promise<Result<net::Response>>>();
  auto future = promise->get_future();
  client_->Send(std::move(request), [promise](Result<net::Response> r) { promise->set_value(std::move(r)); });
  if (future.wait_for(std::chrono::seconds(90)) != std::future_status::ready) {
    client_->Close();
    return Status::Unavailable("the manager did not answer " + method + " " + path);
  }
  Result<net::Response> response = future.get();
  if (!response.ok()) return response.status();
  Json json = response->body.empty() ? Json() : ParseUntrustedJsonOrDiscarded(response->body);
  if (response->status < 200 || response->status >= 300) {
    std::string why = json.is_object() && json.contains("error") ? json["error"].dump() : response->body;
    return Status::FailedPrecondition(method + " " + path + ": " + std::to_string(response->status) + " " + why);
  }
  if (json.is_discarded()) return Status::Corruption(method + " " + path + ": the answer is not JSON");
  return json;
}

Status ManagerClient::Login(const std::string& username, const std::string& password) {
  Result<Json> session = Call("GET", "api/session/");
  if (!session.ok()) return session.status();
  std::optional<std::string> csrf = client_->GetCookie("csrftoken");
  if (!csrf) return Status::FailedPrecondition("the manager set no csrftoken cookie");
  csrf_ = *csrf;
  Result<Json> login = Call("POST", "api/session/", Json{{"username", username}, {"password", password}});
  return login.status();
}

}  // namespace cs::manager
