// LustreClient: a Lustre client machine known by its address (the
// integration tests' "imaginary_client"): the filesystems it mounts, and the
// /proc values those mounts expose, resolved through the MGS conf params.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "fakes/json_helpers.h"
#include "util/status.h"

namespace cs {

struct ClientMount {
  std::string mgsnode;  // the MGT's NIDs spec the mount names
  std::string fsname;
  bool operator==(const ClientMount&) const = default;
};

inline void to_json(Json& j, const ClientMount& m) { j = Json::array({m.mgsnode, m.fsname}); }
inline void from_json(const Json& j, ClientMount& m) {
  m.mgsnode = j.at(0).get<std::string>();
  m.fsname = j.at(1).get<std::string>();
}

struct LustreClient {
  std::string address;
  std::vector<ClientMount> mounts;

  void Mount(const std::string& mgsnode, const std::string& fsname);
  void Unmount(const std::string& mgsnode, const std::string& fsname);
  void UnmountAll() { mounts.clear(); }
  // /proc/fs/lustre/llite/*/max_cached_mb and friends. `conf_params_of`
  // gives the conf params of an MGT by its mgsnode (null when unknown).
  Result<std::string> ReadProc(
      const std::string& path,
      const std::map<std::string, std::map<std::string, std::string>>& conf_params_by_mgt) const;

  bool operator==(const LustreClient&) const = default;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(LustreClient, address, mounts)

}  // namespace cs
