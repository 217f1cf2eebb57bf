// The control API's XML-RPC decoder: a <methodCall> as the server reads it,
// and a <methodResponse> as clients read it. A call it accepts is encoded
// again and must decode to the same call.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "sim/control/xmlrpc.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view xml(reinterpret_cast<const char*>(data), size);
  auto call = cs::ParseMethodCall(xml);
  if (call.ok()) {
    auto again = cs::ParseMethodCall(cs::FormatMethodCall(call->method, call->params));
    if (!again.ok() || again->method != call->method) __builtin_trap();
  }
  (void)cs::ParseMethodResponse(xml);
  return 0;
}
