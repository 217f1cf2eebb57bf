// The control API against a hostile tester's requests, sent with the real
// curl as the issue's repros were: deep nesting, cross-site and DNS-rebound
// requests, log injection, out-of-range and NaN numbers. Each gets a clean
// error, changes nothing, and the server keeps answering.
#include <cstdio>
#include <fstream>
#include <sstream>

#include "sim/control/control_server.h"
#include "sim/control/request_guard.h"
#include "util/log_escape.h"
#include "tests/control/control_fixture.h"

namespace cs {
namespace {

struct CurlAnswer {
  int status = 0;
  std::string body;
};

class ControlHostileTest : public ControlTest {
 protected:
  void StartServer(std::optional<std::string> token = std::nullopt) {
    log_path_ = tmp_.path() + "/control.log";
    ASSERT_TRUE(log_.OpenFile(log_path_));
    ControlServerOptions options;
    options.port = 0;
    options.token = std::move(token);
    auto server = ControlServer::Start(sim_->io(), *api_, log_, options);
    ASSERT_TRUE(server.ok()) << server.status().message();
    server_ = std::move(*server);
  }

  void TearDown() override {
    if (server_) server_->Stop();
    server_.reset();
    ControlTest::TearDown();
  }

  std::string Address() const { return "127.0.0.1:" + std::to_string(server_->port()); }

  // POSTs `body` (from a file, so any size goes) to api/v1/<op> with curl.
  CurlAnswer Curl(const std::string& path, const std::string& body, const std::vector<std::string>& headers,
                  const std::string& method = "POST") {
    const std::string in = tmp_.path() + "/curl.in";
    const std::string out = tmp_.path() + "/curl.out";
    std::ofstream(in, std::ios::binary) << body;
    std::string cmd = "curl -s -m 60 -o '" + out + "' -w '%{http_code}' -X " + method + " --data-binary @'" + in + "'";
    for (const std::string& h : headers) cmd += " -H '" + h + "'";
    cmd += " 'http://" + Address() + path + "'";
    CurlAnswer answer;
    FILE* pipe = popen(cmd.c_str(), "r");
    if (!pipe) return answer;
    char buf[16] = {};
    const size_t n = fread(buf, 1, sizeof buf - 1, pipe);
    pclose(pipe);
    answer.status = std::atoi(std::string(buf, n).c_str());
    std::ifstream got(out, std::ios::binary);
    std::stringstream ss;
    ss << got.rdbuf();
    answer.body = ss.str();
    return answer;
  }

  CurlAnswer PostJson(const std::string& op, const std::string& body, std::vector<std::string> headers = {}) {
    headers.push_back("Content-Type: application/json");
    return Curl("/api/v1/" + op, body, headers);
  }

