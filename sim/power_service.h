// PowerService: the fleet's simulated PDUs on the network. While the daemon
// runs, each PDU of the world listens on 127.0.0.1 at its port (2300 + its
// index unless moved) and speaks the APC 79xx console, so Debian's real
// fence_apc can switch the simulated servers' outlets. Outlet changes go
// through Simulator::SetOutlet: persisted, and powering servers off and on.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "sim/simulator.h"
#include "util/status.h"

namespace cs {

class PduServer;
class OutletBank;

struct PowerServiceOptions {
  std::string address = "127.0.0.1";
  // Added to every PDU's saved port (tests run several fleets at once).
  int port_offset = 0;
  std::chrono::milliseconds reboot_pause{5000};
  std::string user = "apc";
  std::string password = "apc";
};

class PowerService {
 public:
  PowerService(Simulator* sim, boost::asio::io_context& io, PowerServiceOptions options);
  ~PowerService();

  // Starts a console server for each PDU of the world that has none yet
  // (so it is called again when the world gains PDUs: the control API's
  // setup); fails if a port cannot be bound. Nothing starts after Stop().
  Status Start();
  void Stop();
  // PDU name -> the port it listens on.
  std::map<std::string, uint16_t> Ports() const;

 private:
  struct Pdu;
  Simulator* sim_;
  boost::asio::io_context& io_;
  PowerServiceOptions options_;
  mutable std::mutex mu_;  // guards pdus_ and stopped_; a leaf, taken after the store's mutex is released
  std::vector<std::unique_ptr<Pdu>> pdus_;
  bool stopped_ = false;
};

}  // namespace cs
