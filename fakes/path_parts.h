// Taking a path apart the way the fakes' /proc readers (a server's Lustre
// tunables, a client's llite params) need it.
#pragma once

#include <sstream>
#include <string>
#include <vector>

namespace cs {

// The non-empty '/'-separated parts of `path`: "/proc//fs/lustre" gives
// proc, fs, lustre.
inline std::vector<std::string> PathParts(const std::string& path) {
  std::vector<std::string> parts;
  std::stringstream in(path);
  std::string part;
  while (std::getline(in, part, '/')) {
    if (!part.empty()) parts.push_back(part);
  }
  return parts;
}

}  // namespace cs
