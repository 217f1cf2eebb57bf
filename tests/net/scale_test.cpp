// Many client objects on one small pool: the simulator runs thousands.
#include <atomic>
#include <future>
#include <iostream>

#include "tests/net/test_util.h"
#include "tests/time_scale.h"

namespace cs::net::testing {
namespace {

TEST_F(NetTest, FiveHundredClientsTwoRequestsEach) {
  RaiseFileLimit();
  constexpr int kClients = 500;
  // 500 TLS handshakes at once: in a sanitizer build they take longer than
  // the default handshake and request deadlines, and the first clients'
  // connections sit idle longer than the default idle limit before the
  // count below, so all three are scaled.
  ServerOptions server_options = TlsServer(true);
  server_options.handshake_timeout = cs::testing::Scaled(server_options.handshake_timeout);
  server_options.idle_timeout = cs::testing::Scaled(server_options.idle_timeout);
  auto server = StartServer(server_options, [](const Request& request, Respond respond) {
    respond(Response::Text(request.peer_cert.verified ? 200 : 403, request.body));
  });
  ASSERT_NE(server, nullptr);
  ClientOptions options = VerifyingClient();
  options.tls.client_cert_pem = Certs().client_cert;
  options.tls.client_key_pem = Certs().client_key;
  options.default_timeout = cs::testing::Scaled(options.default_timeout);

  std::vector<std::unique_ptr<HttpsClient>> clients;
  for (int i = 0; i < kClients; ++i) {
    clients.push_back(MakeClient(BaseUrl(*server, "https", "127.0.0.1"), options));
    ASSERT_NE(clients.back(), nullptr);
  }
  std::atomic<int> ok{0};
  std::atomic<int> done{0};
  std::promise<void> finished;
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < kClients; ++i) {
    for (int n = 0; n < 2; ++n) {
      std::string body = std::to_string(i) + "/" + std::to_string(n);
      clients[i]->Send(Post("m/", body), [&, body](Result<Response> r) {
        if (r.ok() && r->status == 200 && r->body == body) ++ok;
        if (++done == 2 * kClients) finished.set_value();
      });
    }
  }
  ASSERT_EQ(finished.get_future().wait_for(cs::testing::Scaled(std::chrono::seconds(120))), std::future_status::ready)
      << done.load() << " of " << 2 * kClients << " done";
  auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(ok.load(), 2 * kClients);
  EXPECT_EQ(server->accepted_connections(), static_cast<uint64_t>(kClients));
  EXPECT_EQ(server->open_connections(), static_cast<size_t>(kClients));
  EXPECT_LT(elapsed, cs::testing::Scaled(std::chrono::seconds(60)));
  std::cout << "500 clients x 2 requests: "
            << std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count() << " ms\n";
}

}  // namespace
}  // namespace cs::net::testing
