// Group commit (state/store.h): operations that finish together share one
// transaction and one fsync, and none is answered before its group is
// durable. The crash test runs a real writer process that applies counter
// increments from several threads and reports every answer it gets down a
// pipe (as an agent posts ACTION_COMPLETE), kills it with SIGKILL at seeded
// random instants (and at seeded points of the commit path), then checks
// that the state on disk holds every operation that was answered, and
// nothing of an operation that failed.
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <map>
#include <mutex>
#include <sstream>
#include <thread>
#include <vector>

#include "fakes/fleet.h"
#include "fakes/invariants.h"
#include "state/store.h"
#include "tests/state/open_store.h"
#include "tests/state/temp_dir.h"
#include "tests/time_scale.h"
#include "util/random.h"

namespace cs {
namespace {

using cs::testing::OpenStoreOrFail;
using cs::testing::TempDir;

constexpr int kServers = 8;
constexpr int kWriterThreads = 4;
constexpr int kOpsPerThread = 4000;  // bounds a child that is never killed
constexpr int kFailEvery = 5;        // every 5th operation changes a server, then fails

std::string Fqdn(int i) {
  char name[64];
  std::snprintf(name, sizeof name, "test%03d.localdomain", i);
  return name;
}

uint64_t SeedFromEnvironment() {
  const char* v = std::getenv("CS_TEST_SEED");
  return v && *v ? std::strtoull(v, nullptr, 10) : 1;
}

void SetUpFleet(const std::string& dir) {
  auto store = OpenStoreOrFail(dir, Store::Mode::kCreate);
  ASSERT_NE(store, nullptr);
  FleetSpec spec;
  spec.server_count = kServers;
  ManualClock clock(WallTime(std::chrono::microseconds(1)));
  ASSERT_TRUE(store->Apply([&](World& w) { return SetupFleet(w, spec, clock); }).ok());
}

void WriteLine(int fd, const std::string& line) {
  // One write of less than PIPE_BUF: lines from different threads never mix.
  ssize_t ignored = write(fd, line.data(), line.size());
  (void)ignored;
}

// How a child is killed.
enum class KillAt { kRandomInstant, kAfterCommitBeforeFsync, kAfterFsyncBeforeAnswers };

// The child: increments random_actions of its servers from several threads
// with ApplyAsync and writes "ok <server> <value>" for each answered
// success, "failed <server>" for each answered failure (the failing
// operation sets lnet_up first, so any lnet_up on disk is a lost undo).
[[noreturn]] void RunWriter(const std::string& dir, int ack_fd, KillAt kill_at, int kill_group) {
  Store::Options options;
  auto opened = Store::Open(dir, options);
  if (!opened.ok()) _exit(3);
  std::unique_ptr<Store> store = std::move(*opened);
  if (kill_at != KillAt::kRandomInstant) {
    const Store::GroupPoint point = kill_at == KillAt::kAfterCommitBeforeFsync
                                        ? Store::GroupPoint::kCommitted
                                        : Store::GroupPoint::kDurable;
    auto groups = std::make_shared<std::atomic<int>>(0);
    store->SetGroupHookForTesting([point, kill_group, groups](Store::GroupPoint at, size_t) {
      if (at == point && ++*groups == kill_group) raise(SIGKILL);
    });
  }
  WriteLine(ack_fd, "ready\n");
  std::vector<std::thread> writers;
  for (int t = 0; t < kWriterThreads; ++t) {
    writers.emplace_back([&store, ack_fd, t] {
      for (int n = 1; n <= kOpsPerThread; ++n) {
        const std::string fqdn = Fqdn(t + kWriterThreads * (n % (kServers / kWriterThreads)));
        const bool fail = n % kFailEvery == 0;
        auto value = std::make_shared<uint64_t>(0);
        store->ApplyAsync(
            [fqdn, fail, value](World& w) {
              Server* s = w.servers.Mutable(fqdn);
              if (fail) {
                s->lnet_up = true;
                return Status::FailedPrecondition("fails on purpose");
              }
              *value = ++s->random_actions;
              return Status::Ok();
            },
            [ack_fd, fqdn, value](Status s) {
              WriteLine(ack_fd, s.ok() ? "ok " + fqdn + " " + std::to_string(*value) + "\n"
                                       : "failed " + fqdn + "\n");
            });
      }
    });
  }
  for (auto& w : writers) w.join();
  store.reset();  // answers what is left
  _exit(0);
}

struct Acknowledged {
  std::map<std::string, uint64_t> highest;  // by server: the highest value answered ok
  int ok = 0, failed = 0;
  bool ready = false;
};

void Parse(const std::string& text, Acknowledged* acks) {
  std::istringstream in(text);
  std::string word;
  while (in >> word) {
    if (word == "ready") {
      acks->ready = true;
    } else if (word == "ok") {
      std::string fqdn;
      uint64_t value = 0;
      in >> fqdn >> value;
      acks->highest[fqdn] = std::max(acks->highest[fqdn], value);
      ++acks->ok;
    } else if (word == "failed") {
      in >> word;
      ++acks->failed;
    }
  }
}

// Reads the child's answers until the pipe closes; kills the child `delay`
// after it said it is ready (or when the bound runs out).
std::string ReadAnswers(int fd, pid_t child, std::chrono::microseconds delay) {
  std::string text;
  bool killed = false;
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  auto kill_at = give_up - std::chrono::seconds(10);
  bool ready = false;
  while (std::chrono::steady_clock::now() < give_up) {
    auto now = std::chrono::steady_clock::now();
    if (!ready && text.find("ready") != std::string::npos) {
      ready = true;
      kill_at = std::min(kill_at, now + delay);
    }
    if (!killed && now >= kill_at) {
      kill(child, SIGKILL);
      killed = true;
    }
    const int wait_ms = killed ? 1000
                               : static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                                      kill_at - now).count()) + 1;
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, wait_ms) <= 0) continue;
    char buffer[4096];
    ssize_t n = read(fd, buffer, sizeof buffer);
    if (n <= 0) break;  // every writer end closed: the child is gone
    text.append(buffer, static_cast<size_t>(n));
  }
  if (!killed) kill(child, SIGKILL);
  return text;
}

