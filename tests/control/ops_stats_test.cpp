// The load-figure operations on a Simulator without a manager: `stats` in
// the metrics contract's shape, and `write_report`'s checks of its path.
#include <fstream>
#include <sstream>

#include "tests/control/control_fixture.h"

namespace cs {
namespace {

class OpsStatsTest : public ControlTest {};

TEST_F(OpsStatsTest, StatsListsEveryRequestTypeAndTheGauges) {
  Result<Json> stats = Call("stats");
  ASSERT_TRUE(stats.ok()) << stats.status().message();
  ASSERT_EQ((*stats)["requests"].size(), 5u) << stats->dump();
  EXPECT_EQ((*stats)["requests"][0]["type"], "POST");
  EXPECT_EQ((*stats)["requests"][0]["name"], "register");
  EXPECT_EQ((*stats)["requests"][4]["type"], "ACTION");
  EXPECT_EQ((*stats)["requests"][4]["count"], 0);
  EXPECT_EQ((*stats)["gauges"]["servers_running"], 5);  // 4 servers and a worker, none registered
  EXPECT_EQ((*stats)["gauges"]["agents_connected"], 0);
  ASSERT_TRUE(Call("fail_connections", {{"fail", true}}).ok());
  EXPECT_EQ((*Call("stats"))["gauges"]["faults_active"], 1);
  EXPECT_TRUE((*stats).contains("started_at"));
  EXPECT_TRUE((*stats).contains("long_poll_messages"));
}

TEST_F(OpsStatsTest, WriteReportRefusesBadPathsAndWritesTheReport) {
  EXPECT_EQ(HttpOf(Call("write_report", {{"path", "relative.html"}})), 400);
  EXPECT_EQ(HttpOf(Call("write_report", {{"path", tmp_.path() + "/report.txt"}})), 400);
  EXPECT_EQ(HttpOf(Call("write_report", {{"path", "/nonexistent/dir/report.html"}})), 404);
  EXPECT_EQ(HttpOf(Call("write_report", {{"path", tmp_.path() + "/report.html"}})), 200);
  std::ifstream in(tmp_.path() + "/report.html");
  std::stringstream page;
  page << in.rdbuf();
  EXPECT_NE(page.str().find("new Chart("), std::string::npos);
  EXPECT_NE(page.str().find("Chart.js v"), std::string::npos);  // inlined, not linked
}

}  // namespace
}  // namespace cs
