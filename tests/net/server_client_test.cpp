// Round trips between HttpsServer and HttpsClient over TLS on 127.0.0.1.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <future>
#include <mutex>
#include <thread>

#include "tests/net/test_util.h"

namespace cs::net::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

Handler Echo() {
  return [](const Request& request, Respond respond) {
    Response response = Response::Text(200, request.method + " " + request.path + " " +
                                                request.QueryValue("q").value_or("-") + " " +
                                                request.body);
    response.headers.Set("X-Remote", request.remote_address);
    respond(std::move(response));
  };
}

TEST_F(NetTest, GetAndPostRoundTripOverVerifiedTls) {
  auto server = StartServer(TlsServer(), Echo());
  ASSERT_NE(server, nullptr);
  auto client = MakeClient(BaseUrl(*server) + "prefix/");
  ASSERT_NE(client, nullptr);

  auto get = SendAndWait(*client, Get("api/host/?q=" + PercentEncode("a+b c")));
  ASSERT_TRUE(get.ok()) << get.status().ToString();
  EXPECT_EQ(get->status, 200);
  EXPECT_EQ(get->body, "GET /prefix/api/host/ a+b c ");
  EXPECT_EQ(get->headers.Get("x-remote"), "127.0.0.1");

  auto post = SendAndWait(*client, Post("message/", "{\"x\": 1}"));
  ASSERT_TRUE(post.ok()) << post.status().ToString();
  EXPECT_EQ(post->body, "POST /prefix/message/ - {\"x\": 1}");
}

TEST_F(NetTest, SequentialRequestsReuseOneConnection) {
  auto server = StartServer(TlsServer(), Echo());
  ASSERT_NE(server, nullptr);
  auto client = MakeClient(BaseUrl(*server, "https", "127.0.0.1"));
  ASSERT_NE(client, nullptr);
  for (int i = 0; i < 5; ++i) {
    auto response = SendAndWait(*client, Post("m/", std::to_string(i)));
    ASSERT_TRUE(response.ok()) << response.status().ToString();
    EXPECT_EQ(response->body, "POST /m/ - " + std::to_string(i));
  }
  EXPECT_EQ(server->accepted_connections(), 1u);
  EXPECT_EQ(client->connections_opened(), 1u);
}

// The server closes idle kept-alive connections; the client notices only when
// it next uses one, and then retries once on a fresh connection.
TEST_F(NetTest, ClientRetriesOnceWhenTheServerClosedAnIdleConnection) {
  ServerOptions options = TlsServer();
  options.idle_timeout = milliseconds(200);
  auto server = StartServer(options, Echo());
  ASSERT_NE(server, nullptr);
  auto client = MakeClient(BaseUrl(*server));
  ASSERT_TRUE(SendAndWait(*client, Post("a", "1")).ok());
  for (const auto until = steady_clock::now() + Patience(); server->open_connections() > 0 && steady_clock::now() < until;) {
    std::this_thread::sleep_for(milliseconds(20));
  }
  ASSERT_EQ(server->open_connections(), 0u);
  auto second = SendAndWait(*client, Post("a", "2"));
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_EQ(second->body, "POST /a - 2");
  EXPECT_EQ(client->connections_opened(), 2u);
}

TEST_F(NetTest, PlainHttpWorksToo) {
  ServerOptions options;  // no tls
  auto server = StartServer(options, Echo());
  ASSERT_NE(server, nullptr);
  auto client = MakeClient(BaseUrl(*server, "http", "127.0.0.1"), ClientOptions{});
  ASSERT_NE(client, nullptr);
  auto response = SendAndWait(*client, Get("x"));
  ASSERT_TRUE(response.ok()) << response.status().ToString();
  EXPECT_EQ(response->body, "GET /x - ");
}

TEST_F(NetTest, QueuedRequestsRunInOrder) {
  auto server = StartServer(TlsServer(), Echo());
  ASSERT_NE(server, nullptr);
  auto client = MakeClient(BaseUrl(*server));
  ASSERT_NE(client, nullptr);
  std::mutex mu;
  std::vector<std::string> bodies;
  std::promise<void> all_done;
  constexpr int kCount = 10;
  for (int i = 0; i < kCount; ++i) {
    client->Send(Post("q/", std::to_string(i)), [&, i](Result<Response> result) {
      std::lock_guard lock(mu);
      bodies.push_back(result.ok() ? result->body : result.status().ToString());
      if (i == kCount - 1) all_done.set_value();
    });
  }
  ASSERT_EQ(all_done.get_future().wait_for(Patience()), std::future_status::ready);
  std::lock_guard lock(mu);
  ASSERT_EQ(bodies.size(), static_cast<size_t>(kCount));
  for (int i = 0; i < kCount; ++i) EXPECT_EQ(bodies[i], "POST /q/ - " + std::to_string(i));
}

