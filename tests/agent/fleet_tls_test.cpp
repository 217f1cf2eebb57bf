// The fleet's TLS against the built-in manager (in this process, on
// 127.0.0.1): every agent of the fleet runs on one shared client context,
// and each presents its own certificate, so the manager authenticates each
// connection as the right host and every plugin session opens on it.
#include <gtest/gtest.h>

#include <future>
#include <thread>

#include "crypto/server_dir.h"
#include "fakes/fleet.h"
#include "manager/manager_store.h"
#include "sim/simulator.h"
#include "tests/manager/manager_test_util.h"
#include "tests/state/temp_dir.h"

namespace cs {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

class FleetTlsTest : public manager::testing::ManagerTest {
 protected:
  static constexpr int kServers = 4;

  void SetUp() override {
    StartManager();
    Store::Options o;
    o.mode = Store::Mode::kCreate;
    auto store = Store::Open(fleet_dir_.path(), o);
    ASSERT_TRUE(store.ok()) << store.status().message();
    FleetSpec spec;
    spec.server_count = kServers;
    spec.worker_count = 0;
    ASSERT_TRUE((*store)->Apply([&](World& w) { return SetupFleet(w, spec, clock_); }).ok());
  }

  void TearDown() override {
    if (sim_) sim_->Stop();
  }

  void OpenSimulator() {
    log_.SetStderr(false);
    SimulatorOptions options;
    options.config_dir = fleet_dir_.path();
    options.log = &log_;
    options.threads = 2;
    options.url = manager_->url();
    options.ca_file = manager_->ca_path();
    options.start_spread = milliseconds(200);
    options.boot_delay = milliseconds(0);
    options.shutdown_delay = milliseconds(0);
    auto sim = Simulator::Open(options);
    ASSERT_TRUE(sim.ok()) << sim.status().message();
    sim_ = std::move(*sim);
  }

  // fqdn -> plugins with a session, as the manager's session_stats/ has them.
  std::map<std::string, size_t> SessionsByHost(manager::ManagerClient& admin) {
    std::map<std::string, size_t> out;
    Result<Json> stats = admin.Call("GET", "api/session_stats/?limit=0");
    if (!stats.ok()) return out;
    for (const Json& h : stats->value("objects", Json::array())) {
      out[h.value("fqdn", "")] = h.value("sessions", Json::object()).size();
    }
    return out;
  }

  testing::TempDir fleet_dir_;
  Log log_;
  SystemClock clock_;
  std::unique_ptr<Simulator> sim_;
};

TEST_F(FleetTlsTest, TheFleetSharesOneClientContextAndEachAgentPresentsItsOwnCertificate) {
  OpenSimulator();
  const uint64_t decodes_before = crypto::PrivateKey::PemDecodes();
  auto results = sim_->RegisterAll(CreateToken(kServers), "", nullptr);
  ASSERT_EQ(results.size(), static_cast<size_t>(kServers));
  for (const RegistrationResult& r : results) ASSERT_TRUE(r.status.ok()) << r.fqdn << ": " << r.status.message();
  // Each key was made in memory and stayed there, from the CSR to the
  // agent's identity: no private.pem was read back (3 decodes a server
  // before, each with an OpenSSL 3 decoder context).
  EXPECT_EQ(crypto::PrivateKey::PemDecodes(), decodes_before);

  // The manager knows each server by the serial of the certificate in its
  // directory: the identity its agent must present.
  for (const RegistrationResult& r : results) {
    auto cert = crypto::ServerCryptoDir(fleet_dir_.path(), r.fqdn).LoadCertificate();
    ASSERT_TRUE(cert.ok()) << cert.status().message();
    auto host = manager_->store().HostBySerial(cert->serial_hex());
    ASSERT_TRUE(host.has_value()) << r.fqdn;
    EXPECT_EQ(host->fqdn, r.fqdn);
  }

  // Every plugin session of every host opens: each agent's long poll and
  // POSTs were authenticated as its own host (a wrong certificate is
  // another host: "Incorrect client name", and no session).
  auto admin = Admin();
  const size_t plugins = 7;
  std::map<std::string, size_t> sessions;
  const auto deadline = std::chrono::steady_clock::now() + seconds(60);
  while (std::chrono::steady_clock::now() < deadline) {
    sessions = SessionsByHost(*admin);
    size_t complete = 0;
    for (const RegistrationResult& r : results) complete += sessions[r.fqdn] == plugins;
    if (complete == results.size()) break;
    std::this_thread::sleep_for(milliseconds(200));
  }
  for (const RegistrationResult& r : results) EXPECT_EQ(sessions[r.fqdn], plugins) << r.fqdn;
  for (const RegistrationResult& r : results) {
    auto stats = sim_->AgentStatsOf(r.fqdn);
    ASSERT_TRUE(stats.has_value()) << r.fqdn;
    EXPECT_EQ(stats->posts_failed, 0u) << r.fqdn;
  }

  // One context for the whole fleet (registration included); restarting
  // agents builds none.
  EXPECT_EQ(sim_->ClientTlsContexts(), 1u);
  ASSERT_TRUE(sim_->Shutdown(results[0].fqdn, /*then_boot=*/true).ok());
  const auto restarted = std::chrono::steady_clock::now() + seconds(30);
  while (!sim_->AgentRunning(results[0].fqdn) && std::chrono::steady_clock::now() < restarted) {
    std::this_thread::sleep_for(milliseconds(50));
  }
  EXPECT_TRUE(sim_->AgentRunning(results[0].fqdn));
  EXPECT_EQ(sim_->ClientTlsContexts(), 1u);
  // Every agent started on the key it registered with; a restart reads
  // its files (once).
  EXPECT_EQ(crypto::PrivateKey::PemDecodes(), decodes_before + 1);
}

// A registration the manager never received (here: refused, the manager
// down; under load: its handshake timing out) is sent again, 1, 2, 4 and 8 s
// later; the token's credits are spent only by the POSTs it answered.
TEST_F(FleetTlsTest, ARegistrationTheManagerNeverReceivedIsSentAgain) {
  OpenSimulator();
  const std::string secret = CreateToken(kServers);
  options_.port = manager_->port();
  StopManager();
  std::promise<std::vector<RegistrationResult>> finished;
  auto results = finished.get_future();
  std::vector<std::string> fqdns;
  for (int i = 0; i < kServers; ++i) fqdns.push_back(FqdnOf(ServerNodename(i)));
  sim_->RegisterServers(fqdns, secret, [&](std::vector<RegistrationResult> r) { finished.set_value(std::move(r)); });
  std::this_thread::sleep_for(milliseconds(1500));  // the first POSTs are refused
  StartManager();
  ASSERT_EQ(results.wait_for(seconds(60)), std::future_status::ready);
  for (const RegistrationResult& r : results.get()) EXPECT_TRUE(r.status.ok()) << r.fqdn << ": " << r.status.message();
  EXPECT_EQ(manager_->store().Hosts().size(), static_cast<size_t>(kServers));
}

}  // namespace
}  // namespace cs
