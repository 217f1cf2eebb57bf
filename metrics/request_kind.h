// The requests the simulated agents make, as Locust's "Type" and "Name"
// columns name them (the metrics contract, /docs/metrics.md):
//   POST register        registration POST, request to response
//   POST session create  SESSION_CREATE_REQUEST posted until its response arrives
//   POST DATA            one message POST, request to response
//   GET  long poll       one long-poll GET, the time it waited
//   ACTION round trip    ACTION_START read until its ACTION_COMPLETE is posted
#pragma once

#include <array>
#include <cstddef>

namespace cs::metrics {

enum class RequestKind : size_t { kRegister, kSessionCreate, kData, kLongPoll, kActionRoundTrip };
constexpr size_t kRequestKindCount = 5;

struct RequestName {
  const char* type;
  const char* name;
};

constexpr std::array<RequestName, kRequestKindCount> kRequestNames{{
    {"POST", "register"},
    {"POST", "session create"},
    {"POST", "DATA"},
    {"GET", "long poll"},
    {"ACTION", "round trip"},
}};

constexpr const RequestName& NameOf(RequestKind kind) { return kRequestNames[static_cast<size_t>(kind)]; }

}  // namespace cs::metrics
