// A package version as the original simulator stored it: the tuple
// (epoch, version, release, arch), written as a JSON array.
#pragma once

#include <map>
#include <string>

#include "fakes/json_helpers.h"

namespace cs {

struct PackageVersion {
  int epoch = 0;
  std::string version;
  std::string release;
  std::string arch;

  bool operator==(const PackageVersion&) const = default;
};

// name -> version, e.g. "lustre" -> (0, "2.1.4", "1", "x86_64").
using PackageSet = std::map<std::string, PackageVersion>;

inline void to_json(Json& j, const PackageVersion& p) {
  j = Json::array({p.epoch, p.version, p.release, p.arch});
}

inline void from_json(const Json& j, PackageVersion& p) {
  if (!j.is_array() || j.size() != 4) {
    throw Json::type_error::create(302, "a package version is [epoch, version, release, arch]", &j);
  }
  p.epoch = j.at(0).get<int>();
  p.version = j.at(1).get<std::string>();
  p.release = j.at(2).get<std::string>();
  p.arch = j.at(3).get<std::string>();
}

}  // namespace cs
