// The result wrappers of iml-common's agent_rpc that actions answer with:
// ok is {"wrapper_version": 1, "result": true}, a value V is
// {"wrapper_version": 1, "result": V}, an error {"wrapper_version": 1,
// "error": "..."}. Some actions answer bare values instead, as the original did.
#pragma once

#include <string>

#include "fakes/json_helpers.h"

namespace cs {

constexpr int kAgentRpcWrapperVersion = 1;

inline Json AgentResult(Json value) {
  return Json{{"wrapper_version", kAgentRpcWrapperVersion}, {"result", std::move(value)}};
}
inline Json AgentResultOk() { return AgentResult(true); }
inline Json AgentError(const std::string& text) {
  return Json{{"wrapper_version", kAgentRpcWrapperVersion}, {"error", text}};
}

}  // namespace cs
