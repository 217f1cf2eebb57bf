#include "sim/agent/agent.h"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/executor_work_guard.hpp>

#include "metrics/registry.h"
#include "util/clock.h"

#include <condition_variable>
#include <mutex>
#include <thread>

namespace cs::agent {
namespace {

using protocol::Message;
using protocol::MessageType;

// A manager in memory: grants every session, records what arrives, answers
// GETs from a queue (holding them like a long poll), and can be told to fail.
class FakeManager {
 public:
  struct Transport : AgentTransport {
    FakeManager* m;
    explicit Transport(FakeManager* manager) : m(manager) {}
    void Get(const std::string& query, TransportCallback done) override { m->OnGet(query, std::move(done)); }
    void Post(std::string body, TransportCallback done) override { m->OnPost(body, std::move(done)); }
    void Close() override {
      std::lock_guard<std::mutex> lock(m->mu);
      m->waiting_get = nullptr;
    }
  };

  void OnGet(const std::string& query, TransportCallback done) {
    std::lock_guard<std::mutex> lock(mu);
    queries.push_back(query);
    if (fail_gets) {
      done(Status::Unavailable("refused"));
      return;
    }
    waiting_get = std::move(done);
    DeliverLocked();
  }
  void OnPost(const std::string& body, TransportCallback done) {
    if (post_clock) post_clock->Advance(kPostTakes);  // every POST takes this long, by the agent's clock
    {
      std::lock_guard<std::mutex> lock(mu);
      ++posts;
      auto envelope = protocol::Envelope::FromJson(Json::parse(body));
      EXPECT_TRUE(envelope.ok());
      for (const Message& m : envelope->messages) {
        received.push_back(m);
        if (m.type == MessageType::kSessionCreateRequest) {
          outbox.push_back(Message::SessionCreateResponse(m.plugin, m.plugin + "-" + std::to_string(++sessions), m.fqdn));
        }
      }
      DeliverLocked();
    }
    cv.notify_all();
    net::Response ok;
    ok.status = 200;
    done(ok);
  }
  void Send(Message m) {
    std::lock_guard<std::mutex> lock(mu);
    outbox.push_back(std::move(m));
    DeliverLocked();
  }
  void DeliverLocked() {
    if (!waiting_get || outbox.empty()) return;
    net::Response r;
    r.status = 200;
    r.body = protocol::MessagesToJson(outbox).dump();
    outbox.clear();
    auto done = std::move(waiting_get);
    waiting_get = nullptr;
    done(r);
  }
  // Waits (bounded) until `pred` holds over the received messages.
  bool WaitFor(const std::function<bool(const std::vector<Message>&)>& pred) {
    std::unique_lock<std::mutex> lock(mu);
    return cv.wait_for(lock, std::chrono::seconds(10), [&] { return pred(received); });
  }

  std::mutex mu;
  std::condition_variable cv;
  std::vector<Message> received, outbox;
  std::vector<std::string> queries;
  TransportCallback waiting_get;
  int sessions = 0;
  int posts = 0;
  bool fail_gets = false;
  static constexpr std::chrono::milliseconds kPostTakes{7};
  ManualClock* post_clock = nullptr;  // set: POSTs advance it by kPostTakes
};

class RecordingHost : public AgentHost {
 public:
  std::vector<Json> PollPlugin(const std::string&, const std::string& plugin, bool first) override {
    return {Json{{"plugin", plugin}, {"first", first}}};
  }
  void RunAction(const std::string&, const std::string& action, const Json&, ActionDone done) override {
    ActionReport r;
    if (action == "explode") {
      r.exception = "it exploded";
    } else {
      r.result = protocol::AgentResultOk();
    }
    if (action == "shutdown_server") r.after = AfterAnswer::kShutdown;
    done(std::move(r));
  }
  void AfterAnswerSent(const std::string&, AfterAnswer what) override {
    std::lock_guard<std::mutex> lock(mu);
    afters.push_back(what);
  }
  void Log(const std::string&, const std::string&, const std::string&) override {}
  std::mutex mu;
  std::vector<AfterAnswer> afters;
};

class AgentTest : public ::testing::Test {
 protected:
  void SetUp() override {
    AgentConfig config;
    config.fqdn = "test000.localdomain";
    config.plugins = {"linux", "action_runner"};
    config.server_boot_time = "2020-01-01T00:00:00+00:00Z";
    config.timing.poll_period = std::chrono::milliseconds(50);
    config.timing.min_session_backoff = std::chrono::milliseconds(50);
    config.timing.max_session_backoff = std::chrono::milliseconds(200);
    config.get_retry = std::chrono::milliseconds(50);
    agent = Agent::Create(io, config, std::make_unique<FakeManager::Transport>(&manager), &host, &clock);
    work.emplace(io.get_executor());
    thread = std::thread([this] { io.run(); });
    agent->Start();
  }
  void TearDown() override {
    agent->Stop();
    work.reset();
    boost::asio::post(io, [this] { io.stop(); });
    thread.join();
  }
  static bool HasData(const std::vector<Message>& ms, const std::string& plugin, int64_t seq) {
    for (const auto& m : ms) {
      if (m.type == MessageType::kData && m.plugin == plugin && m.session_seq == seq) return true;
    }
    return false;
  }

