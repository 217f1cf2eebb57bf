#include "fakes/settings.h"

namespace cs {

PackageInventory DefaultPackageInventory() {
  const std::string arch = "x86_64";
  PackageInventory inventory;
  inventory.server = {
      {"lustre-ldiskfs-zfs", {0, "1", "1", arch}},
      {"lustre", {0, "2.1.4", "1", arch}},
      {"lustre-dkms", {0, "2.1.4", "1", arch}},
      {"kmod-lustre-osd-ldiskfs", {0, "2.1.4", "1", arch}},
      {"lustre-osd-zfs-mount", {0, "2.1.4", "1", arch}},
      {"kernel-[0-9]*_lustre", {0, "2.6.32", "1", arch}},
      {"kernel-devel-lustre", {0, "2.6.32", "1", arch}},
      {"zfs-dkms", {0, "0.6.5.3", "1", arch}},
      {"zfs", {0, "0.6.5.3", "1", arch}},
  };
  inventory.worker = {
      {"lustre-client", {0, "2.5.0", "1", arch}},
      {"kmod-lustre-client", {0, "2.5.0", "1", arch}},
  };
  for (PackageSet* set : {&inventory.server, &inventory.worker}) {
    (*set)["chroma-agent"] = {0, "3.0.1", "1", arch};
    (*set)["chroma-agent-management"] = {0, "3.0.1", "1", arch};
  }
  return inventory;
}

}  // namespace cs
