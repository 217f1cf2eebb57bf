// Controller: the storage controller of one scalable unit (SU). It owns the
// SU's LUNs, each a RAID6 of ten member disks, and answers poll() for the
// manager's simulator_controller storage plugin. A controller can fail
// (fakes/controller_faults.h): while it is failed its LUNs are absent from
// every server of the SU.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "fakes/json_helpers.h"
#include "util/random.h"
#include "util/status.h"

namespace cs {

struct ControllerLun {
  std::string serial;
  int64_t size = 0;  // bytes
  std::vector<std::string> wwids;
  bool operator==(const ControllerLun&) const = default;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(ControllerLun, serial, size, wwids)

struct ControllerDisk {
  std::string wwid;
  int64_t size = 0;  // bytes
  bool operator==(const ControllerDisk&) const = default;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(ControllerDisk, wwid, size)

struct Controller {
  int controller_id = 0;
  std::map<std::string, ControllerLun> luns;    // by serial
  std::map<std::string, ControllerDisk> disks;  // by wwid
  // Failed (fail_controller): its LUNs are absent until it is restored.
  bool failed = false;

  // Adds a LUN built from ten disks (RAID6: size / 8 each), wwids drawn
  // from `random`.
  Status AddLun(const std::string& serial, int64_t size, Random& random);
  // The original's poll(): the whole state with sizes in MiB (XML-RPC could
  // not carry 64-bit integers), without `failed` (the original had none).
  Json Poll() const;
  bool operator==(const Controller&) const = default;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Controller, controller_id, luns, disks, failed)

}  // namespace cs