TEST(GroupCommitTest, ConcurrentOperationsShareFsyncs) {
  TempDir tmp;
  SetUpFleet(tmp.path());
  auto store = OpenStoreOrFail(tmp.path(), Store::Mode::kOpenExisting);
  ASSERT_NE(store, nullptr);
  const Store::GroupStats before = store->group_stats();
  constexpr int kOps = 400;
  std::atomic<int> answered{0}, ok{0};
  auto increment = [](int i) {
    return [i](World& w) {
      ++w.servers.Mutable(Fqdn(i % kServers))->random_actions;
      return Status::Ok();
    };
  };
  auto count = [&](Status s) {
    if (s.ok()) ++ok;
    ++answered;
  };
  // The first operation finds no group in flight, so its own thread
  // commits it; its fsync waits (at most 10 s) until every other operation
  // is issued, as a slow disk would: on a loaded machine or under ASan the
  // operations are otherwise issued no faster than fsyncs complete.
  std::atomic<bool> first_in_fsync{false}, all_issued{false};
  store->SetGroupHookForTesting([&](Store::GroupPoint at, size_t) {
    if (at != Store::GroupPoint::kCommitted || all_issued) return;
    first_in_fsync = true;
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!all_issued && std::chrono::steady_clock::now() < until) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  });
  std::thread first([&] { store->ApplyAsync(increment(0), count); });
  for (int i = 0; i < 1000 && !first_in_fsync; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  ASSERT_TRUE(first_in_fsync.load());
  for (int i = 1; i < kOps; ++i) store->ApplyAsync(increment(i), count);
  all_issued = true;
  first.join();
  // Apply waits for its own group, which comes after all of the above.
  ASSERT_TRUE(store->Apply([](World&) { return Status::Ok(); }).ok());
  EXPECT_EQ(answered.load(), kOps);
  EXPECT_EQ(ok.load(), kOps);
  const Store::GroupStats after = store->group_stats();
  // The last Apply changed nothing: it joins a group only when one is in
  // flight (else it is answered at once, counted in no group).
  EXPECT_GE(after.operations - before.operations, static_cast<uint64_t>(kOps));
  EXPECT_LE(after.operations - before.operations, static_cast<uint64_t>(kOps + 1));
  // 399 operations issued during one fsync: far fewer fsyncs than
  // operations (the old store made one each).
  EXPECT_LT(after.fsyncs - before.fsyncs, static_cast<uint64_t>(kOps / 4))
      << (after.fsyncs - before.fsyncs) << " fsyncs for " << kOps << " operations";
  EXPECT_EQ(store->Snapshot()->servers.Find(Fqdn(0))->random_actions, static_cast<uint64_t>(kOps / kServers));
  store.reset();
  auto reopened = OpenStoreOrFail(tmp.path(), Store::Mode::kReadOnly);
  EXPECT_EQ(reopened->world().servers.Find(Fqdn(1))->random_actions, static_cast<uint64_t>(kOps / kServers));
}

