// HostQueues: the messages waiting to go to each host's agent, and the
// long-poll GET (at most one per host) waiting for them. A GET is answered
// as soon as something is queued, when a newer GET from the same host
// supersedes it, when a session is created for a different agent instance
// (the original's TX_BARRIER), or after the long-poll timeout (30 s) with
// {"messages": []}. Messages for sessions that are no longer current are
// dropped when the GET is answered, as the real manager's filter did.
#pragma once

#include <chrono>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "net/https_server.h"
#include "protocol/messages.h"

namespace boost::asio {
class io_context;
}

namespace cs::manager {

class HostQueues {
 public:
  static constexpr size_t kMaxQueuedPerHost = 10000;

  // Whether a queued message may still go out (its session is current).
  using Filter = std::function<bool(const std::string& fqdn, const protocol::Message&)>;

  HostQueues(boost::asio::io_context& io, std::chrono::milliseconds long_poll, Filter filter);
  // Stop()s.
  ~HostQueues();
  HostQueues(const HostQueues&) = delete;
  HostQueues& operator=(const HostQueues&) = delete;

  // Queues a message for the host and wakes its waiting GET.
  void Send(const std::string& fqdn, protocol::Message message);

  // Takes out of the host's queue every message `which` matches; true when
  // there was one. A message taken out was never in a GET's answer, so its
  // agent never read it (JobRunner: an ACTION_START that cannot have run).
  bool Withdraw(const std::string& fqdn, const std::function<bool(const protocol::Message&)>& which);

  // A GET from `fqdn`. `first` are messages that go out before anything
  // queued (SESSION_TERMINATE_ALL); when there are any the GET is answered
  // at once. An older waiting GET of the host is answered empty.
  void Wait(const std::string& fqdn, const std::string& client_start_time,
            std::vector<protocol::Message> first, net::Respond respond);

  // A session was created by the agent instance started at
  // `client_start_time`: a waiting GET from another instance is answered
  // empty so that it cannot take messages meant for the new one.
  void Barrier(const std::string& fqdn, const std::string& client_start_time);

  // Answers every waiting GET empty and stops waiting. Idempotent.
  void Stop();

  size_t queued(const std::string& fqdn) const;
  bool waiting(const std::string& fqdn) const;

  struct Waiter;

 private:
  struct Host {
    std::deque<protocol::Message> queue;
    std::shared_ptr<Waiter> waiter;
  };

  // Takes the host's queue, filtered; caller holds mu_.
  std::vector<protocol::Message> DrainLocked(const std::string& fqdn, Host& host);
  void OnTimeout(const std::string& fqdn, const std::shared_ptr<Waiter>& waiter);

  boost::asio::io_context& io_;
  const std::chrono::milliseconds long_poll_;
  const Filter filter_;
  mutable std::mutex mu_;
  bool stopped_ = false;
  std::map<std::string, Host> hosts_;
};

// The JSON answer to a GET.
net::Response MessagesResponse(const std::vector<protocol::Message>& messages);

}  // namespace cs::manager
