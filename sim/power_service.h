// PowerService: the fleet's simulated PDUs on the network. While the daemon
// runs, each PDU of the world listens on 127.0.0.1 at its port (2300 + its
// index unless moved) and speaks the APC 79xx console, so Debian's real
// fence_apc can switch the simulated servers' outlets. Outlet changes go
// through Simulator::SetOutlet: persisted, and powering servers off and on.
#pragma once

#include <map>
#include <memory>
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

  // Starts a console server per PDU; fails if a port cannot be bound.
  Status Start();
  void Stop();
  // PDU name -> the port it listens on.
  std::map<std::string, uint16_t> Ports() const;

 private:
  struct Pdu;
  Simulator* sim_;
  boost::asio::io_context& io_;
  PowerServiceOptions options_;
  std::vector<std::unique_ptr<Pdu>> pdus_;
};

}  // namespace cs