// The manager's long poll: the handler answers a second later, while other
// connections keep being served.
TEST_F(NetTest, DelayedResponseDoesNotBlockOtherConnections) {
  std::mutex mu;
  std::vector<Respond> parked;
  auto server = StartServer(TlsServer(), [&](const Request& request, Respond respond) {
    if (request.path == "/slow") {
      std::lock_guard lock(mu);
      parked.push_back(std::move(respond));
    } else {
      respond(Response::Text(200, "fast"));
    }
  });
  ASSERT_NE(server, nullptr);
  auto slow_client = MakeClient(BaseUrl(*server));
  auto fast_client = MakeClient(BaseUrl(*server));
  ASSERT_TRUE(slow_client && fast_client);

  // Order, not time: the fast request is answered while the slow one is
  // parked in the handler, which answers it only afterwards.
  std::promise<Result<Response>> slow_result;
  slow_client->Send(Get("slow"), [&](Result<Response> r) { slow_result.set_value(std::move(r)); });
  const auto parked_by = steady_clock::now() + Patience();
  auto parked_count = [&] {
    std::lock_guard lock(mu);
    return parked.size();
  };
  while (parked_count() == 0 && steady_clock::now() < parked_by) std::this_thread::sleep_for(milliseconds(10));
  ASSERT_EQ(parked_count(), 1u) << "the slow request never reached its handler";

  auto fast = SendAndWait(*fast_client, Get("fast"));
  ASSERT_TRUE(fast.ok()) << fast.status().ToString();
  EXPECT_EQ(fast->body, "fast");
  auto future = slow_result.get_future();
  EXPECT_EQ(future.wait_for(milliseconds(0)), std::future_status::timeout) << "the slow one is still parked";
  {
    std::lock_guard lock(mu);
    for (Respond& respond : parked) respond(Response::Text(200, "late"));
  }
  ASSERT_EQ(future.wait_for(Patience()), std::future_status::ready);
  auto slow = future.get();
  ASSERT_TRUE(slow.ok()) << slow.status().ToString();
  EXPECT_EQ(slow->body, "late");
}

// Session login as the simulator does it against the manager's REST API.
TEST_F(NetTest, CookieJarCarriesSessionAndCsrfToken) {
  auto server = StartServer(TlsServer(), [](const Request& request, Respond respond) {
    if (request.method == "GET" && request.path == "/api/session/") {
      Response response = Response::Json(200, "{}");
      response.headers.Add("Set-Cookie", "csrftoken=tok123; expires=Sat, 20 Nov 2027 00:00:00 GMT; Max-Age=31449600; Path=/; SameSite=Lax");
      response.headers.Add("Set-Cookie", "sessionid=sess456; HttpOnly; Path=/");
      return respond(std::move(response));
    }
    if (request.method == "DELETE") {
      Response response = Response::Json(204, "");
      response.headers.Add("Set-Cookie", "sessionid=\"\"; expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/");
      return respond(std::move(response));
    }
    bool ok = request.headers.Get("Cookie") == "csrftoken=tok123; sessionid=sess456" &&
              request.headers.Get("X-CSRFToken") == "tok123";
    respond(Response::Json(ok ? 201 : 403, request.headers.Get("Cookie").value_or("none")));
  });
  ASSERT_NE(server, nullptr);
  auto client = MakeClient(BaseUrl(*server));
  ASSERT_NE(client, nullptr);

  auto session = SendAndWait(*client, Get("api/session/"));
  ASSERT_TRUE(session.ok()) << session.status().ToString();
  ASSERT_EQ(client->GetCookie("csrftoken"), "tok123");
  EXPECT_EQ(client->GetCookie("sessionid"), "sess456");

  ClientRequest post = Post("api/session/", "{\"username\": \"admin\"}");
  post.headers.Set("X-CSRFToken", *client->GetCookie("csrftoken"));
  auto login = SendAndWait(*client, post);
  ASSERT_TRUE(login.ok()) << login.status().ToString();
  EXPECT_EQ(login->status, 201) << login->body;

  ClientRequest logout = Get("api/session/");
  logout.method = "DELETE";
  ASSERT_TRUE(SendAndWait(*client, logout).ok());
  EXPECT_FALSE(client->GetCookie("sessionid").has_value());
  EXPECT_EQ(client->GetCookie("csrftoken"), "tok123");
}

TEST_F(NetTest, ConnectionRefusedIsAClearStatus) {
  // A port bound but not listening refuses connections, and nobody else
  // can take it meanwhile (a port merely closed could be reused at once by
  // a test running in parallel).
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  socklen_t len = sizeof addr;
  ASSERT_EQ(getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  const uint16_t port = ntohs(addr.sin_port);
  struct CloseOnExit {
    int fd;
    ~CloseOnExit() { close(fd); }
  } closer{fd};
  auto client = MakeClient("https://127.0.0.1:" + std::to_string(port) + "/");
  ASSERT_NE(client, nullptr);
  auto response = SendAndWait(*client, Get("x"));
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.status().code(), Status::Code::kUnavailable);
  EXPECT_NE(response.status().message().find("refused"), std::string::npos)
      << response.status().message();
  EXPECT_TRUE(RequestNeverSent(response.status())) << response.status().message();
}

