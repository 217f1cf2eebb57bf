// RunApcSession: carries out an ApcPlan on the PDU console at host:port over
// one telnet connection. `timeout` bounds the connect and each wait for the
// PDU's next answer (so a plan over every outlet is not cut short). Blocking:
// it is for a command-line tool, which talks to one PDU at a time.
#pragma once

#include <chrono>
#include <string>

#include "pdu_client/apc_dialogue.h"
#include "util/status.h"

namespace cs {

struct ApcSessionResult {
  std::map<int, ApcOutlet> outlets;  // when the plan read them
  size_t switched = 0;               // switches carried out
};

// `host` is a numeric IPv4 address (the fleet's PDUs are on 127.0.0.1).
// Errors name the address and what the dialogue was doing.
Result<ApcSessionResult> RunApcSession(const std::string& host, int port, const ApcPlan& plan,
                                       std::chrono::milliseconds timeout);

}  // namespace cs
