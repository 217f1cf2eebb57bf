// Log escaping (util/log_escape.h), which every value reaching a log goes
// through: the result never holds a control character and never exceeds
// its bound by more than one escape and the length note.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "util/log_escape.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const std::string out = cs::EscapeForLog(text, 256);
  for (char c : out) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) __builtin_trap();
  }
  if (out.size() > 256 + 4 + 40) __builtin_trap();
  return 0;
}