// LevelDB's writer queue: an operation that finds no group in flight is
// committed, made durable and answered by its own thread before
// ApplyAsync returns, with no hand-off to the commit thread (which on a
// loaded machine cost a wait for a core: p50 1.5 -> 8.5 ms at 50 actions/s).
TEST(GroupCommitTest, ALoneOperationIsCommittedByItsOwnThreadWithoutAHandOff) {
  TempDir tmp;
  SetUpFleet(tmp.path());
  auto store = OpenStoreOrFail(tmp.path(), Store::Mode::kOpenExisting);
  ASSERT_NE(store, nullptr);
  std::mutex mu;
  std::vector<std::thread::id> committers;
  store->SetGroupHookForTesting([&](Store::GroupPoint at, size_t) {
    std::lock_guard<std::mutex> lock(mu);
    if (at == Store::GroupPoint::kDurable) committers.push_back(std::this_thread::get_id());
  });
  const Store::GroupStats before = store->group_stats();
  constexpr int kOps = 3 * kServers;
  for (int i = 0; i < kOps; ++i) {
    bool answered = false;
    std::thread::id answered_on;
    store->ApplyAsync(
        [i](World& w) {
          ++w.servers.Mutable(Fqdn(i % kServers))->random_actions;
          return Status::Ok();
        },
        [&](Status s) {
          EXPECT_TRUE(s.ok()) << s.ToString();
          answered = true;
          answered_on = std::this_thread::get_id();
        });
    // Answered (after its fsync) before ApplyAsync returned, on this thread.
    ASSERT_TRUE(answered) << "operation " << i << " was handed to another thread";
    EXPECT_EQ(answered_on, std::this_thread::get_id());
  }
  const Store::GroupStats after = store->group_stats();
  EXPECT_EQ(after.led_groups - before.led_groups, static_cast<uint64_t>(kOps));
  EXPECT_EQ(after.fsyncs - before.fsyncs, static_cast<uint64_t>(kOps));
  {
    std::lock_guard<std::mutex> lock(mu);
    ASSERT_EQ(committers.size(), static_cast<size_t>(kOps));
    for (const auto& id : committers) EXPECT_EQ(id, std::this_thread::get_id());
  }
  store.reset();
  auto reopened = OpenStoreOrFail(tmp.path(), Store::Mode::kReadOnly);
  EXPECT_EQ(reopened->world().servers.Find(Fqdn(0))->random_actions, static_cast<uint64_t>(kOps / kServers));
}

// A kill -9 does not lose what the kernel holds, so the crash test cannot
// tell an answer sent after the fsync from one sent just before it: this
// one watches the order in the process.
TEST(GroupCommitTest, NoAnswerLeavesBeforeItsGroupsFsync) {
  TempDir tmp;
  SetUpFleet(tmp.path());
  auto store = OpenStoreOrFail(tmp.path(), Store::Mode::kOpenExisting);
  ASSERT_NE(store, nullptr);
  std::atomic<size_t> durable{0}, answered{0}, early{0};
  std::atomic<bool> committed_seen{false};
  store->SetGroupHookForTesting([&](Store::GroupPoint at, size_t size) {
    if (at == Store::GroupPoint::kCommitted) committed_seen = true;
    if (at == Store::GroupPoint::kDurable) durable += size;
  });
  for (int i = 0; i < 200; ++i) {
    store->ApplyAsync(
        [i](World& w) {
          ++w.servers.Mutable(Fqdn(i % kServers))->random_actions;
          return Status::Ok();
        },
        [&](Status) {
          if (++answered > durable.load()) ++early;
        });
  }
  ASSERT_TRUE(store->Apply([](World&) { return Status::Ok(); }).ok());
  EXPECT_TRUE(committed_seen.load());
  EXPECT_EQ(answered.load(), 200u);
  EXPECT_EQ(early.load(), 0u) << "answers given before their group's fsync";
}

