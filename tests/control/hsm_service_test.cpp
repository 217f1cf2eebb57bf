// HsmService's lock (sim/hsm_service.h): mu_ is a leaf held only briefly,
// never while a worker's key and certificate files are read. A copytool's
// first POST builds its connection from those files; while that read is
// slow (a loaded disk), status and the coordinator stats must still answer.
#include "sim/hsm_service.h"

#include <gtest/gtest.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <future>
#include <memory>
#include <thread>
#include <vector>

#include "fakes/fleet.h"
#include "fakes/hsm/hsm_world.h"
#include "tests/state/temp_dir.h"
#include "tests/time_scale.h"
#include "util/random.h"

namespace cs {
namespace {

using std::chrono::seconds;

// A fleet with one worker running copytool ct1 for testfs (enabled).
Status PrepareWorld(World& w, const Clock& clock) {
  FleetSpec spec;
  spec.server_count = 2;
  spec.worker_count = 1;
  spec.cluster_size = 2;
  CS_RETURN_IF_ERROR(SetupFleet(w, spec, clock));
  Copytool c;
  c.id = "ct1";
  c.server = "worker000.localdomain";
  c.copytool = {{"id", "ct1"}, {"index", 0}, {"bin_path", "/usr/sbin/lhsmtool_posix"}, {"archive_number", 1},
                {"filesystem", "testfs"}, {"mountpoint", "/mnt/testfs"}, {"hsm_arguments", ""}};
  w.copytools.Put("ct1", c);
  CS_RETURN_IF_ERROR(ControlHsmCoordinator(w, "testfs", "enabled"));
  Random random(7);
  return StartHsmCopytool(w, "ct1", random);
}

// A new store in `dir` holding PrepareWorld's fleet; null (and a test
// failure) when it cannot be made.
std::unique_ptr<Store> OpenPreparedStore(const testing::TempDir& dir, const Clock& clock) {
  Store::Options options;
  options.mode = Store::Mode::kCreate;
  auto store = Store::Open(dir.path(), options);
  EXPECT_TRUE(store.ok()) << store.status().message();
  if (!store.ok()) return nullptr;
  Status prepared = (*store)->Apply([&](World& w) { return PrepareWorld(w, clock); });
  EXPECT_TRUE(prepared.ok()) << prepared.message();
  return prepared.ok() ? std::move(*store) : nullptr;
}

TEST(HsmServiceTest, ReadingAWorkersKeyFilesNeverHoldsTheServiceLock) {
  testing::TempDir dir;
  ManualClock clock{WallTime(std::chrono::seconds(1800000000))};
  std::unique_ptr<Store> store = OpenPreparedStore(dir, clock);
  ASSERT_NE(store, nullptr);

  // The credentials provider stands for a slow read of the key files: it
  // holds the first POST until the test lets it go (bounded either way).
  std::promise<void> reading, release;
  std::shared_future<void> released = release.get_future().share();
  std::atomic<bool> first{true};
  HsmService::Options options;
  options.seed = 1;
  options.agent_url = "https://127.0.0.1:1/agent/";
  options.tls = [&](const std::string&) -> Result<agent::AgentTls> {
    if (first.exchange(false)) {
      reading.set_value();
      released.wait_for(testing::Scaled(seconds(20)));
    }
    return Status::Unavailable("test: no credentials");
  };
  Log log;
  log.SetStderr(false);
  boost::asio::io_context io;
  auto work = boost::asio::make_work_guard(io);
  std::thread runner([&] { io.run(); });
  HsmService service(io, *store, clock, options, log);
  ASSERT_TRUE(service.Start(std::chrono::milliseconds(10)).ok());

  const bool posting = reading.get_future().wait_for(testing::Scaled(seconds(30))) == std::future_status::ready;
  EXPECT_TRUE(posting) << "the copytool never tried to post";
  if (posting) {
    // While the files are read, the service's state is still there to see.
    auto report = std::async(std::launch::async, [&] { return service.Report(); });
    EXPECT_EQ(report.wait_for(testing::Scaled(seconds(5))), std::future_status::ready)
        << "Report() waited for the key files to be read";
    release.set_value();
    EXPECT_TRUE(report.get()["copytools"].contains("ct1"));
  }
  service.Stop();
  work.reset();
  io.stop();
  runner.join();
}

TEST(HsmServiceTest, StopOnAnotherThreadNeverMeetsTheTickRearmingItsTimer) {
  // Tick re-armed the timer after releasing mu_ while Stop cancelled it
  // from the caller's thread: two threads in one Asio timer at once
  // (ThreadSanitizer reported it in the test above). Ticks every
  // millisecond, stopped at once: under TSan this reports without the fix.
  testing::TempDir dir;
  ManualClock clock{WallTime(std::chrono::seconds(1800000000))};
  std::unique_ptr<Store> store = OpenPreparedStore(dir, clock);
  ASSERT_NE(store, nullptr);
  HsmService::Options options;
  options.seed = 1;
  options.agent_url = "https://127.0.0.1:1/agent/";
  options.tls = [](const std::string&) -> Result<agent::AgentTls> { return Status::Unavailable("test: none"); };
  Log log;
  log.SetStderr(false);
  boost::asio::io_context io;
  auto work = boost::asio::make_work_guard(io);
  std::thread runner([&] { io.run(); });
  // Destroyed only once the io_context runs no more handlers, as the
  // Simulator does: a tick that fired just before Stop() may still run.
  std::vector<std::unique_ptr<HsmService>> services;
  for (int round = 0; round < 20; ++round) {
    services.push_back(std::make_unique<HsmService>(io, *store, clock, options, log));
    ASSERT_TRUE(services.back()->Start(std::chrono::milliseconds(1)).ok());
    std::this_thread::sleep_for(std::chrono::milliseconds(round % 5));
    services.back()->Stop();
  }
  work.reset();
  io.stop();
  runner.join();
  EXPECT_EQ(services.size(), 20u);
}

}  // namespace
}  // namespace cs
