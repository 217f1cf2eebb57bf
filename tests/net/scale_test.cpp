// Many client objects on one small pool: the simulator runs thousands, and
// what an idle TLS connection costs.
#include <malloc.h>

#include <atomic>
#include <future>
#include <iostream>
#include <thread>

#include "tests/net/test_util.h"
#include "tests/time_scale.h"

namespace cs::net::testing {
namespace {

TEST_F(NetTest, FiveHundredClientsTwoRequestsEach) {
  RaiseFileLimit();
  constexpr int kClients = 500;
  // Every handshake and request may take as long as the test waits: under
  // ASan on a loaded machine (load 27) the 500 handshakes took 58 s; those
  // the server cut at its 10 s handshake limit, or the clients gave up on at
  // 30 s, reconnected (752 of 1,000 answered, 748 connections accepted).
  // Sanitizer builds scale every limit (tests/time_scale.h); the first
  // clients' connections also sit idle longer than the idle limit there.
  const auto kWait = cs::testing::Scaled(std::chrono::seconds(120));
  ServerOptions server_options = TlsServer(true);
  server_options.handshake_timeout = kWait;
  server_options.idle_timeout = cs::testing::Scaled(server_options.idle_timeout);
  auto server = StartServer(server_options, [](const Request& request, Respond respond) {
    respond(Response::Text(request.peer_cert.verified ? 200 : 403, request.body));
  });
  ASSERT_NE(server, nullptr);
  ClientOptions options = VerifyingClient();
  options.tls.client_cert_pem = Certs().client_cert;
  options.tls.client_key_pem = Certs().client_key;
  options.default_timeout = kWait;

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
  ASSERT_EQ(finished.get_future().wait_for(kWait), std::future_status::ready)
      << done.load() << " of " << 2 * kClients << " done";
  auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(ok.load(), 2 * kClients);
  EXPECT_EQ(server->accepted_connections(), static_cast<uint64_t>(kClients));
  EXPECT_EQ(server->open_connections(), static_cast<size_t>(kClients));
  // A bound on the speed, scaled in sanitizer builds, whose TLS handshakes
  // are several times slower.
  EXPECT_LT(elapsed, cs::testing::Scaled(std::chrono::seconds(60)));
  std::cout << "500 clients x 2 requests: "
            << std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count() << " ms\n";
}

size_t HeapInUse() {
  const struct mallinfo2 info = mallinfo2();
  return info.uordblks + info.hblkhd;
}

// Sends one request from each client, in parallel, and waits (bounded).
int SendFromEach(std::vector<std::unique_ptr<HttpsClient>>& clients, const std::string& body) {
  std::atomic<int> ok{0}, done{0};
  std::promise<void> finished;
  for (auto& client : clients) {
    client->Send(Post("m/", body), [&](Result<Response> r) {
      if (r.ok() && r->status == 200 && r->body.size() == body.size()) ++ok;
      if (++done == static_cast<int>(clients.size())) finished.set_value();
    });
  }
  if (finished.get_future().wait_for(2 * Patience()) != std::future_status::ready) return -1;
  return ok.load();
}

// An idle kept-alive TLS connection (an agent's long-poll or POST
// connection, on both ends) keeps no record or message buffers: Asio's
// ssl::stream kept four 17 KiB buffers on each end, 136 KiB a connection.
TEST_F(NetTest, AnIdleTlsConnectionKeepsNoLargeBuffers) {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
  GTEST_SKIP() << "the sanitizers' allocators do not report through mallinfo2";
#endif
  RaiseFileLimit();
  constexpr int kClients = 200;
  auto server = StartServer(TlsServer(true), [](const Request& request, Respond respond) {
    respond(Response::Text(request.peer_cert.verified ? 200 : 403, request.body));
  });
  ASSERT_NE(server, nullptr);
  auto context = MakeClientTlsContext(VerifyingClient().tls);
  auto identity = TlsIdentity::FromPem(Certs().client_cert, Certs().client_key);
  ASSERT_TRUE(context.ok() && identity.ok());
  ClientOptions options;
  options.shared_tls_context = *context;
  options.identity = *identity;
  const std::string body(24 * 1024, 'x');  // bigger than a TLS record, as a lustre DATA post can be
  // Both ends' TLS state (SSL objects, cipher contexts, each side's parsed
  // peer certificate) is about 45 KiB and the rest a few KiB (56 KiB in
  // all, 2026-12-01). Asio's streams alone were 136 KiB; a request or
  // response body kept on an idle server connection adds 24 KiB each.
  constexpr size_t kLimit = 72 * 1024;

  // Warm up: OpenSSL's and the pool's one-time allocations are not per connection.
  std::vector<std::unique_ptr<HttpsClient>> warm;
  warm.push_back(MakeClient(BaseUrl(*server, "https", "127.0.0.1"), options));
  ASSERT_EQ(SendFromEach(warm, body), 1);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  const size_t before = HeapInUse();

  std::vector<std::unique_ptr<HttpsClient>> clients;
  for (int i = 0; i < kClients; ++i) clients.push_back(MakeClient(BaseUrl(*server, "https", "127.0.0.1"), options));
  ASSERT_EQ(SendFromEach(clients, body), kClients);
  ASSERT_EQ(SendFromEach(clients, body), kClients);  // on the kept-alive connections
  // The server writes its last bytes after the client has read them: let
  // every session get back to waiting for a request.
  size_t per_connection = 0;
  for (int i = 0; i < 20; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    const size_t now = HeapInUse();
    per_connection = now > before ? (now - before) / kClients : 0;
    if (per_connection < kLimit) break;
  }
  EXPECT_EQ(server->open_connections(), static_cast<size_t>(kClients + 1));
  std::cout << "heap per idle TLS connection, client and server ends together: " << per_connection << " bytes\n";
  EXPECT_LT(per_connection, kLimit);
}

}  // namespace
}  // namespace cs::net::testing
