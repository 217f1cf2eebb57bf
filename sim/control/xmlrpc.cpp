// XML-RPC <-> JSON conversion. See xmlrpc.h for the type mapping and choices.
#include "sim/control/xmlrpc.h"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <set>
#include <vector>

#include <pugixml.hpp>

namespace cs {

namespace {

using nlohmann::json;

// ---------------------------------------------------------------------------
// Characters

bool IsXmlSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

bool IsAllXmlSpace(std::string_view s) {
  for (char c : s) {
    if (!IsXmlSpace(c)) return false;
  }
  return true;
}

std::string_view TrimXmlSpace(std::string_view s) {
  while (!s.empty() && IsXmlSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsXmlSpace(s.back())) s.remove_suffix(1);
  return s;
}

// The Char production of XML 1.0: what a document may contain at all.
bool IsXmlChar(char32_t c) {
  return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) ||
         (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
}

// Decodes the UTF-8 sequence at s[*i] and advances *i past it. Returns nullopt
// (advancing one byte) for anything that is not well-formed UTF-8: stray
// continuation bytes, truncated or overlong sequences, surrogates.
std::optional<char32_t> NextCodePoint(std::string_view s, std::size_t* i) {
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char b0 = byte(*i);
  if (b0 < 0x80) {
    ++*i;
    return b0;
  }
  int len = 0;
  char32_t cp = 0;
  char32_t min = 0;
  if ((b0 & 0xE0) == 0xC0) {
    len = 2, cp = b0 & 0x1F, min = 0x80;
  } else if ((b0 & 0xF0) == 0xE0) {
    len = 3, cp = b0 & 0x0F, min = 0x800;
  } else if ((b0 & 0xF8) == 0xF0) {
    len = 4, cp = b0 & 0x07, min = 0x10000;
  } else {
    ++*i;
    return std::nullopt;
  }
  if (*i + static_cast<std::size_t>(len) > s.size()) {
    ++*i;
    return std::nullopt;
  }
  for (int k = 1; k < len; ++k) {
    const unsigned char b = byte(*i + static_cast<std::size_t>(k));
    if ((b & 0xC0) != 0x80) {
      ++*i;
      return std::nullopt;
    }
    cp = (cp << 6) | (b & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    ++*i;
    return std::nullopt;
  }
  *i += static_cast<std::size_t>(len);
  return cp;
}

void AppendUtf8(std::string* out, char32_t cp) {
  auto put = [out](char32_t b) { out->push_back(static_cast<char>(b)); };
  if (cp < 0x80) {
    put(cp);
  } else if (cp < 0x800) {
    put(0xC0 | (cp >> 6)), put(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    put(0xE0 | (cp >> 12)), put(0x80 | ((cp >> 6) & 0x3F)), put(0x80 | (cp & 0x3F));
  } else {
    put(0xF0 | (cp >> 18)), put(0x80 | ((cp >> 12) & 0x3F));
    put(0x80 | ((cp >> 6) & 0x3F)), put(0x80 | (cp & 0x3F));
  }
}

// Refuses text that is not UTF-8 or holds characters XML forbids. pugixml
// checks neither, and a JSON string must be valid UTF-8 to be dumped.
Status CheckText(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t at = i;
    std::optional<char32_t> cp = NextCodePoint(s, &i);
    if (!cp) return Status::InvalidArgument("invalid UTF-8 at byte " + std::to_string(at) + " of text");
    if (!IsXmlChar(*cp)) {
      return Status::InvalidArgument("character U+" + std::to_string(static_cast<std::uint32_t>(*cp)) +
                                     " (decimal) is not allowed in XML");
    }
  }
  return Status::Ok();
}

// Replaces the five predefined entities and character references. We do this
// ourselves rather than let pugixml do it because pugixml leaves an unknown
// "&name;" or a bare "&" in place, where a strict parser must refuse it.
Status DecodeReferences(std::string_view raw, std::string* out) {
  static constexpr struct {
    std::string_view name;
    char c;
  } kEntities[] = {{"lt", '<'}, {"gt", '>'}, {"amp", '&'}, {"quot", '"'}, {"apos", '\''}};
  for (std::size_t i = 0; i < raw.size();) {
    if (raw[i] != '&') {
      out->push_back(raw[i++]);
      continue;
    }
    const std::size_t semi = raw.find(';', i);
    if (semi == std::string_view::npos || semi - i > 12) {
      return Status::InvalidArgument("'&' does not start an entity or character reference");
    }
    const std::string_view ref = raw.substr(i + 1, semi - i - 1);
    i = semi + 1;
    if (!ref.empty() && ref[0] == '#') {
      const bool hex = ref.size() > 1 && ref[1] == 'x';
      const std::string_view digits = ref.substr(hex ? 2 : 1);
      std::uint32_t cp = 0;
      auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), cp, hex ? 16 : 10);
      if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size() || !IsXmlChar(cp)) {
        return Status::InvalidArgument("bad character reference &" + std::string(ref) + ";");
      }
      AppendUtf8(out, cp);
      continue;
    }
    bool known = false;
    for (const auto& e : kEntities) {
      if (ref == e.name) {
        out->push_back(e.c);
        known = true;
        break;
      }
    }
    if (!known) return Status::InvalidArgument("undefined entity &" + std::string(ref) + ";");
  }
  return Status::Ok();
}

