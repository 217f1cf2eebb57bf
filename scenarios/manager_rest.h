// ManagerRest: ManagerApi over HTTPS with manager::ManagerClient: logs in
// with the CSRF dance and logs in again when the manager forgot the session
// (after a restart). Works against the built-in manager and IML's. Not
// thread-safe: each runner worker has its own (the client sends one
// request at a time anyway).
#pragma once

#include <memory>
#include <string>

#include "manager/manager_client.h"
#include "scenarios/world.h"

namespace cs::scenarios {

struct ManagerRestOptions {
  std::string url;          // https://localhost:8000/
  std::string ca_pem;       // empty: do not verify
  std::string username = "admin";
  std::string password = "lustre";
};

class ManagerRest final : public ManagerApi {
 public:
  static Result<std::unique_ptr<ManagerRest>> Connect(ManagerRestOptions options);
  Result<Json> Get(const std::string& path) override;
  Result<Json> Post(const std::string& path, const Json& body) override;

 private:
  explicit ManagerRest(ManagerRestOptions options) : options_(std::move(options)) {}
  Status Reconnect();
  Result<Json> Call(const std::string& method, const std::string& path, const Json& body);

  ManagerRestOptions options_;
  std::unique_ptr<manager::ManagerClient> client_;
};

}  // namespace cs::scenarios
