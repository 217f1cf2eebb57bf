// ManagerServer: the built-in manager process, wired together. It owns the
// state directory (CA, server certificate, users, manager.db), one
// net::HttpsServer on the caller's io_context, and routes
//   /agent/register/<secret>/, /agent/message/  -> AgentEndpoints
//   /api/...                                     -> RestApi
// plus a sweep timer that marks silent hosts unreachable and a timer that
// writes the agents' contact times in batches (and once more at Stop()).
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "util/status.h"

namespace boost::asio {
class io_context;
}

namespace cs::manager {

class ManagerStore;
class JobRunner;

struct ManagerOptions {
  std::string address = "127.0.0.1";
  uint16_t port = 8000;  // 0: pick a free port (tests)
  std::string dir = "manager_state";
  std::chrono::milliseconds long_poll{30000};
  std::chrono::milliseconds contact_timeout{60000};
  std::chrono::milliseconds sweep_interval{10000};
  // How often agents' contact times are written to the database (they are
  // kept in memory in between; a crash loses at most this much of them).
  std::chrono::milliseconds contact_flush_interval{5000};
  std::chrono::milliseconds step_timeout{300000};
  // How long a step waits for the host to open its action_runner session.
  std::chrono::milliseconds session_wait{3600000};
  size_t max_body_bytes = 16 << 20;  // agents send at most 8 MiB per POST
  // Start a setup command for each newly registered host.
  bool set_up_hosts = true;
  // At most this many DATA messages per second taken from each receive
  // queue; 0: no limit. A deliberately slow manager, for tests and
  // benchmarks that need the queues to back up early (manager/rx_queues.h).
  double rx_throttle_per_second = 0;
};

class ManagerServer {
 public:
  static Result<std::unique_ptr<ManagerServer>> Start(boost::asio::io_context& io,
                                                      ManagerOptions options);
  ~ManagerServer();  // Stop()s
  ManagerServer(const ManagerServer&) = delete;
  ManagerServer& operator=(const ManagerServer&) = delete;

  uint16_t port() const;
  std::string url() const;      // "https://localhost:8000/"
  std::string ca_path() const;  // <dir>/ca.crt
  // Stops serving, answers waiting long polls, stops timers, writes the
  // contact times. Idempotent.
  void Stop();

  ManagerStore& store();
  JobRunner& jobs();

  struct Impl;

 private:
  explicit ManagerServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace cs::manager
