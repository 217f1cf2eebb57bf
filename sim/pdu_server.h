// PduServer: a simulated APC switched rack PDU on the network. It listens on
// one TCP port (127.0.0.1 unless told otherwise) and gives every connection
// its own ApcConsole (see fakes/power/apc_console.h), all on a shared
// io_context that any number of threads may run. Reboots and delayed outlet
// commands are timed here (TimedOutletBank), never in the console.
//
// Lifetime: Stop() closes the port, every session and every pending outlet
// timer; once the io_context has then run out of work (or been stopped), the
// server may be destroyed.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include "fakes/power/apc_console.h"
#include "sim/pdu_session.h"
#include "sim/timed_outlet_bank.h"
#include "util/status.h"

namespace cs {

struct PduServerOptions {
  std::string address = "127.0.0.1";
  uint16_t port = 0;  // 0: the system picks a free port; see PduServer::port()
  ApcConsoleOptions console;
  OutletDelays delays;
  PduSessionLimits limits;
  // Logged-in sessions at a time; a login beyond this is told so and hung
  // up. Clients that have not logged in take no slot (and are cut after
  // limits.login_timeout).
  size_t max_sessions = 64;
  // Connections not logged in yet, at a time; beyond this a connection is
  // closed at once. Bounds the file descriptors idle clients can hold.
  size_t max_pending_logins = 1024;
  // Asked at each connection: false closes it at once, as an unreachable
  // PDU gives a client nothing (unset: always accepted). Called without
  // the server's lock held.
  std::function<bool()> reachable;
};

class PduServer {
 public:
  // `outlets` (switched only on/off, from timers too) and `clock` must
  // outlive the server.
  PduServer(boost::asio::io_context& io, OutletBank* outlets, const Clock* clock,
            PduServerOptions options);
  ~PduServer();

  PduServer(const PduServer&) = delete;
  PduServer& operator=(const PduServer&) = delete;

  // Binds and starts accepting. Not ok if the address cannot be bound.
  Status Start();
  // The bound port, once Start() succeeded.
  uint16_t port() const { return port_; }
  // Stops accepting and hangs up every session; thread-safe, idempotent.
  void Stop();
  // Sessions still open (or still finishing).
  size_t SessionCount() const;
  const PduStats& stats() const { return stats_; }

 private:
  void Accept();
  void OnAccept(const boost::system::error_code& ec, boost::asio::ip::tcp::socket socket);
  void AddSession(boost::asio::ip::tcp::socket socket);

  boost::asio::io_context& io_;
  const Clock* const clock_;
  PduServerOptions options_;
  TimedOutletBank bank_;
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::steady_timer accept_retry_;  // on the acceptor's strand
  uint16_t port_ = 0;

  PduStats stats_;
  PduSlots slots_;
  mutable std::mutex mu_;
  bool started_ = false;
  bool stopped_ = false;
  std::vector<std::weak_ptr<PduSession>> sessions_;
};

}  // namespace cs
