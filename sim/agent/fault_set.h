// FaultSet: the network and process faults in force for the simulated
// agents, switchable at run time for one host or for every host. The agents'
// transports (sim/agent/faulty_transport.h) consult it before each request,
// so a fault hits the real code path: the agent sees failed or hanging
// requests exactly as it would on a broken network. Thread-safe.
//
// A host's effective faults are the fleet-wide ones combined with its own:
// a flag is on when either is on, the latency is the larger of the two.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "fakes/json_helpers.h"

namespace cs::agent {

enum class Fault {
  kFailConnections,     // requests fail before they are sent
  kDropResponses,       // one GET and one POST go out, their answers are lost, later ones fail
  kManagerUnreachable,  // requests hang until the unreachable timeout, then fail
  kLatency,             // every request waits this long before it is sent
};
const char* FaultName(Fault fault);
bool ParseFault(const std::string& text, Fault* out);

struct HostFaults {
  bool fail_connections = false;
  bool drop_responses = false;
  bool manager_unreachable = false;
  std::chrono::milliseconds latency{0};

  bool any() const {
    return fail_connections || drop_responses || manager_unreachable || latency.count() > 0;
  }
  Json ToJson() const;
};

class FaultSet {
 public:
  // What a transport acts on for one request.
  struct Effective {
    HostFaults faults;
    // Changes whenever drop_responses is switched on for this host (or for
    // all): a transport then lets one GET and one POST through again.
    uint64_t drop_epoch = 0;
    std::chrono::milliseconds unreachable_timeout{0};
  };

  Effective For(const std::string& fqdn) const;

  // `fqdn` nullopt: every host. Switching a fault off for every host also
  // clears it where it was switched on for a single host, as the original's
  // fail_connections(False) restored every agent.
  void SetFlag(const std::optional<std::string>& fqdn, Fault fault, bool on);
  void SetLatency(const std::optional<std::string>& fqdn, std::chrono::milliseconds latency);
  // How long a request hangs before failing while the manager is unreachable
  // (a connect timeout; the real agent waits for its request timeout).
  void SetUnreachableTimeout(std::chrono::milliseconds timeout);
  void ClearAll();
  // Forgets a host's own faults (a removed server).
  void ClearHost(const std::string& fqdn);

  bool AnyActive() const;
  // {"all": {...}, "hosts": {fqdn: {...}}, "unreachable_timeout_ms": n};
  // only faults that are on are listed.
  Json ToJson() const;

 private:
  HostFaults* Target(const std::optional<std::string>& fqdn);

  mutable std::mutex mu_;
  HostFaults all_;
  std::map<std::string, HostFaults> hosts_;
  uint64_t drop_epoch_ = 0;
  std::chrono::milliseconds unreachable_timeout_{60000};
};

}  // namespace cs::agent