  std::string LogText() const {
    std::ifstream in(log_path_, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }

  void ExpectStillServing() {
    CurlAnswer ok = PostJson("faults", "{}");
    EXPECT_EQ(ok.status, 200) << ok.body;
  }

  std::string log_path_;
  std::unique_ptr<ControlServer> server_;
};

std::string Nested(int depth) { return "{\"fqdn\":" + std::string(depth, '[') + std::string(depth, ']') + "}"; }

TEST_F(ControlHostileTest, DeeplyNestedJsonIsRefusedAndTheServerKeepsServing) {
  StartServer();
  for (int depth : {100, 10000, 100000}) {
    CurlAnswer r = PostJson("get_server", Nested(depth));
    EXPECT_EQ(r.status, 400) << depth << ": " << r.body.substr(0, 200);
    EXPECT_NE(r.body.find("nests deeper"), std::string::npos) << r.body.substr(0, 200);
  }
  ExpectStillServing();
}

TEST_F(ControlHostileTest, DuplicateKeysAreRefused) {
  StartServer();
  CurlAnswer r = PostJson("get_server", R"({"fqdn":"test000.localdomain","fqdn":"x"})");
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_NE(r.body.find("repeats the key"), std::string::npos) << r.body;
}

TEST_F(ControlHostileTest, CrossSiteAndRebindingRequestsAreRefused) {
  StartServer();
  const Json before = Dump();
  // The issue's repro: text/plain, a foreign Origin and Host.
  CurlAnswer repro = Curl("/api/v1/clear_faults", "{}",
                          {"Content-Type: text/plain", "Origin: http://evil.example", "Host: evil.example:8743"});
  EXPECT_GE(repro.status, 400) << repro.body;
  // Each check on its own.
  EXPECT_EQ(PostJson("clear_faults", "{}", {"Host: evil.example:" + std::to_string(server_->port())}).status, 421);
  EXPECT_EQ(PostJson("clear_faults", "{}", {"Host: 127.0.0.1:1"}).status, 421);
  EXPECT_EQ(PostJson("clear_faults", "{}", {"Origin: http://evil.example"}).status, 403);
  EXPECT_EQ(PostJson("clear_faults", "{}", {"Origin: null"}).status, 403);
  EXPECT_EQ(Curl("/api/v1/clear_faults", "{}", {"Content-Type: text/plain"}).status, 415);
  EXPECT_EQ(Curl("/api/v1/clear_faults", "{}", {"Content-Type: application/x-www-form-urlencoded"}).status, 415);
  EXPECT_EQ(Curl("/RPC2", "<?xml version=\"1.0\"?><methodCall><methodName>faults</methodName></methodCall>",
                 {"Content-Type: text/plain"}).status, 415);
  EXPECT_EQ(Dump(), before);
  // Its own origin, loopback names and a charset parameter are fine.
  EXPECT_EQ(PostJson("faults", "{}", {"Origin: http://" + Address()}).status, 200);
  EXPECT_EQ(PostJson("faults", "{}", {"Host: localhost:" + std::to_string(server_->port())}).status, 200);
  EXPECT_EQ(Curl("/api/v1/faults", "{}", {"Content-Type: Application/JSON; charset=utf-8"}).status, 200);
  EXPECT_EQ(Curl("/RPC2", "<?xml version=\"1.0\"?><methodCall><methodName>faults</methodName></methodCall>",
                 {"Content-Type: text/xml"}).status, 200);
}

TEST_F(ControlHostileTest, BearerSchemeIsCaseInsensitive) {
  StartServer("s3cret");
  EXPECT_EQ(PostJson("faults", "{}").status, 401);
  EXPECT_EQ(PostJson("faults", "{}", {"Authorization: Bearer wrong"}).status, 401);
  EXPECT_EQ(PostJson("faults", "{}", {"Authorization: Bearer s3cre"}).status, 401);
  EXPECT_EQ(PostJson("faults", "{}", {"Authorization: Bearer s3cret"}).status, 200);
  EXPECT_EQ(PostJson("faults", "{}", {"Authorization: bearer s3cret"}).status, 200);
  EXPECT_EQ(PostJson("faults", "{}", {"Authorization: BEARER s3cret"}).status, 200);
}

TEST_F(ControlHostileTest, ArgumentValuesReachTheLogEscapedAndCut) {
  StartServer();
  const std::string forged = "2026-12-01T08:42:00Z info test000.localdomain: FORGED";
  CurlAnswer r = PostJson("get_server", R"({"fqdn":"x\n)" + forged + R"("})");
  EXPECT_EQ(r.status, 404) << r.body;
  CurlAnswer nul = PostJson("get_server", R"({"fqdn":"a\u0000b\u001b[31m"})");
  EXPECT_EQ(nul.status, 404) << nul.body;
  CurlAnswer huge = PostJson("get_server", "{\"fqdn\":\"" + std::string(1 << 20, 'y') + "\"}");
  EXPECT_EQ(huge.status, 404);
  const std::string log = LogText();
  std::istringstream lines(log);
  std::string line;
  size_t longest = 0;
  while (std::getline(lines, line)) {
    EXPECT_NE(line.rfind("2026-12-01T08:42:00Z", 0), 0u) << "a forged line: " << line;
    EXPECT_EQ(line.find('\0'), std::string::npos);
    EXPECT_EQ(line.find('\x1b'), std::string::npos);
    longest = std::max(longest, line.size());
  }
  EXPECT_NE(log.find("\\n" + forged), std::string::npos) << log.substr(0, 2000);
  EXPECT_NE(log.find("\\x00b\\x1b[31m"), std::string::npos);
  EXPECT_LT(longest, kMaxLogText + 200);
  ExpectStillServing();
}

TEST_F(ControlHostileTest, NumbersOutOfRangeNanAndTextAreRefused) {
  StartServer();
  const Json before = Dump();
  for (const char* ms : {"9223372036854775807", "9223372036854775808", "1e13", "10000000000000",
                                "\"99999999999999999999\"", "-1", "1.5", "\"abc\""}) {
    CurlAnswer r = PostJson("manager_unreachable", std::string(R"({"unreachable": true, "timeout_ms": )") + ms + "}");
    EXPECT_EQ(r.status, 400) << ms << ": " << r.body;
  }
  for (const char* pause : {"\"nan\"", "\"NaN\"", "\"abc\"", "\"inf\"", "\"-1\"", "3601", "\"1e400\"", "\"\""}) {
    CurlAnswer r = PostJson("set_outlet", std::string(R"({"pdu": "pdu000", "outlet": 1, "action": "reboot", "pause_seconds": )") +
                                              pause + "}");
    EXPECT_EQ(r.status, 400) << pause << ": " << r.body;
  }
  EXPECT_EQ(PostJson("set_latency", R"({"latency_ms": 1e300})").status, 400);
  EXPECT_EQ(PostJson("add_server", R"({"nid_count": 17})").status, 400);
  EXPECT_EQ(Dump(), before);
  EXPECT_EQ(PostJson("manager_unreachable", R"({"unreachable": false, "timeout_ms": 1000})").status, 200);
  EXPECT_EQ(PostJson("set_outlet", R"({"pdu": "pdu000", "outlet": 1, "action": "reboot", "pause_seconds": "2.5"})").status,
            200);
  EXPECT_EQ(PostJson("set_outlet", R"({"pdu": "pdu000", "outlet": 1, "action": "on", "pause_seconds": 0.5})").status,
            200);
}

TEST_F(ControlHostileTest, NonLoopbackListenWithoutATokenDoesNotStart) {
  ControlServerOptions options;
  options.address = "0.0.0.0";
  options.port = 0;
  auto server = ControlServer::Start(sim_->io(), *api_, log_, options);
  ASSERT_FALSE(server.ok());
  EXPECT_NE(server.status().message().find("--control-token-file"), std::string::npos) << server.status().message();
}

// Found by fuzz/request_guard: whitespace around the header's token is not
// part of it (tokens are trimmed when read from their file).
TEST(ControlListen, BearerIgnoresSurroundingWhitespace) {
  EXPECT_TRUE(BearerMatches("  Bearer   s3cret \t", "s3cret"));
  EXPECT_FALSE(BearerMatches("Bearer s3cret x", "s3cret"));
  EXPECT_FALSE(BearerMatches("Bearers3cret", "s3cret"));
  EXPECT_FALSE(BearerMatches("Bearer ", ""));
  EXPECT_FALSE(BearerMatches(std::string("Bearer s3cret\0", 14), "s3cret"));
}

TEST(ControlListen, LoopbackAddresses) {
  EXPECT_TRUE(IsLoopbackAddress("127.0.0.1"));
  EXPECT_TRUE(IsLoopbackAddress("127.1.2.3"));
  EXPECT_TRUE(IsLoopbackAddress("::1"));
  EXPECT_TRUE(IsLoopbackAddress("LocalHost"));
  EXPECT_FALSE(IsLoopbackAddress("0.0.0.0"));
  EXPECT_FALSE(IsLoopbackAddress("127.0.0.1.evil.example"));
  EXPECT_FALSE(IsLoopbackAddress("10.0.0.1"));
  EXPECT_FALSE(IsLoopbackAddress("::"));
}

}  // namespace
}  // namespace cs
