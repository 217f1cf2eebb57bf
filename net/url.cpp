#include "net/url.h"

#include <charconv>

namespace cs::net {
namespace {

bool IsUnreserved(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
         c == '-' || c == '.' || c == '_' || c == '~';
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

uint16_t DefaultPort(std::string_view scheme) { return scheme == "https" ? 443 : 80; }

Status ParsePort(std::string_view text, uint16_t* port) {
  unsigned value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || value == 0 ||
      value > 65535) {
    return Status::InvalidArgument("bad port '" + std::string(text) + "'");
  }
  *port = static_cast<uint16_t>(value);
  return Status::Ok();
}

// Splits "host[:port]" or "[v6]:port" into url->host and url->port.
Status ParseAuthority(std::string_view authority, Url* url) {
  std::string_view host = authority;
  std::string_view port_text;
  bool has_port = false;
  if (!authority.empty() && authority.front() == '[') {
    size_t close = authority.find(']');
    if (close == std::string_view::npos) return Status::InvalidArgument("unclosed '[' in host");
    host = authority.substr(1, close - 1);
    std::string_view rest = authority.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return Status::InvalidArgument("junk after ']' in host");
      port_text = rest.substr(1);
      has_port = true;
    }
  } else if (size_t colon = authority.find(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    port_text = authority.substr(colon + 1);
    has_port = true;
  }
  if (host.empty()) return Status::InvalidArgument("empty host");
  // A host prints back the way it was read: brackets only around an IPv6
  // address (which has a ':'), and never inside a host.
  if (host.find_first_of("[]") != std::string_view::npos) return Status::InvalidArgument("'[' or ']' inside the host");
  if (authority.front() == '[' && host.find(':') == std::string_view::npos) {
    return Status::InvalidArgument("brackets around a host that is not an IPv6 address");
  }
  url->host = std::string(host);
  url->port = DefaultPort(url->scheme);
  if (has_port) CS_RETURN_IF_ERROR(ParsePort(port_text, &url->port));
  return Status::Ok();
}

}  // namespace

Result<Url> Url::Parse(std::string_view text) {
  Url url;
  size_t sep = text.find("://");
  if (sep == std::string_view::npos) {
    return Status::InvalidArgument("url '" + std::string(text) + "' has no scheme");
  }
  url.scheme = std::string(text.substr(0, sep));
  if (url.scheme != "https" && url.scheme != "http") {
    return Status::InvalidArgument("url scheme '" + url.scheme + "' is not http or https");
  }
  std::string_view rest = text.substr(sep + 3);
  if (rest.find_first_of("?#@") != std::string_view::npos) {
    return Status::InvalidArgument("url '" + std::string(text) +
                                   "' has user info, a query or a fragment");
  }
  size_t slash = rest.find('/');
  Status s = ParseAuthority(rest.substr(0, slash), &url);
  if (!s.ok()) return s.Context("url '" + std::string(text) + "'");
  url.path = slash == std::string_view::npos ? "/" : std::string(rest.substr(slash));
  return url;
}

std::string Url::HostHeader() const {
  std::string host_text = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  if (port == DefaultPort(scheme)) return host_text;
  return host_text + ":" + std::to_string(port);
}

std::string Url::ToString() const {
  std::string host_text = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  return scheme + "://" + host_text + ":" + std::to_string(port) + path;
}

std::string JoinPath(std::string_view base, std::string_view relative) {
  while (!base.empty() && base.back() == '/') base.remove_suffix(1);
  while (!relative.empty() && relative.front() == '/') relative.remove_prefix(1);
  std::string out(base);
  out += '/';
  out += relative;
  return out;
}

std::string PercentEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (IsUnreserved(c)) {
      out += c;
    } else {
      auto byte = static_cast<unsigned char>(c);
      out += '%';
      out += kHex[byte >> 4];
      out += kHex[byte & 0xF];
    }
  }
  return out;
}

std::string PercentDecode(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '%' && i + 2 < text.size() && HexValue(text[i + 1]) >= 0 &&
        HexValue(text[i + 2]) >= 0) {
      out += static_cast<char>(HexValue(text[i + 1]) * 16 + HexValue(text[i + 2]));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

QueryParams ParseQuery(std::string_view query) {
  QueryParams out;
  while (!query.empty()) {
    size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (pair.empty()) continue;
    size_t eq = pair.find('=');
    std::string_view key = pair.substr(0, eq);
    std::string_view value = eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1);
    out.emplace_back(PercentDecode(key, true), PercentDecode(value, true));
  }
  return out;
}

std::string BuildQuery(const QueryParams& params) {
  std::string out;
  for (const auto& [key, value] : params) {
    if (!out.empty()) out += '&';
    out += PercentEncode(key);
    out += '=';
    out += PercentEncode(value);
  }
  return out;
}

}  // namespace cs::net
