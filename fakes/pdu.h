// Pdu: one simulated power distribution unit and the state of its outlets.
// Without racks, server i is plugged into outlet i+1 of every PDU (one PSU
// per PDU); with racks (setup --rack_size), each rack has PDUs of its own
// and the server at position p of the rack is on outlet p+1 of each (its
// Server::pdus). A server has power while at least one of its outlets is on.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "fakes/json_helpers.h"

namespace cs {

constexpr int kBasePduPort = 2300;
constexpr const char* kPduAddress = "127.0.0.1";

struct Pdu {
  std::string name;  // pdu000, pdu001, ...
  std::string address = kPduAddress;
  int port = kBasePduPort;
  std::string klass = "APC79xxSimulator";  // the console dialect it speaks
  std::map<std::string, bool> outlets;     // outlet number ("1") -> on
  std::optional<int> rack;                 // the rack it feeds; none: fleet-wide
  // Its network card does not answer (control operation pdu_unreachable):
  // its console takes no session and fencing through it fails. The outlets
  // keep their state (and the servers their power).
  bool unreachable = false;

  bool OutletOn(const std::string& outlet) const;
  bool operator==(const Pdu&) const = default;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Pdu, name, address, port, klass, outlets, rack, unreachable)

std::string PduName(int k);
// The k-th PDU of rack `rack`: rack003-pdu0, rack003-pdu1, ...
std::string RackPduName(int rack, int k);

}  // namespace cs
