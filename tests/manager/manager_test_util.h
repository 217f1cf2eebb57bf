// Helpers for the manager tests: a manager on 127.0.0.1 in a temporary
// directory with short timeouts, a logged-in REST client, and a scripted
// agent that registers with a CSR and talks the message protocol over real
// TLS with its client certificate.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "crypto/keys.h"
#include "fakes/json_helpers.h"
#include "manager/manager_client.h"
#include "manager/manager_server.h"
#include "net/https_client.h"
#include "net/io_pool.h"
#include "protocol/messages.h"

namespace cs::manager::testing {

std::string MakeTempDir();
// The size of an SQLite database's WAL file (0 when there is none).
int64_t WalBytes(const std::string& db_path);

class TestAgent {
 public:
  TestAgent(boost::asio::io_context& io, std::string url, std::string ca_pem, std::string fqdn);

  // POST agent/register/<secret>/ with a CSR for `cn` (default: the fqdn);
  // on 201 keeps the certificate for the message clients.
  Result<net::Response> Register(const std::string& secret, const std::string& cn = "");
  // Uses a certificate of our choosing (another CA's) for messages.
  void UseCertificate(const std::string& cert_pem, const crypto::PrivateKey& key);

  Result<net::Response> Post(const std::vector<protocol::Message>& messages);
  Result<net::Response> PostRaw(const std::string& body);
  Result<net::Response> Get();
  // GET and parse the messages (empty on error, with a test failure).
  std::vector<protocol::Message> GetMessages();

  std::string fqdn;
  std::string nodename;
  std::string boot_time = "2026-01-01T00:00:00+00:00Z";
  std::string start_time = "2026-01-01T00:00:10+00:00Z";
  crypto::PrivateKey key;
  std::string cert_pem;

 private:
  Result<net::Response> Send(net::HttpsClient& client, net::ClientRequest request);
  boost::asio::io_context& io_;
  std::string url_;
  std::string ca_pem_;
  std::unique_ptr<net::HttpsClient> anonymous_;
  std::unique_ptr<net::HttpsClient> poster_;
  std::unique_ptr<net::HttpsClient> getter_;
};

class ManagerTest : public ::testing::Test {
 protected:
  ManagerTest();
  ~ManagerTest() override;

  // Starts (or restarts, keeping the directory) the manager.
  void StartManager();
  void StopManager();
  std::string CaPem() const;
  std::unique_ptr<ManagerClient> Admin();
  // A token secret via the REST API.
  std::string CreateToken(int credits = 10, const std::string& profile = "base_managed_rh7",
                          const std::string& expiry = "");
  std::unique_ptr<TestAgent> NewAgent(const std::string& fqdn);
  // A registered agent with a session for each plugin in `plugins`.
  std::unique_ptr<TestAgent> RegisteredAgent(const std::string& fqdn);
  std::string OpenSession(TestAgent& agent, const std::string& plugin);

  ManagerOptions options_;
  net::IoPool pool_;
  std::unique_ptr<ManagerServer> manager_;
};

}  // namespace cs::manager::testing