// Escapes text for element content. Invalid UTF-8 and characters XML cannot
// carry become U+FFFD so that the peer can always parse what we send. '\r' is
// written as a reference because a parser turns a literal one into '\n'.
void AppendEscaped(std::string* out, std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    std::optional<char32_t> cp = NextCodePoint(s, &i);
    if (!cp || !IsXmlChar(*cp)) {
      AppendUtf8(out, 0xFFFD);
      continue;
    }
    switch (*cp) {
      case '&': *out += "&amp;"; break;
      case '<': *out += "&lt;"; break;
      case '>': *out += "&gt;"; break;
      case '\r': *out += "&#13;"; break;
      default: AppendUtf8(out, *cp);
    }
  }
}

// ---------------------------------------------------------------------------
// Scalars

Result<std::int64_t> ParseXmlRpcInteger(std::string_view text, std::int64_t min, std::int64_t max) {
  // Python's int() allows surrounding whitespace, so peers may send it.
  std::string_view s = TrimXmlSpace(text);
  if (!s.empty() && s[0] == '+') s.remove_prefix(1);  // from_chars refuses '+'
  std::int64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  const std::string quoted = "'" + std::string(text) + "'";
  if (s.empty() || (ec != std::errc() && ec != std::errc::result_out_of_range) ||
      end != s.data() + s.size() || (s[0] == '-' && s.size() == 1)) {
    return Status::InvalidArgument(quoted + " is not an integer");
  }
  if (ec == std::errc::result_out_of_range || v < min || v > max) {
    return Status::InvalidArgument(quoted + " is out of range");
  }
  return v;
}

Result<double> ParseDouble(std::string_view text) {
  std::string_view s = TrimXmlSpace(text);
  const std::string quoted = "'" + std::string(text) + "'";
  // Grammar: [+-] digits [. digits] [(e|E) [+-] digits], at least one mantissa
  // digit. Checked by hand so that "nan", "inf" and hex forms are refused.
  std::size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  const bool plus = !s.empty() && s[0] == '+';
  std::size_t mantissa_digits = 0;
  auto digits = [&] {
    std::size_t n = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++n;
    return n;
  };
  mantissa_digits += digits();
  if (i < s.size() && s[i] == '.') ++i, mantissa_digits += digits();
  bool ok = mantissa_digits > 0;
  if (ok && i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    ok = digits() > 0;
  }
  if (!ok || i != s.size()) return Status::InvalidArgument(quoted + " is not a number");
  if (plus) s.remove_prefix(1);
  double v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || !std::isfinite(v)) {
    return Status::InvalidArgument(quoted + " is out of range for a double");
  }
  return v;
}