// The commit thread checkpoints (the writer's automatic checkpoint is off):
// often enough that the WAL stays bounded, rarely enough that it is not one
// checkpoint (two more fsyncs) per group.
TEST(GroupCommitTest, CheckpointsKeepTheWalBoundedWithoutOnePerGroup) {
  TempDir tmp;
  SetUpFleet(tmp.path());
  auto store = OpenStoreOrFail(tmp.path(), Store::Mode::kOpenExisting);
  ASSERT_NE(store, nullptr);
  constexpr int kOps = 1200;
  for (int i = 0; i < kOps; ++i) {  // one at a time: a group each
    ASSERT_TRUE(store->Apply([i](World& w) {
      ++w.servers.Mutable(Fqdn(i % kServers))->random_actions;
      return Status::Ok();
    }).ok());
  }
  const Store::GroupStats stats = store->group_stats();
  EXPECT_GE(stats.checkpoints, 1u);
  // Complete: a checkpoint that did not run (a connection that never read
  // the database checkpoints nothing) left 1,200 groups in a 14 MiB WAL.
  EXPECT_GE(stats.complete_checkpoints, 1u);
  EXPECT_GE(stats.wal_restarts, 1u);
  EXPECT_LT(stats.checkpoints, stats.groups / 50) << stats.checkpoints << " checkpoints for " << stats.groups << " groups";
  struct stat st {};
  ASSERT_EQ(stat(tmp.Sub(std::string(Store::kDatabaseName) + "-wal").c_str(), &st), 0);
  EXPECT_LT(st.st_size, 8 << 20) << "the WAL grows without bound";
}

// Under sustained load a next operation always arrives while the commit
// thread checkpoints. SQLite restarts the WAL only in a transaction begun
// after a complete checkpoint, so the store holds that BEGIN back (the
// rows wait in memory) until the checkpoint has run; otherwise the WAL
// would grow for as long as the load lasts. A feeder keeps 64 operations
// in flight until three checkpoints have run.
TEST(GroupCommitTest, UnderSustainedLoadTheWalRestartsAfterEachCheckpoint) {
  TempDir tmp;
  SetUpFleet(tmp.path());
  auto store = OpenStoreOrFail(tmp.path(), Store::Mode::kOpenExisting);
  ASSERT_NE(store, nullptr);
  constexpr int kInFlight = 64;
  std::mutex mu;
  std::condition_variable answered;
  int in_flight = 0, failed = 0;
  // 60 s here is about 20,000 operations; a sanitizer build needs longer.
  const auto deadline = std::chrono::steady_clock::now() + cs::testing::Scaled(std::chrono::seconds(60));
  uint64_t issued = 0;
  while (store->group_stats().checkpoints < 3 && std::chrono::steady_clock::now() < deadline &&
         issued < 500000) {
    {
      std::unique_lock<std::mutex> lock(mu);
      answered.wait(lock, [&] { return in_flight < kInFlight; });
      ++in_flight;
    }
    const int i = static_cast<int>(issued++);
    store->ApplyAsync(
        [i](World& w) {
          ++w.servers.Mutable(Fqdn(i % kServers))->random_actions;
          return Status::Ok();
        },
        [&](Status s) {
          std::lock_guard<std::mutex> lock(mu);
          if (!s.ok()) ++failed;
          --in_flight;
          answered.notify_one();
        });
  }
  ASSERT_TRUE(store->Apply([](World&) { return Status::Ok(); }).ok());
  {
    std::unique_lock<std::mutex> lock(mu);
    answered.wait(lock, [&] { return in_flight == 0; });
  }
  EXPECT_EQ(failed, 0);
  const Store::GroupStats stats = store->group_stats();
  ASSERT_GE(stats.checkpoints, 3u) << "too slow: " << issued << " operations in "
                                   << cs::testing::Scaled(std::chrono::seconds(60)).count() << " s";
  EXPECT_GE(stats.complete_checkpoints, 1u);
  EXPECT_GE(stats.held_back_groups, 1u) << "no operation arrived during a checkpoint: not a sustained load";
  EXPECT_GE(stats.wal_restarts, 1u) << stats.checkpoints << " checkpoints and the WAL never restarted";
  struct stat st {};
  ASSERT_EQ(stat(tmp.Sub(std::string(Store::kDatabaseName) + "-wal").c_str(), &st), 0);
  // One checkpoint's worth of 4 KiB frames (1,000) and a margin; three
  // checkpoints without a restart leave more than 3,000 frames.
  EXPECT_LT(st.st_size, 8 << 20) << "the WAL grows under sustained load";
  // Every operation is on disk.
  uint64_t total = 0;
  for (int s = 0; s < kServers; ++s) total += store->Snapshot()->servers.Find(Fqdn(s))->random_actions;
  EXPECT_EQ(total, issued);
  store.reset();
  auto reopened = OpenStoreOrFail(tmp.path(), Store::Mode::kReadOnly);
  uint64_t on_disk = 0;
  for (int s = 0; s < kServers; ++s) on_disk += reopened->world().servers.Find(Fqdn(s))->random_actions;
  EXPECT_EQ(on_disk, issued);
}

