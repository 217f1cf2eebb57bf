#include "fakes/lustre_client.h"

#include <algorithm>

#include "fakes/path_parts.h"

namespace cs {

void LustreClient::Mount(const std::string& mgsnode, const std::string& fsname) {
  ClientMount m{mgsnode, fsname};
  if (std::find(mounts.begin(), mounts.end(), m) == mounts.end()) mounts.push_back(m);
}

void LustreClient::Unmount(const std::string& mgsnode, const std::string& fsname) {
  mounts.erase(std::remove(mounts.begin(), mounts.end(), ClientMount{mgsnode, fsname}), mounts.end());
}

Result<std::string> LustreClient::ReadProc(
    const std::string& path,
    const std::map<std::string, std::map<std::string, std::string>>& conf_params_by_mgt) const {
  // proc/fs/lustre/llite/*/<param>
  const std::vector<std::string> parts = PathParts(path);
  if (parts.size() != 6 || parts[0] != "proc" || parts[1] != "fs" || parts[2] != "lustre" ||
      parts[3] != "llite" || parts[4] != "*") {
    return Status::InvalidArgument("cannot resolve " + path + " on client " + address +
                                   " (only /proc/fs/lustre/llite/*/<param> is simulated)");
  }
  if (mounts.empty()) {
    return Status::FailedPrecondition("nothing is mounted on client " + address);
  }
  if (mounts.size() > 1) {
    return Status::FailedPrecondition("several filesystems are mounted on client " + address +
                                      ": llite/* is ambiguous");
  }
  const std::string& param = parts[5];
  const ClientMount& m = mounts.front();
  auto mgt = conf_params_by_mgt.find(m.mgsnode);
  if (mgt == conf_params_by_mgt.end()) {
    return Status::NotFound("MGS " + m.mgsnode + " of client " + address + "'s mount is unknown");
  }
  auto value = mgt->second.find(m.fsname + ".llite." + param);
  if (param == "max_cached_mb") {
    // The real file reports several values; its first line is this one.
    return std::string("max_cached_mb: ") + (value == mgt->second.end() ? "32" : value->second);
  }
  if (value == mgt->second.end()) {
    return Status::NotFound("no value for llite parameter " + param + " on client " + address);
  }
  return value->second;
}

}  // namespace cs
