#include "fakes/devices.h"

#include <cstdio>

namespace cs {

std::string VolumeSerial(int k) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "FAKEDEVICE%03d", k);
  return buf;
}

std::string VolumeMajorMinor(int k) {
  const int n = k % 0xff00;
  return std::to_string(n >> 8) + ":" + std::to_string(n & 0xff);
}

std::string PresentationPath(const std::string& serial) {
  return "/dev/disk/by-id/scsi-" + serial + "-scsi0-0-0";
}

}  // namespace cs
