// Reading REST paths (see rest_path.h).
#include "manager/rest_path.h"

namespace cs::manager {

std::string CollapseSlashes(const std::string& path) {
  std::string out;
  for (char c : path) {
    if (c == '/' && !out.empty() && out.back() == '/') continue;
    out += c;
  }
  return out;
}

std::vector<std::string> SplitPath(const std::string& path) {
  std::vector<std::string> parts;
  std::string cur;
  for (char c : path) {
    if (c == '/') {
      if (!cur.empty()) parts.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) parts.push_back(cur);
  return parts;
}

int64_t ParseId(const std::string& text) {
  if (text.empty() || text.size() > 15) return -1;
  int64_t v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return -1;
    v = v * 10 + (c - '0');
  }
  return v;
}

int64_t IdFromUri(const std::string& uri) {
  std::vector<std::string> parts = SplitPath(uri);
  return parts.empty() ? -1 : ParseId(parts.back());
}

}  // namespace cs::manager
