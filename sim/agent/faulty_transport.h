// FaultyTransport: an AgentTransport that wraps the real one and applies the
// FaultSet's faults for its host to every request, so fault injection runs
// through the agent's real code path (no test-only branches in the agent):
//  - latency: the request waits, then goes on;
//  - fail_connections: the request fails before it is sent;
//  - manager_unreachable: the request is not sent and fails after the
//    unreachable timeout, as a connect to a silent address times out;
//  - drop_responses: the first GET and the first POST after the fault was
//    switched on reach the manager but their responses are thrown away (the
//    agent sees a failure); every later request fails unsent (the
//    original's drop_responses: connectivity lost mid-request).
// Faults are read when a request starts; requests already in flight finish
// as they would have.
#pragma once

#include <memory>
#include <string>

#include "sim/agent/fault_set.h"
#include "sim/agent/transport.h"

namespace boost::asio {
class io_context;
}

namespace cs::agent {

std::unique_ptr<AgentTransport> MakeFaultyTransport(boost::asio::io_context& io, std::string fqdn,
                                                    std::unique_ptr<AgentTransport> inner,
                                                    std::shared_ptr<const FaultSet> faults);

}  // namespace cs::agent
