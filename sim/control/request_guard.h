// Request guard: what the control API checks before it looks at an
// operation, so that a web page cannot drive it. A browser sends any page's
// requests to 127.0.0.1 if asked to; these checks refuse them:
//  - Host must name the address the API listens on (or, on loopback, any
//    loopback name): a DNS-rebound name ("evil.example") is refused;
//  - an Origin header, which browsers send on cross-site requests, must be
//    the API's own origin ("http://<Host>");
//  - a POST must say Content-Type application/json (text/xml for XML-RPC):
//    a cross-site form or text/plain "simple request" cannot.
// The bearer token (optional on loopback, required anywhere else) is
// compared here too: scheme case-insensitively, secret in constant time.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "net/http_types.h"

namespace cs {

struct Refusal {
  int status;
  std::string message;
};

// 127.0.0.0/8, ::1 and "localhost".
bool IsLoopbackAddress(std::string_view address);

// Host and Origin of `request` against the listening address and port.
std::optional<Refusal> CheckHostAndOrigin(const net::Request& request, const std::string& listen_address,
                                          uint16_t listen_port);

// The media type (before any ';', case-insensitive) must be `expected`.
std::optional<Refusal> CheckContentType(const net::Request& request, std::string_view expected);

// "Bearer <token>", with the scheme in any case, as RFC 7235 allows.
bool BearerMatches(std::string_view authorization, const std::string& token);

}  // namespace cs