int Base64Digit(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

// Returns the text without whitespace if it is valid padded base64. Python
// wraps its base64 at 76 columns, hence the whitespace.
Result<std::string> CanonicalBase64(std::string_view text) {
  std::string s;
  for (char c : text) {
    if (!IsXmlSpace(c)) s.push_back(c);
  }
  if (s.size() % 4 != 0) return Status::InvalidArgument("base64 length is not a multiple of 4");
  std::size_t pad = 0;
  while (pad < 2 && pad < s.size() && s[s.size() - 1 - pad] == '=') ++pad;
  for (std::size_t i = 0; i < s.size() - pad; ++i) {
    if (Base64Digit(s[i]) < 0) return Status::InvalidArgument("invalid base64 character at offset " + std::to_string(i));
  }
  return s;
}

std::string EncodeBase64(const std::vector<std::uint8_t>& bytes) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    const std::size_t n = std::min<std::size_t>(3, bytes.size() - i);
    std::uint32_t group = static_cast<std::uint32_t>(bytes[i]) << 16;
    if (n > 1) group |= static_cast<std::uint32_t>(bytes[i + 1]) << 8;
    if (n > 2) group |= bytes[i + 2];
    for (std::size_t k = 0; k < 4; ++k) {
      out.push_back(k <= n ? kAlphabet[(group >> (18 - 6 * k)) & 0x3F] : '=');
    }
  }
  return out;
}

// ---------------------------------------------------------------------------
// Parsing

constexpr unsigned kParseFlags =
    (pugi::parse_default & ~pugi::parse_escapes)  // we decode, strictly
    | pugi::parse_doctype                         // so that we can see and refuse it
    | pugi::parse_ws_pcdata_single                // keep "<string> </string>"
    | pugi::parse_fragment;  // keep text outside the root, which we refuse; pugixml drops it otherwise

// Walks a parsed document, producing JSON and located errors.
class Parser {
 public:
  Parser(std::string_view xml, const XmlRpcLimits& limits) : xml_(xml), limits_(limits) {}

  // Parses the document and returns its root element, which must be `root`.
  Result<pugi::xml_node> Load(std::string_view root);

  Result<XmlRpcCall> MethodCall(pugi::xml_node root);
  Result<XmlRpcResponse> MethodResponse(pugi::xml_node root);

 private:
  // pugixml gives an element's offset as that of its name; point at its '<'.
  Status At(pugi::xml_node node, const Status& s) const {
    const std::ptrdiff_t offset = node.offset_debug();
    return At(node.type() == pugi::node_element && offset > 0 ? offset - 1 : offset, s);
  }
  Status At(std::ptrdiff_t offset, const Status& s) const;
  Status Error(pugi::xml_node node, const std::string& what) const {
    return At(node, Status::InvalidArgument(what));
  }

  Result<std::vector<pugi::xml_node>> Elements(pugi::xml_node parent) const;
  Result<pugi::xml_node> OnlyElement(pugi::xml_node parent, std::string_view name) const;
  Result<std::string> Text(pugi::xml_node node) const;
  Result<json> Value(pugi::xml_node value, int depth) const;
  Result<json> Typed(pugi::xml_node type, int depth) const;
  Result<json> Array(pugi::xml_node array, int depth) const;
  Result<json> Struct(pugi::xml_node strukt, int depth) const;

  std::string_view xml_;
  const XmlRpcLimits& limits_;
  pugi::xml_document doc_;
};

