// The telnet codec and line editor under the PDU console: any bytes give
// lines no longer than the cap, and the codec's output never grows without
// input behind it (at most 5 bytes of reply per byte received).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fakes/power/line_editor.h"
#include "fakes/power/telnet.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  cs::TelnetCodec codec;
  std::string text;
  std::string reply;
  (void)codec.Greeting();
  codec.Receive(in, &text, &reply);
  // The largest answer per input byte: "Are You There" (IAC AYT, 2 bytes)
  // is answered with 9 ("\r\n[Yes]\r\n").
  if (text.size() > in.size() || reply.size() > 5 * in.size() + 16) __builtin_trap();
  cs::LineEditor editor(32);
  std::string echo;
  for (char c : text) {
    const bool mask = (static_cast<unsigned char>(c) & 1) != 0;
    if (editor.Put(c, codec.echoing(), mask, &echo) == cs::LineEditor::Key::kEnter && editor.line().size() > 32) {
      __builtin_trap();
    }
  }
  (void)cs::TelnetCodec::Escape(in);
  return 0;
}
