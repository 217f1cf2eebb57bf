// ManagerApi: the few calls the simulator makes to a manager's REST API, as
// the original cluster-sim did: log in (session cookie + CSRF token), find a
// server profile, create a registration token, and create PDU entries with
// their outlets assigned to hosts (--create_pdu_entries). Blocking calls,
// for the command line; never on a pool thread.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "fakes/json_helpers.h"
#include "fakes/world.h"
#include "util/status.h"

namespace boost::asio {
class io_context;
}

namespace cs {

namespace net {
class HttpsClient;
struct TlsClientConfig;
}  // namespace net

class ManagerApi {
 public:
  // `url` is the manager URL ("https://localhost:8000/").
  static Result<std::unique_ptr<ManagerApi>> Connect(boost::asio::io_context& io, const std::string& url,
                                                     const net::TlsClientConfig& tls);
  ~ManagerApi();

  Status Login(const std::string& username, const std::string& password);
  // A token with `credits` registrations for servers of profile `profile`.
  Result<std::string> CreateRegistrationToken(const std::string& profile, int credits);
  // One power control type, a device per PDU (at its port plus
  // `port_offset`, where the daemon listens), and each server's outlets
  // assigned to its host on the manager.
  Status CreatePduEntries(const World& world, int port_offset = 0);

 private:
  explicit ManagerApi(std::unique_ptr<net::HttpsClient> client);
  Result<Json> Call(const std::string& method, const std::string& path, const Json& body);
  std::unique_ptr<net::HttpsClient> client_;
};

}  // namespace cs
