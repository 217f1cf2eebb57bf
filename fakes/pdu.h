// Pdu: one simulated power distribution unit and the state of its outlets.
// Server i is plugged into outlet i+1 of every PDU (one PSU per PDU); a
// server has power while at least one of its outlets is on.
#pragma once

#include <map>
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

  bool OutletOn(const std::string& outlet) const;
  bool operator==(const Pdu&) const = default;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Pdu, name, address, port, klass, outlets)

std::string PduName(int k);

}  // namespace cs
