#include "fakes/pdu.h"

#include <cstdio>

namespace cs {

bool Pdu::OutletOn(const std::string& outlet) const {
  auto it = outlets.find(outlet);
  return it != outlets.end() && it->second;
}

std::string PduName(int k) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "pdu%03d", k);
  return buf;
}

std::string RackPduName(int rack, int k) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "rack%03d-pdu%d", rack, k);
  return buf;
}

}  // namespace cs
