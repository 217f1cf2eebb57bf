// The shared storage: volumes (LUNs), which server sees which volume at which
// path (presentations), the Lustre targets formatted on volumes, and the
// MGTs with the targets registered on them and their conf params. All of
// this lives "on the disks" in a real system, so every server sees it.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>

#include "fakes/json_helpers.h"

namespace cs {

constexpr int64_t kVolumeSizeBytes = 32LL * 1024 * 1024 * 1024 * 1024;  // 32 TiB

struct Volume {
  std::string serial_80;  // also the volume's key: FAKEDEVICE%03d
  std::string serial_83;
  std::string major_minor;
  int64_t size = kVolumeSizeBytes;
  std::optional<std::string> parent;
  std::optional<int> partition_number;
  // A non-Lustre filesystem formatted here (format_block_device), if any.
  std::optional<std::string> local_filesystem;

  bool operator==(const Volume&) const = default;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Volume, serial_80, serial_83, major_minor, size,
                                                parent, partition_number, local_filesystem)

// The volume number k of serial FAKEDEVICE<k> as created by setup.
std::string VolumeSerial(int k);
// "MAJ:MIN" for volume k: the original's intent (k's high byte as major, its
// low byte as minor) without its operator-precedence slip, which made every
// major 0 and so repeated major_minor keys after 255 volumes.
std::string VolumeMajorMinor(int k);
// The by-id path a server sees volume `serial` at.
std::string PresentationPath(const std::string& serial);

// path -> serial, the volumes one server sees.
using Presentations = std::map<std::string, std::string>;

// A Lustre target formatted on a volume (key: the volume's serial).
struct LustreTarget {
  std::string label;    // MGS, testfs-MDT0000, testfs-OST0001
  std::string uuid;
  std::string mgsnode;  // the MGT's key (its sorted NIDs)
  std::optional<std::string> fsname;
  std::string backfstype = "ldiskfs";
  std::optional<int> index;
  std::optional<std::string> primary_nid;  // set by register_target

  bool operator==(const LustreTarget&) const = default;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(LustreTarget, label, uuid, mgsnode, fsname,
                                                backfstype, index, primary_nid)

// An MGT (key: mgsnode): the target labels registered with it and the conf
// params set through it.
struct Mgt {
  std::set<std::string> targets;
  std::map<std::string, std::string> conf_params;

  bool operator==(const Mgt&) const = default;
};

inline void to_json(Json& j, const Mgt& m) {
  Json targets = Json::object();
  for (const auto& label : m.targets) targets[label] = Json::object();
  j = Json{{"targets", targets}, {"conf_params", m.conf_params}};
}

inline void from_json(const Json& j, Mgt& m) {
  m.targets.clear();
  if (j.contains("targets")) {
    for (const auto& [label, unused] : j.at("targets").items()) m.targets.insert(label);
  }
  m.conf_params = j.value("conf_params", std::map<std::string, std::string>{});
}

}  // namespace cs
