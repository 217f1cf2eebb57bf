#include "fakes/controller.h"

namespace cs {

namespace {
constexpr int kDisksPerLun = 10;
constexpr int kParityDisks = 2;  // RAID6
constexpr int64_t kMiB = 1024 * 1024;
}  // namespace

Status Controller::AddLun(const std::string& serial, int64_t size, Random& random) {
  if (luns.count(serial)) return Status::AlreadyExists("a LUN with serial " + serial + " exists");
  ControllerLun lun;
  lun.serial = serial;
  lun.size = size;
  const int64_t disk_size = size / (kDisksPerLun - kParityDisks);
  for (int d = 0; d < kDisksPerLun; ++d) {
    std::string wwid = random.Uuid();
    disks[wwid] = ControllerDisk{wwid, disk_size};
    lun.wwids.push_back(wwid);
  }
  luns[serial] = std::move(lun);
  return Status::Ok();
}

Json Controller::Poll() const {
  Json out = *this;
  out.erase("failed");
  for (auto& [serial, lun] : out["luns"].items()) lun["size"] = lun["size"].get<int64_t>() / kMiB;
  for (auto& [wwid, disk] : out["disks"].items()) disk["size"] = disk["size"].get<int64_t>() / kMiB;
  return out;
}

}  // namespace cs
