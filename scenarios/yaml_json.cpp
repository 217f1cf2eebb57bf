// YAML to JSON with line numbers (see yaml_json.h).
#include "scenarios/yaml_json.h"

#include <yaml-cpp/yaml.h>

#include <fstream>
#include <regex>
#include <sstream>

namespace cs::scenarios {

namespace {

// YAML 1.2 core schema resolution of a plain scalar.
Json PlainScalar(const std::string& s) {
  static const std::regex kInt("[-+]?[0-9]+");
  static const std::regex kFloat("[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?");
  if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL") return nullptr;
  if (s == "true" || s == "True" || s == "TRUE") return true;
  if (s == "false" || s == "False" || s == "FALSE") return false;
  if (std::regex_match(s, kInt) && s.size() < 19) return std::stoll(s);
  if (std::regex_match(s, kFloat)) return std::stod(s);
  return s;
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
      out = node.Tag() == "!" ? Json(node.Scalar()) : PlainScalar(node.Scalar());
      return Status::Ok();
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
