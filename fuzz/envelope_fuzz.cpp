// The manager side of the agent protocol: what an agent POSTs to
// agent/message/ (an envelope of messages), read as the manager reads it. An
// envelope it accepts turns back into JSON that reads as the same envelope.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "protocol/messages.h"
#include "util/json_parse.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  cs::Result<nlohmann::json> body = cs::ParseUntrustedJson(text);
  if (!body.ok()) return 0;
  cs::Result<cs::protocol::Envelope> envelope = cs::protocol::Envelope::FromJson(*body);
  if (!envelope.ok()) return 0;
  cs::Result<cs::protocol::Envelope> again = cs::protocol::Envelope::FromJson(envelope->ToJson());
  if (!again.ok() || again->messages != envelope->messages) __builtin_trap();
  return 0;
}
