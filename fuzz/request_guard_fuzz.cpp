// The control API's request guard: Host, Origin, Content-Type and
// Authorization headers as a browser, curl or an attacker may send them.
// Input lines are the four header values in that order. Whatever they are,
// the guard answers without crashing; the API's own origin and a matching
// token are always let through.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sim/control/request_guard.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::vector<std::string> lines(4);
  size_t i = 0;
  for (size_t k = 0; k < size; ++k) {
    const char c = static_cast<char>(data[k]);
    if (c == '\n' && i < 3) {
      ++i;
    } else {
      lines[i] += c;
    }
  }
  cs::net::Request request;
  request.method = "POST";
  request.headers.Set("Host", lines[0]);
  if (!lines[1].empty()) request.headers.Set("Origin", lines[1]);
  request.headers.Set("Content-Type", lines[2]);
  (void)cs::CheckHostAndOrigin(request, "127.0.0.1", 8743);
  (void)cs::CheckHostAndOrigin(request, lines[0], 8743);
  (void)cs::CheckContentType(request, "application/json");
  (void)cs::IsLoopbackAddress(lines[0]);
  (void)cs::BearerMatches(lines[3], lines[0]);
  // Tokens come trimmed from their file (ReadTokenFile); so is the header.
  const std::string& token = lines[3];
  const bool trimmed = !token.empty() && token.front() != ' ' && token.front() != '\t' && token.back() != ' ' &&
                       token.back() != '\t';
  if (trimmed && !cs::BearerMatches("Bearer " + token, token)) __builtin_trap();

  cs::net::Request own;
  own.headers.Set("Host", "127.0.0.1:8743");
  own.headers.Set("Origin", "http://127.0.0.1:8743");
  if (cs::CheckHostAndOrigin(own, "127.0.0.1", 8743)) __builtin_trap();
  return 0;
}
