// The load figures of a live fleet against the built-in manager, as
// processes on 127.0.0.1: `ctl stats` has the five request types with
// counts that fit what happened, and GET /metrics parses with Prometheus's
// own parser (Debian's python3-prometheus-client).
#include "tests/integration/e2e_fixture.h"

namespace cs::testing {
namespace {

const Json* FindRequest(const Json& stats, const std::string& type, const std::string& name) {
  for (const Json& r : stats["requests"]) {
    if (r["type"] == type && r["name"] == name) return &r;
  }
  return nullptr;
}

class MetricsTest : public EndToEndTest {
 protected:
  std::string ControlUrl() {
    EXPECT_TRUE(simulator->WaitForOutput("control: listening on")) << simulator->Output();
    std::smatch m;
    const std::string out = simulator->Output();
    if (!std::regex_search(out, m, std::regex("control: listening on (127\\.0\\.0\\.1:\\d+)"))) return "";
    return "http://" + m[1].str() + "/";
  }
  Json Stats(const std::string& control_url) {
    CliResult r = RunCli({"ctl", "stats", "--control-url", control_url});
    EXPECT_EQ(r.exit_code, 0) << r.Describe();
    return Json::parse(r.out, nullptr, false);
  }
};

TEST_F(MetricsTest, LiveFleetStatsHaveEveryRequestTypeAndPrometheusParsesThem) {
  StartManager();
  Setup(2);  // 2 servers and a worker
  StartSimulator({"register", "--username", "admin", "--password", "lustre"});
  ASSERT_TRUE(simulator->WaitForOutput("Registered 3 of 3 servers", seconds(60))) << simulator->Output();
  ASSERT_TRUE(AllManaged(3));  // the manager has set them up: actions ran
  const std::string control = ControlUrl();
  ASSERT_FALSE(control.empty());
  Json stats;
  // Every agent has polled and posted at least once by now, or soon.
  ASSERT_TRUE(Eventually([&] {
    stats = Stats(control);
    const Json* action = FindRequest(stats, "ACTION", "round trip");
    return action && (*action)["count"].get<int>() >= 3;
  }, seconds(30))) << stats.dump(1);
  ASSERT_EQ(stats["requests"].size(), 5u) << stats.dump(1);
  const Json* reg = FindRequest(stats, "POST", "register");
  const Json* session = FindRequest(stats, "POST", "session create");
  const Json* data = FindRequest(stats, "POST", "DATA");
  const Json* poll = FindRequest(stats, "GET", "long poll");
  const Json* action = FindRequest(stats, "ACTION", "round trip");
  ASSERT_TRUE(reg && session && data && poll && action) << stats.dump(1);
  EXPECT_EQ((*reg)["count"], 3) << reg->dump();
  EXPECT_EQ((*reg)["failures"], 0) << reg->dump();
  // Each of the 3 agents asks for a session per plugin (several plugins).
  EXPECT_GE((*session)["count"].get<int>(), 3 * 3) << session->dump();
  EXPECT_GE((*data)["count"].get<int>(), (*session)["count"].get<int>() / 4) << data->dump();
  EXPECT_GE((*poll)["count"].get<int>(), 3) << poll->dump();
  EXPECT_GT(stats["long_poll_messages"].get<int>(), 0);
  for (const Json* r : {reg, session, data, poll, action}) {
    int64_t in_buckets = 0;
    for (const Json& b : (*r)["buckets"]) in_buckets += b[1].get<int64_t>();
    EXPECT_EQ(in_buckets, (*r)["count"].get<int64_t>()) << r->dump();
    EXPECT_LE((*r)["min_ms"].get<double>(), (*r)["median_ms"].get<double>()) << r->dump();
    EXPECT_LE((*r)["median_ms"].get<double>(), (*r)["p95_ms"].get<double>()) << r->dump();
    EXPECT_LE((*r)["p95_ms"].get<double>(), (*r)["max_ms"].get<double>()) << r->dump();
    EXPECT_GT((*r)["max_ms"].get<double>(), 0.0) << r->dump();
  }
  EXPECT_EQ(stats["gauges"]["servers_running"], 3);
  EXPECT_EQ(stats["gauges"]["agents_connected"], 3);
  EXPECT_EQ(stats["gauges"]["faults_active"], 0);
  EXPECT_GT(stats["elapsed_s"].get<double>(), 0.0);

  CliResult parsed = RunProgram("/usr/bin/python3",
                                {std::string(CS_SOURCE_DIR) + "/tests/metrics/check_prometheus.py", control + "metrics", "3"});
  EXPECT_EQ(parsed.exit_code, 0) << parsed.Describe();
}

}  // namespace
}  // namespace cs::testing
