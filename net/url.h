// Url: the base URL a client talks to ("https://manager:8000/prefix/"), plus
// the small string helpers HTTP needs: joining paths, percent-encoding query
// values and parsing query strings.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "net/http_types.h"
#include "util/status.h"

namespace cs::net {

struct Url {
  std::string scheme;  // "https" or "http"
  std::string host;    // "localhost", "10.0.0.1" or "::1" (no brackets)
  uint16_t port = 0;   // defaulted from the scheme: 443 / 80
  std::string path;    // always starts with '/': "/" or "/prefix/"

  // Accepts "https://host[:port][/path]"; no user info, query or fragment.
  static Result<Url> Parse(std::string_view text);

  bool tls() const { return scheme == "https"; }
  // For the Host header: "host" or "host:port" when the port is not the
  // scheme's default; IPv6 hosts in brackets.
  std::string HostHeader() const;
  std::string ToString() const;  // "https://host:port/path"
};

// Joins a base path and a relative target with exactly one '/' between them:
// JoinPath("/prefix/", "/api/x/?a=1") == "/prefix/api/x/?a=1". A leading '/'
// in `relative` does not reset to the root: targets are always under base.
std::string JoinPath(std::string_view base, std::string_view relative);

// Percent-encodes everything but RFC 3986 unreserved characters
// (A-Z a-z 0-9 - . _ ~), so '+' becomes "%2B" and ' ' becomes "%20".
std::string PercentEncode(std::string_view text);

// Decodes %XX escapes; with `plus_is_space` (query strings) '+' becomes ' '.
// Malformed escapes are kept as they are.
std::string PercentDecode(std::string_view text, bool plus_is_space);

// "a=1&b=x%2By" -> {{"a","1"},{"b","x+y"}}. A key without '=' has value "".
QueryParams ParseQuery(std::string_view query);

// The inverse of ParseQuery: {{"b","x+y"}} -> "b=x%2By".
std::string BuildQuery(const QueryParams& params);

}  // namespace cs::net
