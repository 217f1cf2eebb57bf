// PduSession: one telnet connection to a simulated PDU. It feeds what the
// client sends to an ApcConsole and writes back what the console answers,
// on a strand of its own, so a slow, silent or hostile client only ever
// affects its own connection.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <deque>
#include <memory>
#include <string>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include "fakes/power/apc_console.h"

namespace cs {

// Counts over all sessions of a server, for tests and status pages.
struct PduStats {
  std::atomic<int> logins{0};
  std::atomic<int> login_failures{0};
};

// Logged-in sessions of one PDU, at most `max` at a time. A slot is taken
// when a login succeeds, not when a client connects, so clients that connect
// and say nothing can never lock fencing out. Thread-safe.
class PduSlots {
 public:
  explicit PduSlots(size_t max) : max_(max) {}
  bool TryTake();
  void Release();
  size_t taken() const { return taken_.load(); }

 private:
  const size_t max_;
  std::atomic<size_t> taken_{0};
};

struct PduSessionLimits {
  // A logged-in session with no input for this long is closed, as AOS does.
  std::chrono::milliseconds idle_timeout{std::chrono::minutes(5)};
  // A session that has not logged in this long after connecting is closed,
  // whatever it sends: fence_apc logs in within a second.
  std::chrono::milliseconds login_timeout{std::chrono::seconds(10)};
  // Output the client has not read yet; past this it is dropped.
  size_t max_pending_output = 256 * 1024;
};

class PduSession : public std::enable_shared_from_this<PduSession> {
 public:
  // `socket` must be bound to a strand; its executor runs every handler.
  // `stats` must outlive the session.
  PduSession(boost::asio::ip::tcp::socket socket, OutletBank* bank, const Clock* clock,
             const ApcConsoleOptions& console, PduSessionLimits limits, PduStats* stats, PduSlots* slots);

  // Sends the greeting and starts reading. Call once, right after creation.
  void Start();
  // Hangs up; safe from any thread, any number of times.
  void Close();

 private:
  void Read();
  void OnRead(const boost::system::error_code& ec, size_t n);
  void Send(std::string bytes);
  void Write();
  void OnWrite(const boost::system::error_code& ec);
  void ArmIdleTimer();
  void ArmLoginTimer();
  // A login just succeeded: take a slot, or refuse and hang up.
  bool TakeSlot();
  void Shutdown();

  boost::asio::ip::tcp::socket socket_;
  boost::asio::steady_timer idle_timer_;
  boost::asio::steady_timer login_timer_;
  ApcConsole console_;
  const PduSessionLimits limits_;
  PduStats* const stats_;
  PduSlots* const slots_;
  bool holds_slot_ = false;
  std::array<char, 1024> buffer_;
  std::deque<std::string> outbox_;
  size_t outbox_bytes_ = 0;
  bool writing_ = false;
  bool hang_up_after_write_ = false;
  bool shut_ = false;
};

}  // namespace cs
