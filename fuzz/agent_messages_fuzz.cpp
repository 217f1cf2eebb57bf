// The agent side of the agent protocol: the manager's answer to a GET of
// agent/message/ ({"messages": [...]}), read as a simulated agent reads it.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "protocol/messages.h"
#include "util/json_parse.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  nlohmann::json body = cs::ParseUntrustedJsonOrDiscarded(text);
  if (body.is_discarded()) return 0;
  auto messages = cs::protocol::MessagesFromJson(body);
  if (!messages.ok()) return 0;
  auto again = cs::protocol::MessagesFromJson(cs::protocol::MessagesToJson(*messages));
  if (!again.ok() || *again != *messages) __builtin_trap();
  return 0;
}