Status Parser::At(std::ptrdiff_t offset, const Status& s) const {
  if (offset < 0 || static_cast<std::size_t>(offset) > xml_.size()) return s;
  std::size_t line = 1, column = 1;
  for (std::size_t i = 0; i < static_cast<std::size_t>(offset); ++i) {
    if (xml_[i] == '\n') {
      ++line, column = 1;
    } else {
      ++column;
    }
  }
  return Status::InvalidArgument(s.message() + " (line " + std::to_string(line) + ", column " +
                                 std::to_string(column) + ")");
}

Result<pugi::xml_node> Parser::Load(std::string_view root) {
  if (xml_.size() > limits_.max_bytes) {
    return Status::InvalidArgument("XML-RPC document of " + std::to_string(xml_.size()) +
                                   " bytes exceeds the limit of " + std::to_string(limits_.max_bytes));
  }
  pugi::xml_parse_result r = doc_.load_buffer(xml_.data(), xml_.size(), kParseFlags, pugi::encoding_auto);
  if (!r) return At(r.offset, Status::InvalidArgument(std::string("malformed XML: ") + r.description()));
  pugi::xml_node found;
  for (pugi::xml_node n : doc_.children()) {
    if (n.type() == pugi::node_doctype) {
      return Error(n, "DOCTYPE is not allowed in XML-RPC");
    }
    if (n.type() == pugi::node_element) {
      if (found) return Error(n, "more than one root element");
      found = n;
    } else if (n.type() != pugi::node_pcdata || !IsAllXmlSpace(n.value())) {
      return Error(n, "unexpected content outside the root element");
    }
  }
  if (!found) return Status::InvalidArgument("no root element");
  if (std::string_view(found.name()) != root) {
    return Error(found, "root element is <" + std::string(found.name()) + ">, expected <" + std::string(root) + ">");
  }
  return found;
}

// The element children of a container, which may hold whitespace but no text.
Result<std::vector<pugi::xml_node>> Parser::Elements(pugi::xml_node parent) const {
  std::vector<pugi::xml_node> out;
  for (pugi::xml_node n : parent.children()) {
    if (n.type() == pugi::node_element) {
      out.push_back(n);
    } else if ((n.type() == pugi::node_pcdata || n.type() == pugi::node_cdata) && !IsAllXmlSpace(n.value())) {
      return Error(n, "unexpected text in <" + std::string(parent.name()) + ">");
    }
  }
  return out;
}

Result<pugi::xml_node> Parser::OnlyElement(pugi::xml_node parent, std::string_view name) const {
  Result<std::vector<pugi::xml_node>> kids = Elements(parent);
  if (!kids.ok()) return kids.status();
  const std::string want = "<" + std::string(parent.name()) + "> must hold exactly one <" + std::string(name) + ">";
  if (kids->size() != 1) return Error(parent, want);
  if (std::string_view(kids->front().name()) != name) return Error(kids->front(), want);
  return kids->front();
}

// The text content of a leaf element, references decoded.
Result<std::string> Parser::Text(pugi::xml_node node) const {
  std::string out;
  for (pugi::xml_node n : node.children()) {
    if (n.type() == pugi::node_element) {
      return Error(n, "<" + std::string(node.name()) + "> may not contain <" + std::string(n.name()) + ">");
    }
    if (n.type() != pugi::node_pcdata && n.type() != pugi::node_cdata) continue;
    Status s = CheckText(n.value());
    if (s.ok()) {
      if (n.type() == pugi::node_cdata) {
        out += n.value();
      } else {
        s = DecodeReferences(n.value(), &out);
      }
    }
    if (!s.ok()) return At(n, s);
  }
  return out;
}

Result<json> Parser::Value(pugi::xml_node value, int depth) const {
  if (std::string_view(value.name()) != "value") {
    return Error(value, "expected <value>, found <" + std::string(value.name()) + ">");
  }
  if (depth > limits_.max_depth) {
    return Error(value, "values nest deeper than the limit of " + std::to_string(limits_.max_depth));
  }
  if (!value.find_child([](pugi::xml_node n) { return n.type() == pugi::node_element; })) {
    Result<std::string> text = Text(value);  // no type element: a string
    if (!text.ok()) return text.status();
    return json(std::move(*text));
  }
  Result<std::vector<pugi::xml_node>> kids = Elements(value);
  if (!kids.ok()) return kids.status();
  if (kids->size() != 1) return Error(value, "<value> holds more than one element");
  return Typed(kids->front(), depth);
}

