// The scale test: 1,000 simulated servers (100 in a sanitizer build)
// against the built-in manager, both as separate processes on 127.0.0.1,
// for a 60 s steady phase: every server registered, every plugin session
// open, not one poll update missed, no failed request, no host ever
// unreachable, and `cluster-sim manager hosts` lists them all. The manager sets no host up (--no-host-setup): the setup
// commands' thousands of actions are the action storm's business (the
// benchmark), and on a loaded 2-core machine they would take the test past
// two minutes. Bounded: registration may take 150 s at most.
// Run it alone with `ctest -L scale`.
#include <gtest/gtest.h>

#include <iostream>

#include "bench/live_fleet.h"

namespace cs::bench {
namespace {

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr int kServers = 100;
#else
constexpr int kServers = 1000;
#endif

TEST(LiveFleetScaleTest, AThousandServersKeepEverySessionAndMissNoUpdate) {
  LiveFleetOptions o;
  o.binary = CS_BINARY;
  o.servers = kServers;
  o.su_size = 4;
  o.poll_seconds = 10;
  o.steady_seconds = 60;
  o.actions_per_second = 0;
  o.register_timeout_seconds = 150;
  o.set_up_hosts = false;
  Result<LiveFleetReport> report = RunLiveFleet(o);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  for (const Figure& f : report->figures) std::cout << f.name << " " << f.value << " " << f.unit << "\n";
  EXPECT_EQ(report->hosts_registered, kServers) << report->notes;
  EXPECT_EQ(report->hosts_with_every_session, kServers) << report->notes;
  // The CLI reads past the API's default page of 20.
  EXPECT_EQ(report->cli_hosts_listed, kServers) << report->notes;
  EXPECT_EQ(report->missed_poll_updates, 0) << report->notes;
  EXPECT_EQ(report->failed_requests, 0) << report->notes;
  EXPECT_EQ(report->hosts_ever_unreachable, 0) << report->notes;
}

}  // namespace
}  // namespace cs::bench