TEST(GroupCommitTest, AFailedOperationIsUndoneAloneInsideItsGroup) {
  TempDir tmp;
  SetUpFleet(tmp.path());
  auto store = OpenStoreOrFail(tmp.path(), Store::Mode::kOpenExisting);
  ASSERT_NE(store, nullptr);
  std::atomic<int> failures{0};
  for (int i = 0; i < 30; ++i) {
    store->ApplyAsync(
        [i](World& w) {
          Server* s = w.servers.Mutable(Fqdn(0));
          ++s->random_actions;  // kept by the successes, undone by the failures
          if (i % 3 == 2) return Status::FailedPrecondition("no");
          return Status::Ok();
        },
        [&](Status s) {
          if (!s.ok()) ++failures;
        });
  }
  ASSERT_TRUE(store->Apply([](World&) { return Status::Ok(); }).ok());
  EXPECT_EQ(failures.load(), 10);
  EXPECT_EQ(store->Snapshot()->servers.Find(Fqdn(0))->random_actions, 20u);
  store.reset();
  EXPECT_EQ(OpenStoreOrFail(tmp.path(), Store::Mode::kReadOnly)->world().servers.Find(Fqdn(0))->random_actions, 20u);
}

TEST(GroupCommitTest, KillAtAnyInstantLosesNothingThatWasAnswered) {
  const uint64_t seed = SeedFromEnvironment();
  std::printf("seed %llu (CS_TEST_SEED to replay)\n", static_cast<unsigned long long>(seed));
  Random random(seed);
  TempDir tmp;
  SetUpFleet(tmp.path());
  std::map<std::string, uint64_t> answered_before;  // what earlier runs had answered
  int total_ok = 0;
  constexpr int kRuns = 24;
  for (int run = 0; run < kRuns; ++run) {
    const auto kill_at = static_cast<KillAt>(random.Uniform(0, 2));
    const int kill_group = static_cast<int>(random.Uniform(1, 8));
    const auto delay = std::chrono::microseconds(random.Uniform(0, 150000));
    SCOPED_TRACE("seed " + std::to_string(seed) + " run " + std::to_string(run) + " kill " +
                 std::to_string(static_cast<int>(kill_at)) + " group " + std::to_string(kill_group) +
                 " delay " + std::to_string(delay.count()) + " us");
    int fds[2];
    ASSERT_EQ(pipe(fds), 0);
    pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      close(fds[0]);
      RunWriter(tmp.path(), fds[1], kill_at, kill_group);
    }
    close(fds[1]);
    // A random instant after the child is running; the others kill
    // themselves at their commit point (or finish, when they never reach it).
    const std::string text =
        ReadAnswers(fds[0], child, kill_at == KillAt::kRandomInstant ? delay : std::chrono::seconds(30));
    close(fds[0]);
    int wstatus = 0;
    ASSERT_EQ(waitpid(child, &wstatus, 0), child);
    Acknowledged acks;
    Parse(text, &acks);
    ASSERT_TRUE(acks.ready) << "the child never opened the store (status " << wstatus << ")";
    total_ok += acks.ok;

    auto store = OpenStoreOrFail(tmp.path(), Store::Mode::kOpenExisting);
    ASSERT_NE(store, nullptr);
    const World& w = store->world();
    for (int i = 0; i < kServers; ++i) {
      const Server* s = w.servers.Find(Fqdn(i));
      ASSERT_NE(s, nullptr);
      EXPECT_FALSE(s->lnet_up) << Fqdn(i) << ": a failed operation's change is on disk";
      auto it = acks.highest.find(Fqdn(i));
      const uint64_t answered = it == acks.highest.end() ? answered_before[Fqdn(i)] : it->second;
      EXPECT_GE(s->random_actions, answered) << Fqdn(i) << ": an answered operation was lost";
      answered_before[Fqdn(i)] = s->random_actions;
    }
    EXPECT_TRUE(CheckInvariants(w).empty());
  }
  // The runs did answer operations (the check above was not vacuous).
  EXPECT_GT(total_ok, kRuns * 10);
  std::printf("%d operations answered in %d killed runs\n", total_ok, kRuns);
}

}  // namespace
}  // namespace cs
