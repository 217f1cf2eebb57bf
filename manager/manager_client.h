// ManagerClient: what the `cluster-sim manager ...` subcommands (and
// `register --username/--password`) use to call a running manager's REST
// API: a blocking wrapper over net::HttpsClient that verifies the
// manager's certificate with the CA in its state directory (or a CA file),
// logs in through api/session/ with the CSRF dance, and returns JSON.
#pragma once

#include <memory>
#include <string>

#include "fakes/json_helpers.h"
#include "util/status.h"

namespace cs::net {
class HttpsClient;
class IoPool;
}  // namespace cs::net

namespace cs::manager {

class ManagerClient {
 public:
  // `ca_pem` empty: do not verify (for a manager of unknown origin).
  static Result<std::unique_ptr<ManagerClient>> Create(const std::string& url,
                                                       const std::string& ca_pem);
  ~ManagerClient();

  Status Login(const std::string& username, const std::string& password);
  // path relative to the URL: "api/host/". A non-2xx answer is an error
  // that carries the answer's "error" text.
  Result<Json> Call(const std::string& method, const std::string& path, const Json& body = nullptr);
  // Every object of a paged list ("api/host/"), as one array: pages of
  // `page_size` until meta.total_count is reached (bounded: a list that
  // keeps changing ends after as many pages as it had at the start, + 2).
  Result<Json> List(const std::string& path, size_t page_size = 1000);

 private:
  ManagerClient() = default;
  std::unique_ptr<net::IoPool> pool_;
  std::unique_ptr<net::HttpsClient> client_;
  std::string csrf_;
};

}  // namespace cs::manager
