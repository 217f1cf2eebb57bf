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

Result<Json> ManagerClient::List(const std::string& path, size_t page_size) {
  Json all = Json::array();
  const char* joint = path.find('?') == std::string::npos ? "?" : "&";
  size_t max_pages = 1;
  for (size_t pages = 0; pages < max_pages; ++pages) {
    Result<Json> page = Call("GET", path + joint + "limit=" + std::to_string(page_size) +
                                        "&offset=" + std::to_string(all.size()));
    if (!page.ok()) return page.status();
    const Json objects = page->value("objects", Json::array());
    const Json meta = page->value("meta", Json::object());
    const size_t total = meta.value("total_count", size_t{0});
    if (!objects.is_array()) return Status::Corruption("GET " + path + ": no objects list");
    for (const Json& o : objects) all.push_back(o);
    if (objects.empty() || all.size() >= total) break;
    if (pages == 0) max_pages = total / page_size + 3;
  }
  return all;
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
