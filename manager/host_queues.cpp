#include "manager/host_queues.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

namespace cs::manager {

struct HostQueues::Waiter {
  explicit Waiter(boost::asio::io_context& io) : timer(io) {}
  boost::asio::steady_timer timer;
  std::string client_start_time;
  std::vector<protocol::Message> first;
  net::Respond respond;
};

net::Response MessagesResponse(const std::vector<protocol::Message>& messages) {
  return net::Response::Json(200, protocol::MessagesToJson(messages).dump());
}

namespace {
// Answers outside the lock: Respond may run code of the connection.
void Answer(const std::shared_ptr<HostQueues::Waiter>& waiter,
            std::vector<protocol::Message> messages) {
  waiter->timer.cancel();
  waiter->respond(MessagesResponse(messages));
}
}  // namespace

HostQueues::HostQueues(boost::asio::io_context& io, std::chrono::milliseconds long_poll,
                       Filter filter)
    : io_(io), long_poll_(long_poll), filter_(std::move(filter)) {}

HostQueues::~HostQueues() { Stop(); }

std::vector<protocol::Message> HostQueues::DrainLocked(const std::string& fqdn, Host& host) {
  std::vector<protocol::Message> out;
  for (protocol::Message& m : host.queue) {
    if (!filter_ || filter_(fqdn, m)) out.push_back(std::move(m));
  }
  host.queue.clear();
  return out;
}

void HostQueues::Send(const std::string& fqdn, protocol::Message message) {
  std::shared_ptr<Waiter> wake;
  std::vector<protocol::Message> out;
  {
    std::lock_guard<std::mutex> lock(mu_);
    Host& host = hosts_[fqdn];
    // An agent that stopped polling must not grow the manager without
    // bound; the oldest messages go first (their sessions are likely stale).
    if (host.queue.size() >= kMaxQueuedPerHost) host.queue.pop_front();
    host.queue.push_back(std::move(message));
    if (!host.waiter) return;
    wake = std::move(host.waiter);
    out = std::move(wake->first);
    for (protocol::Message& m : DrainLocked(fqdn, host)) out.push_back(std::move(m));
  }
  Answer(wake, std::move(out));
}

bool HostQueues::Withdraw(const std::string& fqdn,
                          const std::function<bool(const protocol::Message&)>& which) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = hosts_.find(fqdn);
  if (it == hosts_.end()) return false;
  return std::erase_if(it->second.queue, which) != 0;
}

void HostQueues::Wait(const std::string& fqdn, const std::string& client_start_time,
                      std::vector<protocol::Message> first, net::Respond respond) {
  auto waiter = std::make_shared<Waiter>(io_);
  waiter->client_start_time = client_start_time;
  waiter->respond = std::move(respond);
  std::shared_ptr<Waiter> superseded;
  std::vector<protocol::Message> now;
  bool answer_now = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    Host& host = hosts_[fqdn];
    superseded = std::move(host.waiter);
    now = std::move(first);
    for (protocol::Message& m : DrainLocked(fqdn, host)) now.push_back(std::move(m));
    answer_now = stopped_ || !now.empty();
    if (!answer_now) {
      host.waiter = waiter;
      waiter->timer.expires_after(long_poll_);
      waiter->timer.async_wait([this, fqdn, weak = std::weak_ptr<Waiter>(waiter)](
                                   const boost::system::error_code& ec) {
        if (ec) return;
        if (auto w = weak.lock()) OnTimeout(fqdn, w);
      });
    }
  }
  if (superseded) Answer(superseded, {});
  if (answer_now) Answer(waiter, std::move(now));
}

void HostQueues::OnTimeout(const std::string& fqdn, const std::shared_ptr<Waiter>& waiter) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = hosts_.find(fqdn);
    // Answered meanwhile by Send, a newer GET or a barrier: nothing to do.
    if (it == hosts_.end() || it->second.waiter != waiter) return;
    it->second.waiter.reset();
  }
  Answer(waiter, {});
}

void HostQueues::Barrier(const std::string& fqdn, const std::string& client_start_time) {
  std::shared_ptr<Waiter> cancelled;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = hosts_.find(fqdn);
    if (it == hosts_.end() || !it->second.waiter) return;
    if (it->second.waiter->client_start_time == client_start_time) return;
    cancelled = std::move(it->second.waiter);
  }
  Answer(cancelled, {});
}

void HostQueues::Stop() {
  std::vector<std::shared_ptr<Waiter>> waiters;
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopped_ = true;
    for (auto& [fqdn, host] : hosts_) {
      if (host.waiter) waiters.push_back(std::move(host.waiter));
    }
  }
  for (auto& w : waiters) Answer(w, {});
}

size_t HostQueues::queued(const std::string& fqdn) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = hosts_.find(fqdn);
  return it == hosts_.end() ? 0 : it->second.queue.size();
}

bool HostQueues::waiting(const std::string& fqdn) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = hosts_.find(fqdn);
  return it != hosts_.end() && it->second.waiter != nullptr;
}

}  // namespace cs::manager