  boost::asio::io_context io;
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work;
  std::thread thread;
  FakeManager manager;
  RecordingHost host;
  SystemClock clock;
  std::shared_ptr<Agent> agent;
};

TEST_F(AgentTest, OpensSessionsAndReportsStartThenUpdates) {
  ASSERT_TRUE(manager.WaitFor([](const auto& ms) { return HasData(ms, "linux", 2); }));
  std::lock_guard<std::mutex> lock(manager.mu);
  for (const auto& m : manager.received) {
    if (m.type == MessageType::kData && m.plugin == "linux") {
      EXPECT_EQ(m.body["first"], m.session_seq == 0);
      EXPECT_EQ(m.fqdn, "test000.localdomain");
    }
  }
  ASSERT_FALSE(manager.queries.empty());
  const std::string& q = manager.queries.front();
  EXPECT_NE(q.find("server_boot_time=2020-01-01T00%3A00%3A00%2B00%3A00Z"), std::string::npos) << q;
  EXPECT_EQ(q.find('+'), std::string::npos) << "a raw + would arrive as a space";
}

TEST_F(AgentTest, RunsActionsAndAnswersThem) {
  ASSERT_TRUE(manager.WaitFor([](const auto& ms) {
    for (const auto& m : ms) if (m.type == MessageType::kSessionCreateRequest && m.plugin == "action_runner") return true;
    return false;
  }));
  // Wait for the session to be granted (the response goes out on the next GET).
  for (int i = 0; i < 1000 && agent->session_count() < 2; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  ASSERT_EQ(agent->session_count(), 2u);
  // Session ids are "<plugin>-<n>"; action_runner got number 1 or 2, so
  // send to both: the agent ignores the one that is not its session.
  for (int s = 1; s <= 2; ++s) {
    manager.Send(Message::Data("action_runner", "action_runner-" + std::to_string(s), std::nullopt,
                               Json{{"type", "ACTION_START"}, {"id", "x" + std::to_string(s)}, {"action", "explode"}, {"args", Json::object()}},
                               ""));
    manager.Send(Message::Data("action_runner", "action_runner-" + std::to_string(s), std::nullopt,
                               Json{{"type", "ACTION_START"}, {"id", "y" + std::to_string(s)}, {"action", "shutdown_server"}, {"args", Json::object()}},
                               ""));
  }
  ASSERT_TRUE(manager.WaitFor([](const auto& ms) {
    int completes = 0;
    for (const auto& m : ms) completes += m.type == MessageType::kData && m.body.value("type", "") == "ACTION_COMPLETE";
    return completes >= 2;
  }));
  std::lock_guard<std::mutex> lock(manager.mu);
  bool saw_exception = false;
  for (const auto& m : manager.received) {
    if (m.type != MessageType::kData || m.body.value("type", "") != "ACTION_COMPLETE") continue;
    if (m.body["id"].get<std::string>()[0] == 'x') {
      EXPECT_EQ(m.body["exception"], "it exploded");
      saw_exception = true;
    }
  }
  EXPECT_TRUE(saw_exception);
  for (int i = 0; i < 1000; ++i) {
    {
      std::lock_guard<std::mutex> hl(host.mu);
      if (!host.afters.empty()) break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  std::lock_guard<std::mutex> hl(host.mu);
  ASSERT_EQ(host.afters.size(), 1u);
  EXPECT_EQ(host.afters[0], AfterAnswer::kShutdown);
}

TEST_F(AgentTest, AnActionCancelledBeforeItRunsIsNeverRunNorAnswered) {
  for (int i = 0; i < 1000 && agent->session_count() < 2; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  ASSERT_EQ(agent->session_count(), 2u);
  // Start and cancel in one GET answer, on both possible session ids.
  std::vector<Message> batch;
  for (int s = 1; s <= 2; ++s) {
    const std::string session = "action_runner-" + std::to_string(s);
    batch.push_back(Message::Data("action_runner", session, std::nullopt,
                                  Json{{"type", "ACTION_START"}, {"id", "c1"}, {"action", "shutdown_server"}, {"args", Json::object()}}, ""));
    batch.push_back(Message::Data("action_runner", session, std::nullopt,
                                  Json{{"type", "ACTION_CANCEL"}, {"id", "c1"}, {"action", nullptr}, {"args", nullptr}}, ""));
  }
  {
    std::lock_guard<std::mutex> lock(manager.mu);
    for (auto& m : batch) manager.outbox.push_back(m);
    manager.DeliverLocked();
  }
  for (int i = 0; i < 1000 && agent->stats().actions_cancelled == 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_EQ(agent->stats().actions_cancelled, 1u);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_EQ(agent->stats().actions_run, 0u);
  std::lock_guard<std::mutex> lock(manager.mu);
  for (const auto& m : manager.received) {
    EXPECT_FALSE(m.type == MessageType::kData && m.body.value("id", "") == "c1") << "no ACTION_COMPLETE";
  }
  std::lock_guard<std::mutex> hl(host.mu);
  EXPECT_TRUE(host.afters.empty()) << "the shutdown never happened";
}

TEST_F(AgentTest, TerminateAllMakesItAskForSessionsAgain) {
  ASSERT_TRUE(manager.WaitFor([](const auto& ms) { return HasData(ms, "linux", 0); }));
  manager.Send(Message::SessionTerminateAll(""));
  // After termination it asks again and starts over at seq 0 on a new session.
  ASSERT_TRUE(manager.WaitFor([](const auto& ms) {
    int zeros = 0;
    for (const auto& m : ms) zeros += m.type == MessageType::kData && m.plugin == "linux" && m.session_seq == 0;
    return zeros >= 2;
  }));
  EXPECT_GE(agent->stats().terminate_alls, 1u);
}

TEST_F(AgentTest, FailedGetsAreRetriedAndEndSessions) {
  ASSERT_TRUE(manager.WaitFor([](const auto& ms) { return HasData(ms, "linux", 0); }));
  {
    std::lock_guard<std::mutex> lock(manager.mu);
    manager.fail_gets = true;
  }
  manager.Send(Message::SessionTerminate("nothing", ""));  // wakes the held GET
  for (int i = 0; i < 1000 && agent->stats().gets_failed < 2; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_GE(agent->stats().gets_failed, 2u);
  EXPECT_EQ(agent->session_count(), 0u);
  {
    std::lock_guard<std::mutex> lock(manager.mu);
    manager.fail_gets = false;
  }
  for (int i = 0; i < 1000 && agent->session_count() < 2; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_EQ(agent->session_count(), 2u) << "recovers without a restart";
}

// The times the agent records (metrics/registry.h), on a fake clock: the
// manager's POSTs take 7 ms of it, an action 250 ms, and the long poll that
// carries the action waits 2 s, so every figure is known exactly.
bool HasLinuxData(const std::vector<Message>& ms) {
  for (const auto& m : ms) {
    if (m.type == MessageType::kData && m.plugin == "linux") return true;
  }
  return false;
}

class SlowActionHost : public RecordingHost {
 public:
  explicit SlowActionHost(ManualClock* clock) : clock_(clock) {}
  void RunAction(const std::string& fqdn, const std::string& action, const Json& args, ActionDone done) override {
    clock_->Advance(std::chrono::milliseconds(250));
    RecordingHost::RunAction(fqdn, action, args, std::move(done));
  }

 private:
  ManualClock* clock_;
};

TEST(AgentMetricsTest, RecordsDataLongPollSessionAndRoundTripTimesByItsClock) {
  using metrics::RequestKind;
  ManualClock clock(WallTime(std::chrono::seconds(1700000000)));
  FakeManager manager;
  manager.post_clock = &clock;
  SlowActionHost host(&clock);
  metrics::Registry registry;
  AgentConfig config;
  config.fqdn = "test000.localdomain";
  config.plugins = {"linux", "action_runner"};
  config.server_boot_time = "2020-01-01T00:00:00+00:00Z";
  config.timing.poll_period = std::chrono::hours(1);  // only the first polls: the clock barely moves
  config.timing.min_session_backoff = std::chrono::hours(1);
  config.timing.max_session_backoff = std::chrono::hours(1);
  config.metrics = &registry;
  boost::asio::io_context io;
  auto work = boost::asio::make_work_guard(io);
  std::thread thread([&] { io.run(); });
  auto agent = Agent::Create(io, config, std::make_unique<FakeManager::Transport>(&manager), &host, &clock);
  agent->Start();
  auto stop = [&] {
    agent->Stop();
    work.reset();
    boost::asio::post(io, [&] { io.stop(); });
    thread.join();
  };
  // Idle: both sessions granted, linux's first poll sent, every POST's answer handled.
  auto idle = [&] {
    if (agent->session_count() != 2) return false;
    std::lock_guard<std::mutex> lock(manager.mu);
    return HasLinuxData(manager.received) && agent->stats().posts_ok == static_cast<uint64_t>(manager.posts) &&
           manager.waiting_get != nullptr;
  };
  for (int i = 0; i < 1000 && !idle(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  ASSERT_TRUE(idle());
  const int posts_before_action = manager.posts;
  clock.Advance(std::chrono::seconds(2));  // the long poll waits
  for (int s = 1; s <= 2; ++s) {  // the agent's action_runner session is number 1 or 2
    manager.Send(Message::Data("action_runner", "action_runner-" + std::to_string(s), std::nullopt,
                               Json{{"type", "ACTION_START"}, {"id", "a" + std::to_string(s)}, {"action", "noop"},
                                    {"args", Json::object()}},
                               ""));
  }
  ASSERT_TRUE(manager.WaitFor([](const auto& ms) {
    for (const auto& m : ms) if (m.type == MessageType::kData && m.body.value("type", "") == "ACTION_COMPLETE") return true;
    return false;
  }));
  for (int i = 0; i < 1000 && registry.Collect()[static_cast<size_t>(RequestKind::kActionRoundTrip)].count() == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  stop();

  const std::vector<metrics::RequestStats> stats = registry.Collect();
  auto of = [&](RequestKind k) -> const metrics::RequestStats& { return stats[static_cast<size_t>(k)]; };
  // Every POST took exactly 7 ms: the session requests, linux's poll, the answer.
  const metrics::RequestStats& data = of(RequestKind::kData);
  EXPECT_EQ(data.count(), static_cast<uint64_t>(posts_before_action + 1));
  EXPECT_EQ(data.latency.min_micros(), 7000u);
  EXPECT_EQ(data.latency.max_micros(), 7000u);
  EXPECT_EQ(data.latency.sum_micros(), 7000u * data.count());
  EXPECT_EQ(data.failures, 0u);
  // Both sessions: requested in a POST, granted on the long poll that POST answered.
  const metrics::RequestStats& sessions = of(RequestKind::kSessionCreate);
  EXPECT_EQ(sessions.count(), 2u);
  EXPECT_EQ(sessions.latency.min_micros(), 7000u);
  EXPECT_EQ(sessions.latency.max_micros(), 7000u);
  // The long poll that carried ACTION_START waited the 2 s, plus the POSTs
  // made while it was out (7 ms each).
  const metrics::RequestStats& polls = of(RequestKind::kLongPoll);
  ASSERT_GE(polls.count(), 2u);
  EXPECT_GE(polls.latency.max_micros(), 2000000u);
  EXPECT_EQ((polls.latency.max_micros() - 2000000u) % 7000u, 0u) << polls.latency.max_micros();
  EXPECT_LE(polls.latency.max_micros(), 2000000u + 7000u * static_cast<uint64_t>(posts_before_action));
  EXPECT_GT(registry.long_poll_messages(), 2u);  // the session responses and the ACTION_STARTs
  // ACTION_START read, the action's 250 ms, the answer's 7 ms POST: nothing else in between.
  const metrics::RequestStats& trips = of(RequestKind::kActionRoundTrip);
  ASSERT_EQ(trips.count(), 1u);
  EXPECT_EQ(trips.latency.min_micros(), 257000u);
  EXPECT_EQ(trips.failures, 0u);
}

}  // namespace
}  // namespace cs::agent
