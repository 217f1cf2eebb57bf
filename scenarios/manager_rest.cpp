// The manager's REST API for scenarios (see manager_rest.h).
#include "scenarios/manager_rest.h"

namespace cs::scenarios {

Result<std::unique_ptr<ManagerRest>> ManagerRest::Connect(ManagerRestOptions options) {
  std::unique_ptr<ManagerRest> rest(new ManagerRest(std::move(options)));
  Status s = rest->Reconnect();
  if (!s.ok()) return s.Context("manager at " + rest->options_.url);
  return rest;
}

Status ManagerRest::Reconnect() {
  auto client = manager::ManagerClient::Create(options_.url, options_.ca_pem);
  if (!client.ok()) return client.status();
  CS_RETURN_IF_ERROR((*client)->Login(options_.username, options_.password));
  client_ = std::move(*client);
  return Status::Ok();
}

Result<Json> ManagerRest::Call(const std::string& method, const std::string& path, const Json& body) {
  if (!client_) {
    Status s = Reconnect();
    if (!s.ok()) return Status::Unavailable("the manager is unreachable: " + s.message());
  }
  Result<Json> r = client_->Call(method, "api/" + path, body);
  if (r.ok()) return r;
  const std::string& m = r.status().message();
  const bool forgot_session = m.find(": 401 ") != std::string::npos || m.find(": 403 ") != std::string::npos;
  const bool lost = r.status().code() == Status::Code::kUnavailable || r.status().code() == Status::Code::kIoError;
  // A restarted manager forgets sessions (nothing was done: retry); a lost
  // answer to a POST may have acted, so only GETs are retried then.
  if (forgot_session || (lost && method == "GET")) {
    client_.reset();
    Status s = Reconnect();
    if (!s.ok()) return r;
    return client_->Call(method, "api/" + path, body);
  }
  return r;
}

Result<Json> ManagerRest::Get(const std::string& path) { return Call("GET", path, nullptr); }
Result<Json> ManagerRest::Post(const std::string& path, const Json& body) { return Call("POST", path, body); }

}  // namespace cs::scenarios