Result<json> Parser::Typed(pugi::xml_node type, int depth) const {
  const std::string_view name = type.name();
  if (name == "array") return Array(type, depth);
  if (name == "struct") return Struct(type, depth);
  if (name == "nil") {
    Result<std::vector<pugi::xml_node>> kids = Elements(type);
    if (!kids.ok()) return kids.status();
    if (!kids->empty()) return Error(type, "<nil> must be empty");
    return json(nullptr);
  }
  const bool known = name == "int" || name == "i4" || name == "i8" || name == "boolean" || name == "string" ||
                     name == "double" || name == "dateTime.iso8601" || name == "base64";
  if (!known) return Error(type, "unknown XML-RPC type <" + std::string(name) + ">");
  Result<std::string> text = Text(type);
  if (!text.ok()) return text.status();
  const std::string prefix = "<" + std::string(name) + ">: ";
  if (name == "string" || name == "dateTime.iso8601") return json(std::move(*text));
  if (name == "boolean") {
    if (*text == "0") return json(false);
    if (*text == "1") return json(true);
    return Error(type, prefix + "'" + *text + "' is not 0 or 1");
  }
  if (name == "double") {
    Result<double> d = ParseDouble(*text);
    if (!d.ok()) return Error(type, prefix + d.status().message());
    return json(*d);
  }
  if (name == "base64") {
    Result<std::string> b = CanonicalBase64(*text);
    if (!b.ok()) return Error(type, prefix + b.status().message());
    return json{{"base64", std::move(*b)}};
  }
  using L32 = std::numeric_limits<std::int32_t>;
  using L64 = std::numeric_limits<std::int64_t>;
  const bool wide = name == "i8";
  Result<std::int64_t> v = ParseXmlRpcInteger(*text, wide ? L64::min() : L32::min(), wide ? L64::max() : L32::max());
  if (!v.ok()) return Error(type, prefix + v.status().message());
  return json(*v);
}

Result<json> Parser::Array(pugi::xml_node array, int depth) const {
  Result<pugi::xml_node> data = OnlyElement(array, "data");
  if (!data.ok()) return data.status();
  Result<std::vector<pugi::xml_node>> values = Elements(*data);
  if (!values.ok()) return values.status();
  json out = json::array();
  for (pugi::xml_node v : *values) {
    Result<json> item = Value(v, depth + 1);
    if (!item.ok()) return item.status();
    out.push_back(std::move(*item));
  }
  return out;
}

Result<json> Parser::Struct(pugi::xml_node strukt, int depth) const {
  Result<std::vector<pugi::xml_node>> members = Elements(strukt);
  if (!members.ok()) return members.status();
  json out = json::object();
  for (pugi::xml_node m : *members) {
    if (std::string_view(m.name()) != "member") {
      return Error(m, "expected <member> in <struct>, found <" + std::string(m.name()) + ">");
    }
    Result<std::vector<pugi::xml_node>> parts = Elements(m);
    if (!parts.ok()) return parts.status();
    if (parts->size() != 2 || std::string_view((*parts)[0].name()) != "name") {
      return Error(m, "<member> must hold <name> then <value>");
    }
    Result<std::string> key = Text((*parts)[0]);
    if (!key.ok()) return key.status();
    if (out.contains(*key)) return Error(m, "duplicate struct member '" + *key + "'");
    Result<json> item = Value((*parts)[1], depth + 1);
    if (!item.ok()) return item.status();
    out[*key] = std::move(*item);
  }
  return out;
}

bool IsMethodNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
         c == ':' || c == '/';
}

