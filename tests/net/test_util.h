// Helpers shared by the net/ tests: throwaway certificates made with the
// openssl command line, a started IoPool fixture, and a blocking wrapper
// around HttpsClient::Send with a bounded wait.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>

#include "net/https_client.h"
#include "net/https_server.h"
#include "net/io_pool.h"
#include "tests/time_scale.h"

namespace cs::net::testing {

struct TestCerts {
  std::string ca_pem;
  std::string server_cert, server_key;  // by ca: SAN localhost, 127.0.0.1
  std::string wrong_name_cert, wrong_name_key;  // by ca: SAN elsewhere.example
  std::string client_cert, client_key;  // by ca: CN agent-1, serial 0x1234ABCD
  std::string client2_cert, client2_key;  // by ca: CN agent-2
  std::string other_ca_pem;
  std::string other_server_cert, other_server_key;  // by other CA: SAN localhost, 127.0.0.1
  std::string other_client_cert, other_client_key;  // by other CA: CN intruder
};

// Generated once per test process into a temporary directory.
const TestCerts& Certs();

// How long one step of a net test (a handshake, a request, a wait for a
// callback) may take before it counts as failed: generous, for a loaded
// machine (2 cores at load 20 stall a handshake for many seconds), scaled
// for sanitizer builds, and finite. A test of a limit sets its own.
inline std::chrono::milliseconds Patience() { return cs::testing::Scaled(std::chrono::milliseconds(60000)); }

// The test servers and clients wait Patience() where the product's
// defaults (10 s handshake, 30 s write and request) would cut a slow but
// healthy step short; tests of those limits set them.
ServerOptions TlsServer(bool request_client_cert = false);
ClientOptions VerifyingClient();
std::string BaseUrl(const HttpsServer& server, const std::string& scheme = "https",
                    const std::string& host = "localhost");

ClientRequest Get(std::string target);
ClientRequest Post(std::string target, std::string body);

// Sends and waits at most `limit` for the callback (by default longer than
// the client's own request limit, so that a client timeout shows as one).
Result<Response> SendAndWait(HttpsClient& client, ClientRequest request,
                             std::chrono::milliseconds limit = 2 * Patience());

// Raises the open-file limit to the hard limit (for the scale test).
void RaiseFileLimit();

class NetTest : public ::testing::Test {
 protected:
  NetTest() : pool_(2) { pool_.Start(); }

  std::unique_ptr<HttpsServer> StartServer(ServerOptions options, Handler handler);
  std::unique_ptr<HttpsClient> MakeClient(const std::string& url,
                                          ClientOptions options = VerifyingClient());

  IoPool pool_;  // declared first: outlives the servers and clients of a test
};

}  // namespace cs::net::testing
