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

struct PduSessionLimits {
  // A session with no input for this long is closed, as AOS does.
  std::chrono::milliseconds idle_timeout{std::chrono::minutes(5)};
  // Output the client has not read yet; past this it is dropped.
  size_t max_pending_output = 256 * 1024;
};

class PduSession : public std::enable_shared_from_this<PduSession> {
 public:
  // `socket` must be bound to a strand; its executor runs every handler.
  // `stats` must outlive the session.
  PduSession(boost::asio::ip::tcp::socket socket, OutletBank* bank, const Clock* clock,
             const ApcConsoleOptions& console, PduSessionLimits limits, PduStats* stats);

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
  void Shutdown();

  boost::asio::ip::tcp::socket socket_;
  boost::asio::steady_timer idle_timer_;
  ApcConsole console_;
  const PduSessionLimits limits_;
  PduStats* const stats_;
  std::array<char, 1024> buffer_;
  std::deque<std::string> outbox_;
  size_t outbox_bytes_ = 0;
  bool writing_ = false;
  bool hang_up_after_write_ = false;
  bool shut_ = false;
};

}  // namespace cs