Result<XmlRpcCall> Parser::MethodCall(pugi::xml_node root) {
  Result<std::vector<pugi::xml_node>> kids = Elements(root);
  if (!kids.ok()) return kids.status();
  if (kids->empty() || std::string_view(kids->front().name()) != "methodName") {
    return Error(root, "<methodCall> must start with <methodName>");
  }
  XmlRpcCall call;
  pugi::xml_node name = kids->front();
  Result<std::string> method = Text(name);
  if (!method.ok()) return method.status();
  if (method->empty()) return Error(name, "empty method name");
  for (char c : *method) {
    if (!IsMethodNameChar(c)) return Error(name, "method name '" + *method + "' has a character XML-RPC does not allow");
  }
  call.method = std::move(*method);
  if (kids->size() > 2 || (kids->size() == 2 && std::string_view((*kids)[1].name()) != "params")) {
    return Error(kids->back(), "unexpected <" + std::string(kids->back().name()) + "> in <methodCall>");
  }
  if (kids->size() == 1) return call;  // <params> is optional
  Result<std::vector<pugi::xml_node>> params = Elements((*kids)[1]);
  if (!params.ok()) return params.status();
  for (pugi::xml_node p : *params) {
    if (std::string_view(p.name()) != "param") return Error(p, "expected <param>, found <" + std::string(p.name()) + ">");
    Result<pugi::xml_node> v = OnlyElement(p, "value");
    if (!v.ok()) return v.status();
    Result<json> item = Value(*v, 1);
    if (!item.ok()) return item.status();
    call.params.push_back(std::move(*item));
  }
  return call;
}

Result<XmlRpcResponse> Parser::MethodResponse(pugi::xml_node root) {
  Result<std::vector<pugi::xml_node>> kids = Elements(root);
  if (!kids.ok()) return kids.status();
  if (kids->size() != 1) return Error(root, "<methodResponse> must hold one <params> or <fault>");
  pugi::xml_node body = kids->front();
  XmlRpcResponse response;
  if (std::string_view(body.name()) == "params") {
    Result<pugi::xml_node> param = OnlyElement(body, "param");
    if (!param.ok()) return param.status();
    Result<pugi::xml_node> v = OnlyElement(*param, "value");
    if (!v.ok()) return v.status();
    Result<json> value = Value(*v, 1);
    if (!value.ok()) return value.status();
    response.value = std::move(*value);
    return response;
  }
  if (std::string_view(body.name()) != "fault") {
    return Error(body, "expected <params> or <fault>, found <" + std::string(body.name()) + ">");
  }
  Result<pugi::xml_node> v = OnlyElement(body, "value");
  if (!v.ok()) return v.status();
  Result<json> fault = Value(*v, 1);
  if (!fault.ok()) return fault.status();
  const json& f = *fault;
  if (!f.is_object() || f.size() != 2 || !f.contains("faultCode") || !f["faultCode"].is_number_integer() ||
      !f.contains("faultString") || !f["faultString"].is_string() ||
      f["faultCode"].get<std::int64_t>() != f["faultCode"].get<std::int32_t>()) {
    return Error(body, "<fault> must be a struct of an int faultCode and a string faultString");
  }
  response.is_fault = true;
  response.fault_code = f["faultCode"].get<int>();
  response.fault_string = f["faultString"].get<std::string>();
  return response;
}

// ---------------------------------------------------------------------------
// Formatting

constexpr std::string_view kHeader = "<?xml version='1.0'?>\n";

void AppendValue(std::string* out, const json& v);

