// FaultyTransport against a scripted inner transport: each fault fails,
// drops, delays or hangs requests exactly as specified, per host or for all,
// and switching it off restores the requests.
#include "sim/agent/faulty_transport.h"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include <chrono>
#include <optional>

namespace cs::agent {
namespace {

using std::chrono::milliseconds;

// Answers every request with 200 (asynchronously) and counts them.
class ScriptedTransport final : public AgentTransport {
 public:
  explicit ScriptedTransport(boost::asio::io_context& io, int* gets, int* posts) : io_(io), gets_(gets), posts_(posts) {}
  void Get(const std::string&, TransportCallback done) override {
    ++*gets_;
    Answer(std::move(done));
  }
  void Post(std::string, TransportCallback done) override {
    ++*posts_;
    Answer(std::move(done));
  }
  void Close() override {}

 private:
  void Answer(TransportCallback done) {
    boost::asio::post(io_, [done = std::move(done)] { done(net::Response{200, {}, "[]"}); });
  }
  boost::asio::io_context& io_;
  int* gets_;
  int* posts_;
};

class FaultyTransportTest : public ::testing::Test {
 protected:
  std::unique_ptr<AgentTransport> Make(const std::string& fqdn) {
    return MakeFaultyTransport(io_, fqdn, std::make_unique<ScriptedTransport>(io_, &gets_, &posts_), faults_);
  }

  // Runs one request to completion (bounded) and returns its outcome.
  std::optional<Result<net::Response>> Run(AgentTransport& t, bool get, milliseconds limit = milliseconds(5000)) {
    std::optional<Result<net::Response>> out;
    auto done = [&out](Result<net::Response> r) { out = std::move(r); };
    if (get) {
      t.Get("q", done);
    } else {
      t.Post("{}", done);
    }
    const auto deadline = std::chrono::steady_clock::now() + limit;
    io_.restart();
    while (!out && std::chrono::steady_clock::now() < deadline) io_.run_for(milliseconds(10));
    return out;
  }

  boost::asio::io_context io_;
  std::shared_ptr<FaultSet> faults_ = std::make_shared<FaultSet>();
  int gets_ = 0;
  int posts_ = 0;
};

TEST_F(FaultyTransportTest, NoFaultPassesThrough) {
  auto t = Make("a");
  auto r = Run(*t, true);
  ASSERT_TRUE(r && r->ok());
  EXPECT_EQ((*r)->status, 200);
  EXPECT_EQ(gets_, 1);
}

TEST_F(FaultyTransportTest, FailConnectionsFailsBeforeSending) {
  auto a = Make("a");
  auto b = Make("b");
  faults_->SetFlag(std::string("a"), Fault::kFailConnections, true);
  auto r = Run(*a, true);
  ASSERT_TRUE(r);
  EXPECT_FALSE(r->ok());
  EXPECT_EQ(r->status().code(), Status::Code::kUnavailable);
  r = Run(*a, false);
  ASSERT_TRUE(r);
  EXPECT_FALSE(r->ok());
  EXPECT_EQ(gets_ + posts_, 0);  // nothing was sent
  r = Run(*b, true);              // another host is not affected
  ASSERT_TRUE(r && r->ok());
  faults_->SetFlag(std::nullopt, Fault::kFailConnections, false);  // off for all clears a's too
  r = Run(*a, true);
  ASSERT_TRUE(r && r->ok());
  EXPECT_EQ(gets_, 2);
}

TEST_F(FaultyTransportTest, DropResponsesLetsOneGetAndOnePostThroughThenFails) {
  auto t = Make("a");
  faults_->SetFlag(std::nullopt, Fault::kDropResponses, true);
  for (int i = 0; i < 3; ++i) {
    auto g = Run(*t, true);
    auto p = Run(*t, false);
    ASSERT_TRUE(g && p);
    EXPECT_FALSE(g->ok());
    EXPECT_FALSE(p->ok());
  }
  EXPECT_EQ(gets_, 1);  // the first of each reached the manager
  EXPECT_EQ(posts_, 1);
  // Switched off, then on again: one more of each goes through.
  faults_->SetFlag(std::nullopt, Fault::kDropResponses, false);
  auto ok = Run(*t, true);
  ASSERT_TRUE(ok && ok->ok());
  EXPECT_EQ(gets_, 2);
  faults_->SetFlag(std::string("a"), Fault::kDropResponses, true);
  ASSERT_FALSE(Run(*t, true)->ok());
  ASSERT_FALSE(Run(*t, true)->ok());
  EXPECT_EQ(gets_, 3);
}

TEST_F(FaultyTransportTest, LatencyDelaysTheRequest) {
  auto t = Make("a");
  faults_->SetLatency(std::string("a"), milliseconds(150));
  const auto start = std::chrono::steady_clock::now();
  auto r = Run(*t, false);
  ASSERT_TRUE(r && r->ok());
  EXPECT_GE(std::chrono::steady_clock::now() - start, milliseconds(150));
  EXPECT_EQ(posts_, 1);
  faults_->SetLatency(std::nullopt, milliseconds(0));
  EXPECT_FALSE(faults_->AnyActive());
}

TEST_F(FaultyTransportTest, ManagerUnreachableHangsThenFailsUnsent) {
  auto t = Make("a");
  faults_->SetUnreachableTimeout(milliseconds(200));
  faults_->SetFlag(std::string("a"), Fault::kManagerUnreachable, true);
  const auto start = std::chrono::steady_clock::now();
  auto r = Run(*t, true);
  ASSERT_TRUE(r);
  EXPECT_FALSE(r->ok());
  EXPECT_GE(std::chrono::steady_clock::now() - start, milliseconds(200));
  EXPECT_EQ(gets_, 0);
}

TEST_F(FaultyTransportTest, CloseSilencesPendingRequests) {
  auto t = Make("a");
  faults_->SetUnreachableTimeout(milliseconds(100));
  faults_->SetFlag(std::nullopt, Fault::kManagerUnreachable, true);
  bool called = false;
  t->Get("q", [&called](Result<net::Response>) { called = true; });
  t->Close();
  io_.restart();
  io_.run_for(milliseconds(300));
  EXPECT_FALSE(called);
}

}  // namespace
}  // namespace cs::agent
