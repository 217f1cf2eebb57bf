#include "sim/agent/faulty_transport.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include <atomic>
#include <mutex>
#include <set>

namespace cs::agent {

namespace asio = boost::asio;

namespace {

enum class Method { kGet, kPost };

// Everything a request may still need after the transport is gone is
// reached through a weak_ptr to this, so a late timer does nothing once the
// agent has dropped its transport.
struct State {
  State(asio::io_context& io_context, std::string host, std::unique_ptr<AgentTransport> wrapped,
        std::shared_ptr<const FaultSet> fault_set)
      : io(io_context), fqdn(std::move(host)), inner(std::move(wrapped)), faults(std::move(fault_set)) {}

  asio::io_context& io;
  const std::string fqdn;
  const std::unique_ptr<AgentTransport> inner;
  const std::shared_ptr<const FaultSet> faults;
  std::atomic<bool> closed{false};
  std::mutex mu;  // orders sends against Close; guards the fields below
  std::set<std::shared_ptr<asio::steady_timer>> timers;
  uint64_t drop_epoch = 0;
  bool get_allowed = true;
  bool post_allowed = true;
};

using Send = std::function<void(AgentTransport&, TransportCallback)>;

// `done`, unless the transport was closed meanwhile.
TransportCallback Guarded(const std::weak_ptr<State>& weak, TransportCallback done) {
  return [weak, done = std::move(done)](Result<net::Response> r) {
    auto state = weak.lock();
    if (!state || state->closed) return;
    done(std::move(r));
  };
}

void After(const std::shared_ptr<State>& state, std::chrono::milliseconds delay,
           std::function<void(const std::shared_ptr<State>&)> f) {
  auto timer = std::make_shared<asio::steady_timer>(state->io, delay);
  {
    std::lock_guard<std::mutex> lock(state->mu);
    if (state->closed) return;
    state->timers.insert(timer);
  }
  std::weak_ptr<State> weak = state;
  timer->async_wait([weak, timer, f = std::move(f)](const boost::system::error_code& ec) {
    auto s = weak.lock();
    if (!s) return;
    {
      std::lock_guard<std::mutex> lock(s->mu);
      s->timers.erase(timer);
    }
    if (!ec && !s->closed) f(s);
  });
}

void Fail(const std::shared_ptr<State>& state, TransportCallback done, std::string why) {
  // Never call back from inside Get/Post: the agent does not expect it.
  std::weak_ptr<State> weak = state;
  asio::post(state->io, [done = Guarded(weak, std::move(done)), why = std::move(why)] {
    done(Status::Unavailable(why));
  });
}

// Decides the fate of one request once its latency has passed.
void Proceed(const std::shared_ptr<State>& state, Method method, Send send, TransportCallback done) {
  const FaultSet::Effective e = state->faults->For(state->fqdn);
  const char* what = method == Method::kGet ? "GET" : "POST";
  if (e.faults.fail_connections) {
    return Fail(state, std::move(done), std::string("synthetic connection failure (fail_connections) before ") + what);
  }
  if (e.faults.manager_unreachable) {
    std::string why = std::string(what) + " timed out: the manager is unreachable (manager_unreachable)";
    return After(state, e.unreachable_timeout, [done = std::move(done), why](const std::shared_ptr<State>& s) {
      Fail(s, done, why);
    });
  }
  std::weak_ptr<State> weak = state;
  std::lock_guard<std::mutex> lock(state->mu);
  if (state->closed) return;
  if (e.faults.drop_responses) {
    if (state->drop_epoch != e.drop_epoch) {
      state->drop_epoch = e.drop_epoch;
      state->get_allowed = state->post_allowed = true;
    }
    bool& allowed = method == Method::kGet ? state->get_allowed : state->post_allowed;
    std::string why = std::string("synthetic connection timeout after issuing ") + what + " (drop_responses)";
    if (!allowed) {
      // Fail() posts, so calling it under the lock is safe.
      return Fail(state, std::move(done), why + "; this one was not sent");
    }
    allowed = false;
    return send(*state->inner, Guarded(weak, [done = std::move(done), why](Result<net::Response>) {
      done(Status::Unavailable(why));
    }));
  }
  send(*state->inner, Guarded(weak, std::move(done)));
}

class FaultyTransport final : public AgentTransport {
 public:
  explicit FaultyTransport(std::shared_ptr<State> state) : state_(std::move(state)) {}
  ~FaultyTransport() override { Close(); }

  void Get(const std::string& query, TransportCallback done) override {
    Start(Method::kGet, [query](AgentTransport& t, TransportCallback cb) { t.Get(query, std::move(cb)); },
          std::move(done));
  }

  void Post(std::string body, TransportCallback done) override {
    Start(Method::kPost,
          [body = std::move(body)](AgentTransport& t, TransportCallback cb) { t.Post(body, std::move(cb)); },
          std::move(done));
  }

  void Close() override {
    std::set<std::shared_ptr<asio::steady_timer>> timers;
    {
      std::lock_guard<std::mutex> lock(state_->mu);
      if (state_->closed.exchange(true)) return;
      timers.swap(state_->timers);
    }
    for (auto& timer : timers) timer->cancel();
    state_->inner->Close();
  }

 private:
  void Start(Method method, Send send, TransportCallback done) {
    const auto latency = state_->faults->For(state_->fqdn).faults.latency;
    if (latency.count() <= 0) return Proceed(state_, method, std::move(send), std::move(done));
    After(state_, latency, [method, send = std::move(send), done = std::move(done)](const std::shared_ptr<State>& s) {
      Proceed(s, method, send, done);
    });
  }

  std::shared_ptr<State> state_;
};

}  // namespace

std::unique_ptr<AgentTransport> MakeFaultyTransport(asio::io_context& io, std::string fqdn,
                                                    std::unique_ptr<AgentTransport> inner,
                                                    std::shared_ptr<const FaultSet> faults) {
  return std::make_unique<FaultyTransport>(
      std::make_shared<State>(io, std::move(fqdn), std::move(inner), std::move(faults)));
}

}  // namespace cs::agent
