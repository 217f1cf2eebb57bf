// URL and query parsing: a base URL as given on the command line (--url,
// --control-url, --manager-url), and query strings and percent-escapes as
// servers decode them. A parsed URL prints and parses back to itself; a
// query built from parsed parameters parses back to them.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "net/url.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto url = cs::net::Url::Parse(text);
  if (url.ok()) {
    auto again = cs::net::Url::Parse(url->ToString());
    if (!again.ok() || again->ToString() != url->ToString()) __builtin_trap();
    (void)url->HostHeader();
    (void)cs::net::JoinPath(url->path, text);
  }
  const cs::net::QueryParams params = cs::net::ParseQuery(text);
  if (cs::net::ParseQuery(cs::net::BuildQuery(params)) != params) __builtin_trap();
  (void)cs::net::PercentDecode(text, true);
  if (cs::net::PercentDecode(cs::net::PercentEncode(text), false) != text) __builtin_trap();
  return 0;
}
