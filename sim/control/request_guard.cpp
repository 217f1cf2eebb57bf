#include "sim/control/request_guard.h"

#include <algorithm>
#include <cctype>

namespace cs {

namespace {

std::string Lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

bool IsWildcardAddress(std::string_view address) { return address == "0.0.0.0" || address == "::"; }

// "name", "name:port", "[v6]" or "[v6]:port" into name (no brackets) and
// port (0: not given). False when malformed.
bool SplitHost(std::string_view text, std::string* name, uint16_t* port) {
  std::string_view rest;
  if (!text.empty() && text.front() == '[') {
    const size_t close = text.find(']');
    if (close == std::string_view::npos) return false;
    *name = Lower(text.substr(1, close - 1));
    rest = text.substr(close + 1);
  } else {
    const size_t colon = text.find(':');
    *name = Lower(text.substr(0, colon));
    rest = colon == std::string_view::npos ? std::string_view() : text.substr(colon);
  }
  *port = 0;
  if (rest.empty()) return !name->empty();
  if (rest.front() != ':' || rest.size() < 2 || rest.size() > 6) return false;
  unsigned value = 0;
  for (char c : rest.substr(1)) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + static_cast<unsigned>(c - '0');
  }
  if (value == 0 || value > 65535) return false;
  *port = static_cast<uint16_t>(value);
  return !name->empty();
}

bool NamesListener(const std::string& name, const std::string& listen_address) {
  if (IsWildcardAddress(listen_address)) return true;  // a token guards it (see ControlServer::Start)
  if (name == Lower(listen_address)) return true;
  return IsLoopbackAddress(listen_address) && IsLoopbackAddress(name);
}

}  // namespace

bool IsLoopbackAddress(std::string_view address) {
  const std::string a = Lower(address);
  if (a == "localhost" || a == "::1" || a == "[::1]") return true;
  // 127.x.y.z: four dotted decimal parts, the first 127.
  if (a.rfind("127.", 0) != 0) return false;
  int parts = 2;  // "127" and the one being read
  int digits = 0;
  for (char c : a.substr(4)) {
    if (c == '.') {
      if (digits == 0) return false;
      ++parts;
      digits = 0;
    } else if (c >= '0' && c <= '9' && digits < 3) {
      ++digits;
    } else {
      return false;
    }
  }
  return parts == 4 && digits > 0;
}

std::optional<Refusal> CheckHostAndOrigin(const net::Request& request, const std::string& listen_address,
                                          uint16_t listen_port) {
  const std::optional<std::string> host = request.headers.Get("Host");
  std::string name;
  uint16_t port = 0;
  if (!host || !SplitHost(Trim(*host), &name, &port)) {
    return Refusal{400, "the request needs a Host header naming this control API"};
  }
  if (!NamesListener(name, listen_address) || (port != 0 && port != listen_port) ||
      (port == 0 && listen_port != 80)) {
    return Refusal{421, "Host names another server: this control API is at " + listen_address + ":" +
                            std::to_string(listen_port)};
  }
  const std::optional<std::string> origin = request.headers.Get("Origin");
  if (origin && Lower(Trim(*origin)) != "http://" + Lower(Trim(*host))) {
    return Refusal{403, "cross-origin requests are refused (Origin is not this control API)"};
  }
  return std::nullopt;
}

std::optional<Refusal> CheckContentType(const net::Request& request, std::string_view expected) {
  const std::string type = request.headers.Get("Content-Type").value_or("");
  const std::string media = Lower(Trim(std::string_view(type).substr(0, type.find(';'))));
  if (media == expected) return std::nullopt;
  return Refusal{415, "a POST here needs Content-Type: " + std::string(expected)};
}

bool BearerMatches(std::string_view authorization, const std::string& token) {
  authorization = Trim(authorization);
  constexpr std::string_view kScheme = "bearer ";
  if (authorization.size() < kScheme.size() || Lower(authorization.substr(0, kScheme.size())) != kScheme) {
    return false;
  }
  const std::string_view given = Trim(authorization.substr(kScheme.size()));
  // No early exit, so timing says nothing about where a wrong token differs.
  unsigned char diff = given.size() == token.size() ? 0 : 1;
  for (size_t i = 0; i < given.size(); ++i) {
    diff |= static_cast<unsigned char>(given[i] ^ token[i % std::max<size_t>(token.size(), 1)]);
  }
  return diff == 0 && !token.empty();
}

}  // namespace cs