void AppendInteger(std::string* out, const json& v) {
  using L32 = std::numeric_limits<std::int32_t>;
  using L64 = std::numeric_limits<std::int64_t>;
  if (v.is_number_unsigned() && v.get<std::uint64_t>() > static_cast<std::uint64_t>(L64::max())) {
    // Beyond <i8>: the only XML-RPC type left is double (lossy, but readable).
    AppendValue(out, json(static_cast<double>(v.get<std::uint64_t>())));
    return;
  }
  const std::int64_t n = v.get<std::int64_t>();
  const bool narrow = n >= L32::min() && n <= L32::max();
  *out += narrow ? "<int>" : "<i8>";
  *out += std::to_string(n);
  *out += narrow ? "</int>" : "</i8>";
}

void AppendValue(std::string* out, const json& v) {
  *out += "<value>";
  switch (v.type()) {
    case json::value_t::null:
    case json::value_t::discarded:
      *out += "<nil/>";
      break;
    case json::value_t::boolean:
      *out += v.get<bool>() ? "<boolean>1</boolean>" : "<boolean>0</boolean>";
      break;
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
      AppendInteger(out, v);
      break;
    case json::value_t::number_float: {
      const double d = v.get<double>();
      if (!std::isfinite(d)) {
        *out += "<nil/>";  // as json::dump() does; XML-RPC has no nan/inf
        break;
      }
      char buf[64];
      auto [end, ec] = std::to_chars(buf, buf + sizeof buf, d);  // shortest exact form
      *out += "<double>";
      out->append(buf, ec == std::errc() ? end : buf);
      *out += "</double>";
      break;
    }
    case json::value_t::string:
      *out += "<string>";
      AppendEscaped(out, v.get_ref<const std::string&>());
      *out += "</string>";
      break;
    case json::value_t::binary:
      *out += "<base64>" + EncodeBase64(v.get_binary()) + "</base64>";
      break;
    case json::value_t::array:
      *out += "<array><data>\n";
      for (const json& item : v) {
        AppendValue(out, item);
        *out += "\n";
      }
      *out += "</data></array>";
      break;
    case json::value_t::object:
      *out += "<struct>\n";
      for (const auto& [key, item] : v.items()) {
        *out += "<member>\n<name>";
        AppendEscaped(out, key);
        *out += "</name>\n";
        AppendValue(out, item);
        *out += "\n</member>\n";
      }
      *out += "</struct>";
      break;
  }
  *out += "</value>";
}

void AppendParam(std::string* out, const json& v) {
  *out += "<param>\n";
  AppendValue(out, v);
  *out += "\n</param>\n";
}

}  // namespace

Result<XmlRpcCall> ParseMethodCall(std::string_view xml, const XmlRpcLimits& limits) {
  Parser parser(xml, limits);
  Result<pugi::xml_node> root = parser.Load("methodCall");
  if (!root.ok()) return root.status();
  return parser.MethodCall(*root);
}

Result<XmlRpcResponse> ParseMethodResponse(std::string_view xml, const XmlRpcLimits& limits) {
  Parser parser(xml, limits);
  Result<pugi::xml_node> root = parser.Load("methodResponse");
  if (!root.ok()) return root.status();
  return parser.MethodResponse(*root);
}

std::string FormatMethodResponse(const nlohmann::json& value) {
  std::string out(kHeader);
  out += "<methodResponse>\n<params>\n";
  AppendParam(&out, value);
  out += "</params>\n</methodResponse>\n";
  return out;
}

std::string FormatFault(int code, std::string_view message) {
  std::string out(kHeader);
  out += "<methodResponse>\n<fault>\n";
  AppendValue(&out, json{{"faultCode", code}, {"faultString", std::string(message)}});
  out += "\n</fault>\n</methodResponse>\n";
  return out;
}

std::string FormatMethodCall(std::string_view method, const nlohmann::json& params) {
  std::string out(kHeader);
  out += "<methodCall>\n<methodName>";
  AppendEscaped(&out, method);
  out += "</methodName>\n<params>\n";
  if (params.is_array()) {
    for (const json& p : params) AppendParam(&out, p);
  } else {
    AppendParam(&out, params);
  }
  out += "</params>\n</methodCall>\n";
  return out;
}

}  // namespace cs
