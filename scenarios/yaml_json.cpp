// YAML to JSON with line numbers (see yaml_json.h).
#include "scenarios/yaml_json.h"

#include <yaml-cpp/yaml.h>

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <regex>
#include <sstream>

namespace cs::scenarios {

namespace {

// YAML 1.2 core schema resolution of a plain scalar. A number beyond a
// double's range (1e999) is refused, not rounded to infinity, which JSON
// cannot hold; one too small (1e-999) rounds towards 0 as YAML's own
// readers do. nullopt: out of range.
std::optional<Json> PlainScalar(const std::string& s) {
  static const std::regex kInt("[-+]?[0-9]+");
  static const std::regex kFloat("[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?");
  if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL") return Json(nullptr);
  if (s == "true" || s == "True" || s == "TRUE") return Json(true);
  if (s == "false" || s == "False" || s == "FALSE") return Json(false);
  if (std::regex_match(s, kInt) && s.size() < 19) return Json(std::stoll(s));
  if (std::regex_match(s, kFloat)) {
    errno = 0;
    const double d = std::strtod(s.c_str(), nullptr);
    if (errno == ERANGE && std::isinf(d)) return std::nullopt;
    return Json(d);
  }
  return Json(s);
}

Status OutOfRange(const SourceDocument& doc, const YAML::Node& node) {
  const std::string& s = node.Scalar();
  const std::string shown = s.size() > 40 ? s.substr(0, 40) + "..." : s;
  return Status::InvalidArgument(doc.path + ":" + std::to_string(node.Mark().line + 1) + ": the number " + shown +
                                 " is beyond the range of a double (about 1.8e308)");
}

// Whether `s` is UTF-8 as RFC 3629 defines it (no overlong forms, no
// surrogates, nothing above U+10FFFF): JSON strings must be, and a value
// that is not cannot even be shown in an error message.
bool IsUtf8(const std::string& s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const size_t n = s.size();
  for (size_t i = 0; i < n;) {
    const unsigned char c = p[i];
    size_t more = 0;
    unsigned char lo = 0x80, hi = 0xBF;  // bounds of the first continuation byte
    if (c < 0x80) more = 0;
    else if (c >= 0xC2 && c <= 0xDF) more = 1;
    else if (c == 0xE0) more = 2, lo = 0xA0;
    else if (c == 0xED) more = 2, hi = 0x9F;
    else if (c >= 0xE1 && c <= 0xEF) more = 2;
    else if (c == 0xF0) more = 3, lo = 0x90;
    else if (c >= 0xF1 && c <= 0xF3) more = 3;
    else if (c == 0xF4) more = 3, hi = 0x8F;
    else return false;
    if (more > 0 && i + more >= n) return false;  // cut short
    for (size_t k = 1; k <= more; ++k) {
      const unsigned char b = p[i + k];
      if (k == 1 ? (b < lo || b > hi) : (b < 0x80 || b > 0xBF)) return false;
    }
    i += more + 1;
  }
  return true;
}

Status NotUtf8(const SourceDocument& doc, const YAML::Node& node) {
  return Status::InvalidArgument(doc.path + ":" + std::to_string(node.Mark().line + 1) + ": text that is not UTF-8");
}

std::string Escape(const std::string& key) {
  std::string out;
  for (char c : key) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out += c;
  }
  return out;
}

Status Convert(const YAML::Node& node, const std::string& pointer, SourceDocument& doc, Json& out, int depth) {
  if (depth > 64) return Status::InvalidArgument(doc.path + ": nested more than 64 levels deep");
  if (!node.Mark().is_null()) doc.lines[pointer] = node.Mark().line + 1;
  switch (node.Type()) {
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      out = nullptr;
      return Status::Ok();
    case YAML::NodeType::Scalar:
      if (!IsUtf8(node.Scalar())) return NotUtf8(doc, node);
      if (node.Tag() == "!") {
        out = node.Scalar();
        return Status::Ok();
      }
      if (std::optional<Json> v = PlainScalar(node.Scalar())) {
        out = std::move(*v);
        return Status::Ok();
      }
      return OutOfRange(doc, node);
    case YAML::NodeType::Sequence: {
      out = Json::array();
      size_t i = 0;
      for (const YAML::Node& item : node) {
        Json v;
        CS_RETURN_IF_ERROR(Convert(item, pointer + "/" + std::to_string(i++), doc, v, depth + 1));
        out.push_back(std::move(v));
      }
      return Status::Ok();
    }
    case YAML::NodeType::Map: {
      out = Json::object();
      for (const auto& kv : node) {
        if (!kv.first.IsScalar()) {
          return Status::InvalidArgument(doc.path + ":" + std::to_string(kv.first.Mark().line + 1) +
                                         ": a key must be a plain word");
        }
        const std::string key = kv.first.Scalar();
        if (!IsUtf8(key)) return NotUtf8(doc, kv.first);
        if (out.contains(key)) {
          return Status::InvalidArgument(doc.path + ":" + std::to_string(kv.first.Mark().line + 1) +
                                         ": key '" + key + "' appears twice");
        }
        Json v;
        CS_RETURN_IF_ERROR(Convert(kv.second, pointer + "/" + Escape(key), doc, v, depth + 1));
        out[key] = std::move(v);
      }
      return Status::Ok();
    }
  }
  return Status::Ok();
}

}  // namespace

int SourceDocument::LineOf(const std::string& pointer) const {
  std::string p = pointer;
  while (true) {
    auto it = lines.find(p);
    if (it != lines.end()) return it->second;
    if (p.empty()) return 0;
    const size_t slash = p.rfind('/');
    p = slash == std::string::npos ? "" : p.substr(0, slash);
  }
}

Result<SourceDocument> ParseYaml(const std::string& text, const std::string& path) {
  SourceDocument doc;
  doc.path = path;
  try {
    const YAML::Node root = YAML::Load(text);
    CS_RETURN_IF_ERROR(Convert(root, "", doc, doc.value, 0));
  } catch (const YAML::Exception& e) {
    return Status::InvalidArgument(path + ":" + std::to_string(e.mark.line + 1) + ": not valid YAML: " + e.msg);
  }
  return doc;
}

Result<SourceDocument> ReadYamlFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound(path + ": cannot read the file");
  std::ostringstream text;
  text << in.rdbuf();
  if (text.str().size() > (8 << 20)) return Status::InvalidArgument(path + ": larger than 8 MiB");
  return ParseYaml(text.str(), path);
}

}  // namespace cs::scenarios
