// Lustre targets on the shared storage, as the agent's target actions see
// them from one server: formatting a volume as an MGT/MDT/OST, registering a
// target with its MGS, the MGS's configuration (writeconf, purge, conf
// params), which targets run on a server, and what detect_scan finds.
// Pure world logic; errors name the server, path or label that was wrong.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "fakes/world.h"
#include "util/random.h"
#include "util/status.h"

namespace cs {

// The serial of the volume `server` sees at `path`.
Result<std::string> SerialAtPath(const World& world, const std::string& fqdn, const std::string& path);
// The Lustre target formatted on the volume at `path`, with its serial.
Result<std::string> TargetSerialAtPath(const World& world, const std::string& fqdn,
                                       const std::string& path);

// The MGT key of an mgsnode list (NID groups, one per MGS node): NIDs sorted
// within a group, groups sorted, joined "a,b:c,d"; the same MGS always gets
// the same key whatever order its NIDs come in.
std::string MgsKey(const std::vector<std::vector<std::string>>& mgsnode);

struct FormatRequest {
  std::string device;
  std::string backfstype = "ldiskfs";
  std::vector<std::string> target_types;           // "mgs", "mdt", "ost"
  std::vector<std::vector<std::string>> mgsnode;   // of the MGS (not for an MGS)
  std::vector<std::string> failnode;               // an MGS's failover NIDs
  std::optional<std::string> fsname;
  std::optional<int> index;
  std::optional<std::string> mkfsoptions;          // "-I 512 -i 2048"
};

// Formats the volume: records the target (an MGS also gets a new, empty
// MGT) and returns the e2fs summary the agent reported: {uuid,
// filesystem_type, inode_size, bytes_per_inode, inode_count}.
Result<Json> FormatTarget(World& world, const Server& server, const FormatRequest& request,
                          Random& random);

// Registers the target at `path` with its MGS under the server's first NID;
// returns its label.
Result<std::string> RegisterTarget(World& world, const Server& server, const std::string& path);

// An MGS's writeconf erases its conf params.
Status EraseMgsConfParams(World& world, const std::string& fqdn, const std::string& mgs_path);
// Forgets the targets of filesystem `fsname` registered on the MGS at `mgs_path`.
Status PurgeFilesystem(World& world, const std::string& fqdn, const std::string& mgs_path,
                       const std::string& fsname);

// Sets (or with no value, removes) a conf param through the MGS running here.
Status SetConfParam(World& world, const Server& server, const std::string& key,
                    const std::optional<std::string>& value);

// detect_scan: the targets among `paths` this server sees and its cluster
// knows (local_targets), and, when the MGS is among them, the targets
// registered with it by filesystem (mgs_targets).
Json DetectScan(const World& world, const Server& server, const std::vector<std::string>& paths);

}  // namespace cs