TEST_F(NetTest, ClientTimeoutFires) {
  std::mutex mu;
  std::vector<Respond> never_answered;
  auto server = StartServer(TlsServer(), [&](const Request&, Respond respond) {
    std::lock_guard lock(mu);
    never_answered.push_back(std::move(respond));
  });
  ASSERT_NE(server, nullptr);
  auto client = MakeClient(BaseUrl(*server));
  ASSERT_NE(client, nullptr);
  ClientRequest request = Get("hang");
  request.timeout = milliseconds(300);
  auto start = steady_clock::now();
  auto response = SendAndWait(*client, request);
  auto elapsed = steady_clock::now() - start;
  ASSERT_FALSE(response.ok());
  EXPECT_NE(response.status().message().find("timed out after 300 ms"), std::string::npos)
      << response.status().message();
  EXPECT_FALSE(RequestNeverSent(response.status())) << "the server had the request";
  EXPECT_GE(elapsed, milliseconds(300));
  // Its own 300 ms, not the client's default (Patience()); generous for a loaded machine.
  EXPECT_LT(elapsed, Patience() / 4);

  // A timed-out connection is never reused: the next request opens another.
  auto second = SendAndWait(*client, request);
  EXPECT_FALSE(second.ok());
  EXPECT_EQ(client->connections_opened(), 2u);
  EXPECT_EQ(server->accepted_connections(), 2u);
}

TEST_F(NetTest, CloseAbortsAnInFlightRequestQuickly) {
  std::mutex mu;
  std::vector<Respond> parked;
  std::promise<void> arrived;
  auto server = StartServer(TlsServer(), [&](const Request& request, Respond respond) {
    std::lock_guard lock(mu);
    if (request.path == "/long") {
      parked.push_back(std::move(respond));
      arrived.set_value();
    } else {
      respond(Response::Text(200, "ok"));
    }
  });
  ASSERT_NE(server, nullptr);
  auto client = MakeClient(BaseUrl(*server));
  ASSERT_NE(client, nullptr);

  std::promise<Result<Response>> result;
  ClientRequest request = Get("long");
  request.timeout = 4 * Patience();
  client->Send(request, [&](Result<Response> r) { result.set_value(std::move(r)); });
  ASSERT_EQ(arrived.get_future().wait_for(Patience()), std::future_status::ready);

  auto start = steady_clock::now();
  client->Close();
  auto future = result.get_future();
  // Quickly: at once, not at the request's own limit (4 x Patience()).
  ASSERT_EQ(future.wait_for(Patience()), std::future_status::ready);
  EXPECT_LT(steady_clock::now() - start, Patience());
  auto aborted = future.get();
  ASSERT_FALSE(aborted.ok());
  EXPECT_NE(aborted.status().message().find("client closed"), std::string::npos)
      << aborted.status().message();

  // Still usable afterwards, on a new connection.
  auto again = SendAndWait(*client, Get("short"));
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->body, "ok");
  EXPECT_EQ(client->connections_opened(), 2u);
}

TEST_F(NetTest, DestroyingAClientDropsItsCallbacks) {
  std::mutex mu;
  std::vector<Respond> parked;
  std::promise<void> arrived;
  auto server = StartServer(TlsServer(), [&](const Request&, Respond respond) {
    std::lock_guard lock(mu);
    parked.push_back(std::move(respond));
    arrived.set_value();
  });
  ASSERT_NE(server, nullptr);
  auto client = MakeClient(BaseUrl(*server));
  ASSERT_NE(client, nullptr);
  std::atomic<int> calls{0};
  client->Send(Get("long"), [&](Result<Response>) { ++calls; });
  ASSERT_EQ(arrived.get_future().wait_for(Patience()), std::future_status::ready);
  client.reset();
  {
    std::lock_guard lock(mu);
    for (Respond& respond : parked) respond(Response::Text(200, "too late"));
  }
  std::this_thread::sleep_for(milliseconds(200));
  EXPECT_EQ(calls.load(), 0);
}

TEST_F(NetTest, ServerStopClosesConnectionsAndRefusesNewOnes) {
  auto server = StartServer(TlsServer(), Echo());
  ASSERT_NE(server, nullptr);
  auto client = MakeClient(BaseUrl(*server, "https", "127.0.0.1"));
  ASSERT_TRUE(SendAndWait(*client, Get("x")).ok());
  EXPECT_EQ(server->open_connections(), 1u);
  server->Stop();
  for (int i = 0; i < 100 && server->open_connections() > 0; ++i) {
    std::this_thread::sleep_for(milliseconds(20));
  }
  EXPECT_EQ(server->open_connections(), 0u);
  auto after = SendAndWait(*client, Get("x"));
  ASSERT_FALSE(after.ok());
  EXPECT_EQ(after.status().code(), Status::Code::kUnavailable);
}

}  // namespace
}  // namespace cs::net::testing
