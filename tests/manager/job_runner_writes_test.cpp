// JobRunner and the disk: a command's progress is written after JobRunner's
// lock is let go (docs/manager.md, lock order), so an agent's message for
// one command never waits for another command's SQLite write. A second
// connection holds the database's write lock, as a long checkpoint or a
// slow disk would, while two agents' ACTION_COMPLETEs arrive at once.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "manager/job_runner.h"
#include "manager/manager_store.h"
#include "state/sqlite.h"
#include "tests/manager/manager_test_util.h"

namespace cs::manager::testing {
namespace {

using Clock = std::chrono::steady_clock;

CommandSpec TwoSteps(const std::string& fqdn) {
  CommandSpec spec;
  spec.message = "two steps on " + fqdn;
  spec.steps.push_back(StepSpec{fqdn, "load_lnet", nullptr, nullptr});
  spec.steps.push_back(StepSpec{fqdn, "start_lnet", nullptr, nullptr});
  return spec;
}

TEST(JobRunnerWritesTest, AnAgentsMessageNeverWaitsForAnotherCommandsWrite) {
  const std::string path = MakeTempDir() + ".db";
  auto store = ManagerStore::Open(path);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  boost::asio::io_context io;  // timers only; never run
  std::mutex sent_mu;
  std::map<std::string, std::vector<Json>> sent;  // by host
  JobRunner jobs(io, **store, [&](const std::string& fqdn, const Json& body) {
    std::lock_guard<std::mutex> lock(sent_mu);
    sent[fqdn].push_back(body);
    return true;
  }, nullptr, std::chrono::minutes(5));
  const std::vector<std::string> hosts = {"a.localdomain", "b.localdomain"};
  std::map<std::string, int64_t> command;
  for (const std::string& fqdn : hosts) {
    Result<int64_t> id = jobs.Submit(TwoSteps(fqdn));
    ASSERT_TRUE(id.ok()) << id.status().ToString();
    command[fqdn] = *id;
  }

  // The manager store waits up to 5 s for the lock (its busy timeout):
  // before, the first answer came after those 5 s; now one comes at once
  // (4 s allowed, for a loaded machine).
  auto blocker = SqliteDb::Open(path, SqliteDb::Mode::kReadWrite, 1000);
  ASSERT_TRUE(blocker.ok()) << blocker.status().ToString();
  ASSERT_TRUE((*blocker)->Exec("BEGIN IMMEDIATE").ok());

  std::mutex mu;
  std::condition_variable returned;
  int done = 0;
  std::vector<std::thread> agents;
  const auto start = Clock::now();
  for (const std::string& fqdn : hosts) {
    Json first;
    {
      std::lock_guard<std::mutex> lock(sent_mu);
      ASSERT_EQ(sent[fqdn].size(), 1u);
      first = sent[fqdn][0];
    }
    agents.emplace_back([&, fqdn, first] {
      jobs.OnActionRunnerData(fqdn, Json{{"type", "ACTION_COMPLETE"}, {"id", first["id"]},
                                         {"result", Json{{"wrapper_version", 1}, {"result", true}}},
                                         {"exception", nullptr}});
      std::lock_guard<std::mutex> lock(mu);
      ++done;
      returned.notify_all();
    });
  }
  // One of the two writes the records and waits for the lock; the other
  // only queues its record. Before, both waited: the first held
  // JobRunner's lock across its write, for the whole busy timeout.
  bool one_returned = false;
  {
    std::unique_lock<std::mutex> lock(mu);
    one_returned = returned.wait_for(lock, std::chrono::milliseconds(4000), [&] { return done >= 1; });
  }
  const double waited = std::chrono::duration<double>(Clock::now() - start).count();
  ASSERT_TRUE((*blocker)->Exec("ROLLBACK").ok());
  for (auto& t : agents) t.join();
  EXPECT_TRUE(one_returned) << "both agents' messages waited " << waited << " s for one SQLite write";

  // Both commands went on to their second step, and the one writer wrote
  // both records once the lock was free.
  for (const std::string& fqdn : hosts) {
    {
      std::lock_guard<std::mutex> lock(sent_mu);
      ASSERT_EQ(sent[fqdn].size(), 2u) << fqdn;
      EXPECT_EQ(sent[fqdn][1]["action"], "start_lnet");
    }
    std::optional<Json> record = (*store)->GetRecord("command", command[fqdn]);
    ASSERT_TRUE(record.has_value());
    EXPECT_EQ((*record)["steps"][0]["state"], "succeeded") << record->dump(2);
    EXPECT_EQ((*record)["steps"][1]["state"], "running") << record->dump(2);
  }
  // And they are on disk, not only in the store's memory.
  auto reopened = ManagerStore::Open(path);
  ASSERT_TRUE(reopened.ok());
  for (const std::string& fqdn : hosts) {
    EXPECT_EQ((*(*reopened)->GetRecord("command", command[fqdn]))["steps"][0]["state"], "succeeded") << fqdn;
  }
}

}  // namespace
}  // namespace cs::manager::testing
