// The Simulator's lock order (docs/architecture.md): the store's mutex may be
// held while asking the Simulator about its agents, because starting an
// agent never holds the Simulator's mutex while it waits for the store's.
// Before that order was fixed, list_servers (store mutex, then
// AgentRunning) and an agent start (Simulator mutex, then the store's)
// could deadlock both pool threads. A deadlock here is reported as a
// failure after a bounded wait, and the process exits: the locked threads
// can never be joined, so the test cannot hang CTest.
#include <cstdio>
#include <cstdlib>
#include <future>
#include <thread>

#include "tests/control/control_fixture.h"

namespace cs {
namespace {

using std::chrono::seconds;

// Runs `body` on its own thread; if it has not finished within `limit`, the
// threads are deadlocked: say so and end the process with a failure.
void FinishesWithin(seconds limit, const char* what, std::function<void()> body) {
  auto task = std::make_shared<std::packaged_task<void()>>(std::move(body));
  std::future<void> done = task->get_future();
  std::thread worker([task] { (*task)(); });
  if (done.wait_for(limit) != std::future_status::ready) {
    std::fprintf(stderr, "DEADLOCK: %s did not finish within %lld s\n", what,
                 static_cast<long long>(limit.count()));
    std::fflush(stderr);
    std::_Exit(1);
  }
  worker.join();
  done.get();
}

TEST_F(ControlTest, AgentStartNeverWaitsForTheStoreWhileHoldingTheSimulatorLock) {
  FinishesWithin(seconds(20), "an agent start against a holder of the store's mutex", [this] {
    // What list_servers does: hold the store's mutex and ask about agents.
    std::unique_lock<std::mutex> store_lock(sim_->store().mutex());
    auto restart = std::async(std::launch::async, [this] { return sim_->RestartAgent(s0); });
    // Give the start time to get as far as it can without the store.
    restart.wait_for(std::chrono::milliseconds(300));
    EXPECT_FALSE(sim_->AgentRunning(s0));  // the old order blocked here for ever
    store_lock.unlock();
    Status started = restart.get();
    EXPECT_EQ(started.code(), Status::Code::kFailedPrecondition) << started.ToString();  // not registered
  });
}

}  // namespace
}  // namespace cs
