// Server limits and misbehaving peers: oversize bodies, garbage, silence,
// failing handlers, and a Stop() that lets io_context::run return.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <future>
#include <thread>

#include "tests/net/test_util.h"

namespace cs::net::testing {
namespace {

using std::chrono::milliseconds;

Handler Ok() {
  return [](const Request& request, Respond respond) {
    respond(Response::Text(200, "ok " + std::to_string(request.body.size())));
  };
}

// A blocking TCP socket to 127.0.0.1:port with a receive timeout.
class RawSocket {
 public:
  explicit RawSocket(uint16_t port) : fd_(socket(AF_INET, SOCK_STREAM, 0)) {
    timeval timeout{std::chrono::duration_cast<std::chrono::seconds>(Patience()).count(), 0};
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0;
  }
  ~RawSocket() { close(fd_); }
  bool connected() const { return connected_; }
  void Send(const std::string& data) { (void)!send(fd_, data.data(), data.size(), MSG_NOSIGNAL); }
  // Everything until the peer closes (or Patience() passes); "closed" tells which.
  std::string ReadAll(bool* closed) {
    std::string out;
    char buf[4096];
    for (int i = 0; i < 1000; ++i) {
      ssize_t n = recv(fd_, buf, sizeof(buf), 0);
      if (n <= 0) {
        *closed = n == 0 || errno == ECONNRESET;
        return out;
      }
      out.append(buf, static_cast<size_t>(n));
    }
    *closed = false;
    return out;
  }

 private:
  int fd_;
  bool connected_ = false;
};

TEST_F(NetTest, OversizeBodyGets413AndClientRecovers) {
  ServerOptions options = TlsServer();
  options.max_body_bytes = 1024;
  auto server = StartServer(options, Ok());
  ASSERT_NE(server, nullptr);
  auto client = MakeClient(BaseUrl(*server));
  auto big = SendAndWait(*client, Post("x", std::string(4096, 'a')));
  ASSERT_TRUE(big.ok()) << big.status().ToString();
  EXPECT_EQ(big->status, 413);
  auto small = SendAndWait(*client, Post("x", std::string(1024, 'a')));
  ASSERT_TRUE(small.ok()) << small.status().ToString();
  EXPECT_EQ(small->status, 200);
  EXPECT_EQ(small->body, "ok 1024");
}

TEST_F(NetTest, GarbageGets400AndTheServerKeepsServing) {
  auto server = StartServer(ServerOptions{}, Ok());  // plain HTTP, to speak raw bytes
  ASSERT_NE(server, nullptr);
  {
    RawSocket raw(server->port());
    ASSERT_TRUE(raw.connected());
    raw.Send("THIS IS NOT HTTP\r\n\r\n");
    bool closed = false;
    std::string answer = raw.ReadAll(&closed);
    EXPECT_EQ(answer.rfind("HTTP/1.1 400", 0), 0u) << answer;
    EXPECT_TRUE(closed);
  }
  {
    RawSocket raw(server->port());
    raw.Send("GET / HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n");
    bool closed = false;
    EXPECT_EQ(raw.ReadAll(&closed).rfind("HTTP/1.1 400", 0), 0u);
  }
  auto client = MakeClient(BaseUrl(*server, "http", "127.0.0.1"), ClientOptions{});
  auto response = SendAndWait(*client, Get("x"));
  ASSERT_TRUE(response.ok()) << response.status().ToString();
  EXPECT_EQ(response->status, 200);
}

TEST_F(NetTest, GarbageInsteadOfTlsIsDropped) {
  auto server = StartServer(TlsServer(), Ok());
  ASSERT_NE(server, nullptr);
  {
    RawSocket raw(server->port());
    raw.Send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    bool closed = false;
    raw.ReadAll(&closed);
    EXPECT_TRUE(closed);
  }
  auto client = MakeClient(BaseUrl(*server));
  auto response = SendAndWait(*client, Get("x"));
  ASSERT_TRUE(response.ok()) << response.status().ToString();
}

TEST_F(NetTest, SilentConnectionsAreClosedAfterTheTimeout) {
  ServerOptions options;
  options.idle_timeout = milliseconds(300);
  options.body_timeout = milliseconds(300);
  auto server = StartServer(options, Ok());
  ASSERT_NE(server, nullptr);
  for (const char* prefix : {"", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc"}) {
    RawSocket raw(server->port());
    raw.Send(prefix);
    auto start = std::chrono::steady_clock::now();
    bool closed = false;
    std::string answer = raw.ReadAll(&closed);
    EXPECT_TRUE(closed) << prefix;
    EXPECT_EQ(answer, "") << prefix;
    EXPECT_LT(std::chrono::steady_clock::now() - start, milliseconds(3000)) << prefix;
  }
}

TEST_F(NetTest, FailingOrForgetfulHandlersGive500) {
  auto server = StartServer(TlsServer(), [](const Request& request, Respond respond) {
    if (request.path == "/throw") throw std::runtime_error("boom");
    if (request.path == "/drop") return;  // respond destroyed unanswered
    respond(Response::Text(200, "fine"));
  });
  ASSERT_NE(server, nullptr);
  auto client = MakeClient(BaseUrl(*server));
  auto thrown = SendAndWait(*client, Get("throw"));
  ASSERT_TRUE(thrown.ok()) << thrown.status().ToString();
  EXPECT_EQ(thrown->status, 500);
  EXPECT_NE(thrown->body.find("boom"), std::string::npos);
  auto dropped = SendAndWait(*client, Get("drop"));
  ASSERT_TRUE(dropped.ok()) << dropped.status().ToString();
  EXPECT_EQ(dropped->status, 500);
  auto fine = SendAndWait(*client, Get("fine"));
  ASSERT_TRUE(fine.ok());
  EXPECT_EQ(fine->status, 200);
  EXPECT_EQ(server->accepted_connections(), 1u);
}

TEST_F(NetTest, RespondingTwiceSendsTheFirstAnswerOnly) {
  auto server = StartServer(TlsServer(), [](const Request&, Respond respond) {
    respond(Response::Text(201, "first"));
    respond(Response::Text(202, "second"));
  });
  ASSERT_NE(server, nullptr);
  auto client = MakeClient(BaseUrl(*server));
  for (int i = 0; i < 2; ++i) {
    auto response = SendAndWait(*client, Get("x"));
    ASSERT_TRUE(response.ok());
    EXPECT_EQ(response->status, 201);
    EXPECT_EQ(response->body, "first");
  }
}

// Without a pool's work guard, run() returns once the server stopped and the
// client is gone: nothing is left pending.
TEST(NetStopTest, StopLetsRunReturn) {
  boost::asio::io_context io;
  auto server = HttpsServer::Start(io, TlsServer(), Ok());
  ASSERT_TRUE(server.ok()) << server.status().ToString();
  auto client = HttpsClient::Create(io, BaseUrl(**server), VerifyingClient());
  ASSERT_TRUE(client.ok());
  auto ran = std::async(std::launch::async, [&] { io.run(); });
  auto response = SendAndWait(**client, Get("x"));
  ASSERT_TRUE(response.ok()) << response.status().ToString();
  // Keep-alive: both ends still hold the connection open here.
  EXPECT_EQ((*server)->open_connections(), 1u);
  (*server)->Stop();
  client.value()->Close();
  ASSERT_EQ(ran.wait_for(Patience()), std::future_status::ready);
}

}  // namespace
}  // namespace cs::net::testing
