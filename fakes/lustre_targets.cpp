#include "fakes/lustre_targets.h"

#include "fakes/server_proc.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <optional>
#include <regex>

namespace cs {

namespace {

bool Contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

Result<std::string> TargetLabel(const FormatRequest& r) {
  if (Contains(r.target_types, "mgs")) return std::string("MGS");
  const bool mdt = Contains(r.target_types, "mdt");
  if (!r.fsname || !r.index) {
    return Status::InvalidArgument(std::string("format_target: an ") + (mdt ? "MDT" : "OST") +
                                   " needs fsname and index");
  }
  char buf[16];
  std::snprintf(buf, sizeof buf, "%s%04x", mdt ? "MDT" : "OST", static_cast<unsigned>(*r.index));
  return *r.fsname + "-" + buf;
}

// One number of an mkfs option, checked as mke2fs checks it (the limits
// are its own for a 4 KiB block); nullopt when the option is absent.
Result<std::optional<int64_t>> MkfsNumber(const std::string& options, const std::regex& option, const char* what,
                                          int64_t min, int64_t max, bool power_of_two) {
  std::smatch m;
  if (!std::regex_search(options, m, option)) return std::optional<int64_t>();
  const std::string digits = m[1].str();
  int64_t n = 0;
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
  if (error != std::errc() || end != digits.data() + digits.size() || n < min || n > max ||
      (power_of_two && (n & (n - 1)) != 0)) {
    const std::string shown = digits.size() > 24 ? digits.substr(0, 24) + "..." : digits;
    return Status::InvalidArgument(std::string("format_target: mkfs.lustre: invalid ") + what + " " + shown +
                                   " (min " + std::to_string(min) + "/max " + std::to_string(max) + ")");
  }
  return std::optional<int64_t>(n);
}

// The e2fs dict's layout from mkfs options that change it: -I <inode
// size>, -i <bytes per inode>. Checked before anything is formatted.
Result<Json> E2fsLayout(const std::optional<std::string>& mkfsoptions) {
  Json e2fs = {{"filesystem_type", "ext4"}, {"inode_size", 256}, {"bytes_per_inode", 16384}};
  if (!mkfsoptions) return e2fs;
  static const std::regex inode_size(R"(-I\s*(\d+))");
  static const std::regex bytes_per_inode(R"(-i\s*(\d+))");
  Result<std::optional<int64_t>> size = MkfsNumber(*mkfsoptions, inode_size, "inode size", 128, 4096, true);
  if (!size.ok()) return size.status();
  Result<std::optional<int64_t>> ratio = MkfsNumber(*mkfsoptions, bytes_per_inode, "inode ratio", 1024, 67108864, false);
  if (!ratio.ok()) return ratio.status();
  if (*size) e2fs["inode_size"] = **size;
  if (*ratio) e2fs["bytes_per_inode"] = **ratio;
  return e2fs;
}

const LustreTarget* FindTargetByLabel(const World& world, const std::string& mgsnode,
                                      const std::string& label) {
  for (const auto& [serial, t] : world.targets.all()) {
    if (t.mgsnode == mgsnode && t.label == label) return &t;
  }
  return nullptr;
}

}  // namespace

Result<std::string> SerialAtPath(const World& world, const std::string& fqdn, const std::string& path) {
  const Presentations* p = world.presentations.Find(fqdn);
  if (p == nullptr || p->count(path) == 0) {
    return Status::NotFound(fqdn + " has no device at " + path);
  }
  if (const Controller* c = world.FailedControllerOf(p->at(path))) {
    return Status::NotFound(fqdn + " has no device at " + path + " (controller " + std::to_string(c->controller_id) +
                            " has failed)");
  }
  return p->at(path);
}

Result<std::string> TargetSerialAtPath(const World& world, const std::string& fqdn,
                                       const std::string& path) {
  Result<std::string> serial = SerialAtPath(world, fqdn, path);
  if (!serial.ok()) return serial;
  if (!world.targets.contains(*serial)) {
    return Status::NotFound("no Lustre target is formatted on " + path + " (" + *serial + ") of " + fqdn);
  }
  return serial;
}

std::string MgsKey(const std::vector<std::vector<std::string>>& mgsnode) {
  std::vector<std::string> groups;
  for (std::vector<std::string> nids : mgsnode) {
    std::sort(nids.begin(), nids.end());
    std::string group;
    for (const auto& nid : nids) group += (group.empty() ? "" : ",") + nid;
    groups.push_back(group);
  }
  std::sort(groups.begin(), groups.end());
  std::string key;
  for (size_t i = 0; i < groups.size(); ++i) key += (i ? ":" : "") + groups[i];
  return key;
}

Result<Json> FormatTarget(World& world, const Server& server, const FormatRequest& r, Random& random) {
  Result<std::string> serial = SerialAtPath(world, server.fqdn, r.device);
  if (!serial.ok()) return serial.status();
  Result<std::string> label = TargetLabel(r);
  if (!label.ok()) return label.status();
  Result<Json> layout = E2fsLayout(r.mkfsoptions);
  if (!layout.ok()) return layout.status();

  LustreTarget target;
  target.label = *label;
  target.uuid = random.Uuid();
  target.fsname = r.fsname;
  target.backfstype = r.backfstype;
  target.index = r.index;
  if (*label == "MGS") {
    // An MGS's own NIDs, plus its failover partner's, are its mgsnode.
    std::vector<std::vector<std::string>> mgsnode = {server.Nids()};
    if (!r.failnode.empty()) mgsnode.push_back(r.failnode);
    target.mgsnode = MgsKey(mgsnode);
    world.mgts.Put(target.mgsnode, Mgt{});  // a fresh MGT: reformatting forgets the old one
  } else {
    target.mgsnode = MgsKey(r.mgsnode);
  }

  Json e2fs = std::move(*layout);
  e2fs["uuid"] = target.uuid;
  const int64_t bytes_per_inode = std::max<int64_t>(1, e2fs["bytes_per_inode"].get<int64_t>());
  e2fs["inode_count"] = world.volumes.Find(*serial) ? world.volumes.Find(*serial)->size / bytes_per_inode : 0;

  world.targets.Put(*serial, std::move(target));
  // mkfs overwrites whatever local filesystem the volume held.
  if (const Volume* v = world.volumes.Find(*serial); v && v->local_filesystem) {
    world.volumes.Mutable(*serial)->local_filesystem.reset();
  }
  return e2fs;
}

Result<std::string> RegisterTarget(World& world, const Server& server, const std::string& path) {
  Result<std::string> serial = TargetSerialAtPath(world, server.fqdn, path);
  if (!serial.ok()) return serial.status();
  const std::vector<std::string> nids = server.Nids();
  if (nids.empty()) return Status::FailedPrecondition(server.fqdn + " has no LNet NID to register with");
  const LustreTarget& target = *world.targets.Find(*serial);
  if (!world.mgts.contains(target.mgsnode)) {
    return Status::NotFound("the MGS " + target.mgsnode + " of " + target.label +
                            " is not formatted: cannot register");
  }
  world.mgts.Mutable(target.mgsnode)->targets.insert(target.label);
  world.targets.Mutable(*serial)->primary_nid = nids.front();
  return target.label;
}

Status EraseMgsConfParams(World& world, const std::string& fqdn, const std::string& mgs_path) {
  Result<std::string> serial = TargetSerialAtPath(world, fqdn, mgs_path);
  if (!serial.ok()) return serial.status();
  const std::string& mgsnode = world.targets.Find(*serial)->mgsnode;
  if (!world.mgts.contains(mgsnode)) return Status::NotFound("no MGT " + mgsnode + " for " + mgs_path);
  if (!world.mgts.Find(mgsnode)->conf_params.empty()) world.mgts.Mutable(mgsnode)->conf_params.clear();
  return Status::Ok();
}

Status PurgeFilesystem(World& world, const std::string& fqdn, const std::string& mgs_path,
                       const std::string& fsname) {
  Result<std::string> serial = TargetSerialAtPath(world, fqdn, mgs_path);
  if (!serial.ok()) return serial.status();
  const std::string mgsnode = world.targets.Find(*serial)->mgsnode;
  const Mgt* mgt = world.mgts.Find(mgsnode);
  if (mgt == nullptr) return Status::NotFound("no MGT " + mgsnode + " for " + mgs_path);
  std::vector<std::string> purge;
  for (const std::string& label : mgt->targets) {
    const LustreTarget* t = FindTargetByLabel(world, mgsnode, label);
    if (t && t->fsname == fsname) purge.push_back(label);
  }
  if (purge.empty()) return Status::Ok();
  Mgt* m = world.mgts.Mutable(mgsnode);
  for (const std::string& label : purge) m->targets.erase(label);
  return Status::Ok();
}

Status SetConfParam(World& world, const Server& server, const std::string& key,
                    const std::optional<std::string>& value) {
  std::optional<std::string> mgsnode;
  for (const StartedTarget& started : TargetsStartedOn(world, server)) {
    if (started.target->label == "MGS") mgsnode = started.target->mgsnode;
  }
  if (!mgsnode) {
    return Status::FailedPrecondition("set_conf_param " + key + ": no MGS is started on " + server.fqdn);
  }
  if (!world.mgts.contains(*mgsnode)) return Status::NotFound("no MGT " + *mgsnode);
  Mgt* mgt = world.mgts.Mutable(*mgsnode);
  if (value) {
    mgt->conf_params[key] = *value;
  } else {
    mgt->conf_params.erase(key);
  }
  return Status::Ok();
}

Json DetectScan(const World& world, const Server& server, const std::vector<std::string>& paths) {
  Json local_targets = Json::array();
  Json mgs_targets = Json::object();
  const Cluster* cluster = world.ClusterOf(server);
  std::optional<std::string> mgs_key;
  for (const std::string& path : paths) {
    Result<std::string> serial = TargetSerialAtPath(world, server.fqdn, path);
    if (!serial.ok() || cluster == nullptr) continue;  // not a target
    const LustreTarget& t = *world.targets.Find(*serial);
    const HaResource* r = cluster->FindByUuid(t.uuid);
    if (r == nullptr) continue;  // formatted but not (yet) made highly available
    local_targets.push_back({{"name", t.label},
                             {"uuid", t.uuid},
                             {"params", Json::object()},
                             {"device_paths", Json::array({path})},
                             {"mounted", r->started_on == server.nodename}});
    if (t.label == "MGS") mgs_key = t.mgsnode;
  }
  if (mgs_key && world.mgts.contains(*mgs_key)) {
    for (const std::string& label : world.mgts.Find(*mgs_key)->targets) {
      const LustreTarget* t = FindTargetByLabel(world, *mgs_key, label);
      if (t == nullptr) continue;
      const std::string fsname = t->fsname.value_or("");
      if (!mgs_targets.contains(fsname)) mgs_targets[fsname] = Json::array();
      mgs_targets[fsname].push_back({{"uuid", t->uuid}, {"name", t->label}, {"nid", t->primary_nid}});
    }
  }
  return Json{{"local_targets", local_targets},
              {"mgs_targets", mgs_targets},
              {"mgs_conf_params", Json::object()}};
}

}  // namespace cs
