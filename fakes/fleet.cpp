#include "fakes/fleet.h"

#include <algorithm>
#include <set>

namespace cs {

namespace {

constexpr int kMaxServers = 100000;
constexpr int kMaxNids = 16;
constexpr int kMaxPdus = 64;         // per server (psu_count)
constexpr int kMaxFleetPdus = 4096;  // PDUs in a racked fleet: each listens on a port

int CountServers(const World& world, bool workers) {
  int n = 0;
  for (const auto& [fqdn, s] : world.servers.all()) n += (s.worker == workers);
  return n;
}

// Numbers and outlets for new servers, computed once per operation: asking
// the world again for every new server made building a large fleet
// quadratic.
class Allocator {
 public:
  explicit Allocator(const World& world)
      : next_server_(world.settings().name_offset), next_worker_(world.settings().name_offset) {
    for (const auto& [fqdn, s] : world.servers.all()) {
      int& next = s.worker ? next_worker_ : next_server_;
      next = std::max(next, s.id + 1);
      if (s.outlet && s.pdus.empty()) used_outlets_.insert(std::stoi(*s.outlet));
    }
    for (const auto& [name, pdu] : world.pdus.all()) next_port_ = std::max(next_port_, pdu.port + 1);
  }
  // The port of a new PDU: after every PDU's, so none moves.
  int TakePort() { return next_port_++; }
  int TakeId(bool worker) { return worker ? next_worker_++ : next_server_++; }
  int PeekId() const { return next_server_; }
  // Lowest outlet number (from 1) that no server uses, like a person
  // filling the first free socket.
  std::string TakeOutlet() {
    while (used_outlets_.count(next_outlet_)) ++next_outlet_;
    used_outlets_.insert(next_outlet_);
    return std::to_string(next_outlet_);
  }

 private:
  int next_server_;
  int next_worker_;
  int next_outlet_ = 1;
  int next_port_ = kBasePduPort;
  std::set<int> used_outlets_;
};

int NidCountOf(const World& world) {
  for (const auto& [fqdn, s] : world.servers.all()) {
    if (!s.worker) return static_cast<int>(s.network_interfaces.size());
  }
  return 0;
}

// Volume k's serial in this fleet (with the shard's name prefix).
std::string SerialOf(const World& world, int k) { return world.settings().name_prefix + VolumeSerial(k); }

void AddVolume(World& world, int k) {
  Volume v;
  v.serial_80 = SerialOf(world, k);
  v.serial_83 = v.serial_80;
  v.major_minor = VolumeMajorMinor(k);
  world.volumes.Put(v.serial_80, v);
}

void Present(World& world, const std::string& fqdn, const std::string& serial) {
  Presentations* p = world.presentations.Mutable(fqdn);
  if (!p) p = &world.presentations.Put(fqdn, Presentations{});
  (*p)[PresentationPath(serial)] = serial;
}

// Volumes not owned by any controller: the SAN.
std::vector<std::string> SanSerials(const World& world) {
  std::set<std::string> owned;
  for (const auto& [id, c] : world.controllers.all()) {
    for (const auto& [serial, lun] : c.luns) owned.insert(serial);
  }
  std::vector<std::string> out;
  for (const auto& [serial, v] : world.volumes.all()) {
    if (!owned.count(serial)) out.push_back(serial);
  }
  return out;
}

// The PDUs of a rack, in name order (rack000-pdu0, rack000-pdu1, ...).
std::vector<std::string> RackPdus(const World& world, int rack) {
  std::vector<std::string> out;
  for (const auto& [name, pdu] : world.pdus.all()) {
    if (pdu.rack == rack) out.push_back(name);
  }
  return out;
}

// Gives a rack psu_count PDUs, plugging the rack's servers into the new
// ones (a second PSU for each when psu_count grows from 1 to 2).
void EnsureRackPdus(World& world, Allocator& alloc, int rack, int psu_count) {
  for (int k = 0; k < psu_count; ++k) {
    const std::string name = RackPduName(rack, k);
    if (world.pdus.contains(name)) continue;
    Pdu pdu;
    pdu.name = name;
    pdu.port = alloc.TakePort();
    pdu.rack = rack;
    for (const auto& [fqdn, s] : world.servers.all()) {
      if (s.worker || !s.outlet || RackOf(world.settings().topology, s.id) != rack) continue;
      pdu.outlets[*s.outlet] = true;
      world.servers.Mutable(fqdn)->pdus.push_back(name);
    }
    world.pdus.Put(name, std::move(pdu));
  }
}

// The PDUs of a topology file's racks, in file order (ports in that order).
void EnsureLayoutPdus(World& world, Allocator& alloc, const TopologyLayout& layout) {
  for (size_t k = 0; k < layout.racks.size(); ++k) {
    for (const std::string& name : layout.racks[k].pdus) {
      if (world.pdus.contains(name)) continue;
      Pdu pdu;
      pdu.name = name;
      pdu.port = alloc.TakePort();
      pdu.rack = static_cast<int>(k);
      world.pdus.Put(name, std::move(pdu));
    }
  }
}

// A server of a topology file's fleet: outlet position+1 of the PDUs its
// rack's feeds name (one per PSU).
void PlaceByLayout(World& world, const TopologyLayout& layout, Server& s) {
  const int index = layout.IndexOf(s.id);
  if (index < 0) return;  // setup refuses servers the file does not place
  const TopologyLayout::Rack& rack = layout.racks[static_cast<size_t>(layout.rack_of[static_cast<size_t>(index)])];
  const int position = layout.position_of[static_cast<size_t>(index)];
  s.outlet = std::to_string(position + 1);
  s.pdus.clear();
  for (int p : rack.feeds[static_cast<size_t>(position)]) s.pdus.push_back(rack.pdus[static_cast<size_t>(p)]);
  for (const auto& name : s.pdus) {
    if (Pdu* pdu = world.pdus.Mutable(name)) pdu->outlets[*s.outlet] = true;
  }
  std::sort(s.pdus.begin(), s.pdus.end());
}

// PDUs per rack in a racked fleet: the most any rack has.
int PdusPerRack(const World& world) {
  std::map<int, int> per_rack;
  int most = 0;
  for (const auto& [name, pdu] : world.pdus.all()) {
    if (pdu.rack) most = std::max(most, ++per_rack[*pdu.rack]);
  }
  return most;
}

Server& CreateServer(World& world, Allocator& alloc, int nid_count, bool worker, const Clock& clock) {
  Server s = MakeServer(alloc.TakeId(worker), nid_count, worker);
  s.nodename = world.settings().name_prefix + s.nodename;
  s.fqdn = FqdnOf(s.nodename);
  s.boot_time = FormatAgentTime(clock.Now());
  const PackageSet& available = world.settings().packages.For(worker);
  // The agent is installed at this point (the simulated server was set up
  // by hand); everything else comes through install_packages.
  if (auto it = available.find("chroma-agent"); it != available.end()) {
    s.packages["chroma-agent"] = it->second;
  }
  if (!worker) {
    const TopologySettings& t = world.settings().topology;
    if (t.layout) {
      PlaceByLayout(world, *t.layout, s);
    } else if (t.rack_size > 0) {
      // Its rack's PDUs, at its position in the rack (set up by EnsureRackPdus).
      s.outlet = std::to_string(s.id % t.rack_size + 1);
      s.pdus = RackPdus(world, RackOf(t, s.id));
      for (const auto& name : s.pdus) world.pdus.Mutable(name)->outlets[*s.outlet] = true;
    } else {
      s.outlet = alloc.TakeOutlet();
      for (const auto& [name, pdu] : world.pdus.all()) world.pdus.Mutable(name)->outlets[*s.outlet] = true;
    }
    const std::string cluster_key = std::to_string(world.ClusterIdOf(s));
    Cluster cluster;
    if (const Cluster* existing = world.clusters.Find(cluster_key)) cluster = *existing;
    cluster.id = world.ClusterIdOf(s);
    cluster.Join(s.nodename, s.fqdn);
    world.clusters.Put(cluster_key, std::move(cluster));
  }
  const std::string fqdn = s.fqdn;
  return world.servers.Put(fqdn, std::move(s));
}

Status CheckCount(const char* name, int value, int min, int max) {
  if (value < min || value > max) {
    return Status::InvalidArgument(std::string(name) + " must be between " + std::to_string(min) +
                                   " and " + std::to_string(max) + ", not " + std::to_string(value));
  }
  return Status::Ok();
}

// The flags a topology file replaces.
Status CheckNoRackFlags(const FleetSpec& spec) {
  const char* flag = spec.rack_size ? "--rack_size" : spec.racks_per_row ? "--racks_per_row"
                     : spec.cluster_spread ? "--cluster_spread" : nullptr;
  if (!flag || !spec.topology) return Status::Ok();
  return Status::InvalidArgument(std::string(flag) + " cannot be used with --topology: the file places every "
                                 "server (it has racks, and cluster_spread or clusters keys)");
}

// The topology the spec asks for, from the fleet's, a topology file and the
// defaults.
Result<TopologySettings> WantedTopology(const World& world, const FleetSpec& spec, const FleetCounts& want) {
  TopologySettings t = world.settings().topology;
  if (spec.rack_size) t.rack_size = *spec.rack_size;
  if (spec.racks_per_row) t.racks_per_row = *spec.racks_per_row;
  if (spec.cluster_spread) t.cluster_spread = *spec.cluster_spread;
  if (!spec.topology) return t;
  CS_RETURN_IF_ERROR(CheckNoRackFlags(spec));
  TopologyFleet fleet;
  fleet.server_count = want.server_count;
  // Racks that list no PDUs get --psu_count of them; running setup again
  // with the same file keeps the number the fleet was made with.
  fleet.psu_count = spec.psu_count.value_or(t.layout ? t.layout->default_psu_count : want.psu_count);
  fleet.cluster_size = want.cluster_size;
  fleet.first_server = spec.name_offset.value_or(world.settings().name_offset);
  fleet.name_prefix = spec.name_prefix.value_or(world.settings().name_prefix);
  fleet.max_pdus = kMaxFleetPdus;
  Result<std::shared_ptr<const TopologyLayout>> layout = LayoutFromFile(*spec.topology, fleet);
  if (!layout.ok()) return layout.status();
  t = TopologySettings();
  t.layout = *layout;
  return t;
}

Status CheckLayoutFleet(const World& world, const FleetSpec& spec, const TopologySettings& t, const FleetCounts& want) {
  if (t.layout->server_count() != want.server_count) {
    return Status::FailedPrecondition("the fleet's topology file places exactly " +
                                      std::to_string(t.layout->server_count()) + " servers, so server_count stays " +
                                      std::to_string(t.layout->server_count()) + " (a new layout needs a new --config)");
  }
  if (!spec.topology && spec.psu_count) {
    return Status::FailedPrecondition("the fleet's PDUs come from its topology file: --psu_count needs --topology");
  }
  for (const auto& [name, pdu] : world.pdus.all()) {
    if (!pdu.rack) {
      return Status::FailedPrecondition("PDU " + name + " feeds the whole fleet; racks with PDUs of their own "
                                        "need a new --config");
    }
  }
  return Status::Ok();
}

Status CheckTopology(const World& world, const FleetSpec& spec, const FleetCounts& want, TopologySettings* out) {
  Result<TopologySettings> wanted = WantedTopology(world, spec, want);
  if (!wanted.ok()) return wanted.status();
  const TopologySettings& t = *wanted;
  *out = t;
  if (CountServers(world, false) > 0 && !(t == world.settings().topology)) {
    return Status::FailedPrecondition("the fleet's servers already have places in racks; rack_size, "
                                      "racks_per_row, cluster_spread and the topology file cannot change");
  }
  if (t.layout) return CheckLayoutFleet(world, spec, t, want);
  CS_RETURN_IF_ERROR(CheckCount("rack_size", t.rack_size, 0, kMaxServers));
  CS_RETURN_IF_ERROR(CheckCount("racks_per_row", t.racks_per_row, 0, kMaxServers));
  if (t.cluster_spread != "none" && t.cluster_spread != "rack") {
    return Status::InvalidArgument("cluster_spread must be none or rack, not '" + t.cluster_spread + "'");
  }
  if (t.cluster_spread == "rack" && t.rack_size == 0) {
    return Status::InvalidArgument("cluster_spread rack needs --rack_size");
  }
  if (t.cluster_spread == "rack" && t.rack_size > 0 && want.server_count % t.rack_size != 0) {
    return Status::InvalidArgument("with cluster_spread rack, server_count " + std::to_string(want.server_count) +
                                   " must fill whole racks of " + std::to_string(t.rack_size));
  }
  if (t.rack_size > 0) {
    for (const auto& [name, pdu] : world.pdus.all()) {
      if (!pdu.rack) {
        return Status::FailedPrecondition("PDU " + name + " feeds the whole fleet; racks with PDUs of their own "
                                          "need a new --config");
      }
    }
    const int64_t racks = (static_cast<int64_t>(want.server_count) + t.rack_size - 1) / t.rack_size;
    if (racks * want.psu_count > kMaxFleetPdus) {
      return Status::InvalidArgument(std::to_string(racks) + " racks of " + std::to_string(want.psu_count) +
                                     " PDUs make " + std::to_string(racks * want.psu_count) +
                                     " PDUs, more than the " + std::to_string(kMaxFleetPdus) +
                                     " a fleet can serve (use larger racks or fewer PSUs)");
    }
  }
  return Status::Ok();
}

// A DNS label's start (nodenames become fqdns), short enough for the
// longest nodename to stay one label.
bool ValidNamePrefix(const std::string& prefix) {
  if (prefix.size() > 32) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    const char c = prefix[i];
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (!alnum && !(c == '-' && i > 0)) return false;
  }
  return true;
}

// Addresses are 10.<nid>.<number / 256>.<number % 256>: unique below 65536.
constexpr int kMaxNumbered = 65536;

Status CheckNaming(const World& world, const FleetSpec& spec, const FleetCounts& want) {
  const std::string prefix = spec.name_prefix.value_or(world.settings().name_prefix);
  const int offset = spec.name_offset.value_or(world.settings().name_offset);
  if (!ValidNamePrefix(prefix)) {
    return Status::InvalidArgument("name_prefix must be at most 32 lower-case letters, digits and '-' (not first), not '" +
                                   prefix + "'");
  }
  CS_RETURN_IF_ERROR(CheckCount("name_offset", offset, 0, kMaxNumbered - 1));
  if (offset > 0 && offset + std::max(want.server_count, want.worker_count) > kMaxNumbered) {
    return Status::InvalidArgument("name_offset " + std::to_string(offset) + " leaves room for " +
                                   std::to_string(kMaxNumbered - offset) +
                                   " servers with unique addresses, not " +
                                   std::to_string(std::max(want.server_count, want.worker_count)));
  }
  const bool named = world.servers.size() > 0 || world.volumes.size() > 0 || world.pdus.size() > 0;
  if (named && (prefix != world.settings().name_prefix || offset != world.settings().name_offset)) {
    return Status::FailedPrecondition("the fleet's servers, volumes and PDUs already have names; name_prefix and "
                                      "name_offset cannot change");
  }
  return Status::Ok();
}

// Brings a spec to concrete values from the existing fleet and defaults.
Status Resolve(const World& world, const FleetSpec& spec, FleetCounts* out, TopologySettings* topology) {
  const FleetCounts have = CountFleet(world);
  const bool fresh = world.servers.size() == 0 && world.volumes.size() == 0;
  FleetCounts want;
  // A new fleet from a topology file has the servers the file places.
  const int fresh_servers = spec.topology ? ServersPlaced(*spec.topology) : 8;
  want.server_count = spec.server_count.value_or(fresh ? fresh_servers : have.server_count);
  want.worker_count = spec.worker_count.value_or(fresh ? 1 : have.worker_count);
  want.volume_count = spec.volume_count.value_or(
      spec.server_count || fresh ? 2 * want.server_count : have.volume_count);
  want.nid_count = spec.nid_count.value_or(have.nid_count > 0 ? have.nid_count : 1);
  want.cluster_size = spec.cluster_size.value_or(fresh ? 4 : have.cluster_size);
  want.psu_count = spec.psu_count.value_or(fresh ? 1 : have.psu_count);
  want.su_size = spec.su_size.value_or(fresh ? 0 : have.su_size);
  if (spec.topology && spec.topology->su_size) {
    if (spec.su_size && *spec.su_size != *spec.topology->su_size) {
      return Status::InvalidArgument(spec.topology->su_size_where + ": su_size " +
                                     std::to_string(*spec.topology->su_size) + " conflicts with --su_size " +
                                     std::to_string(*spec.su_size));
    }
    want.su_size = *spec.topology->su_size;
  }

  CS_RETURN_IF_ERROR(CheckCount("server_count", want.server_count, 0, kMaxServers));
  CS_RETURN_IF_ERROR(CheckCount("worker_count", want.worker_count, 0, kMaxServers));
  CS_RETURN_IF_ERROR(CheckCount("volume_count", want.volume_count, 0, 0xff00));
  CS_RETURN_IF_ERROR(CheckCount("nid_count", want.nid_count, 1, kMaxNids));
  CS_RETURN_IF_ERROR(CheckCount("cluster_size", want.cluster_size, 1, kMaxServers));
  CS_RETURN_IF_ERROR(CheckCount("psu_count", want.psu_count, 0, kMaxPdus));
  CS_RETURN_IF_ERROR(CheckCount("su_size", want.su_size, 0, kMaxServers));

  CS_RETURN_IF_ERROR(CheckTopology(world, spec, want, topology));
  CS_RETURN_IF_ERROR(CheckNaming(world, spec, want));
  if (want.su_size > 0) {
    if (want.server_count % want.su_size != 0) {
      return Status::InvalidArgument("server_count " + std::to_string(want.server_count) +
                                     " is not a multiple of su_size " + std::to_string(want.su_size));
    }
    const int su_count = want.server_count / want.su_size;
    if (su_count > 0 && want.volume_count % su_count != 0) {
      return Status::InvalidArgument("volume_count " + std::to_string(want.volume_count) +
                                     " is not a multiple of the " + std::to_string(su_count) +
                                     " scalable units");
    }
  }
  if (!fresh) {
    if (want.server_count < have.server_count || want.worker_count < have.worker_count ||
        want.volume_count < have.volume_count || (!topology->layout && want.psu_count < have.psu_count)) {
      return Status::FailedPrecondition(
          "setup only adds: the fleet already has " + std::to_string(have.server_count) +
          " servers, " + std::to_string(have.worker_count) + " workers, " +
          std::to_string(have.volume_count) + " volumes and " + std::to_string(have.psu_count) +
          " PDUs (remove servers through the running simulator, or start a new --config)");
    }
    if (have.server_count > 0 && want.cluster_size != have.cluster_size) {
      return Status::FailedPrecondition("the fleet has cluster_size " +
                                        std::to_string(have.cluster_size) + "; it cannot change");
    }
    if (have.server_count > 0 && want.su_size != have.su_size) {
      return Status::FailedPrecondition("the fleet has su_size " + std::to_string(have.su_size) +
                                        "; it cannot change");
    }
    if (have.server_count > 0 && spec.nid_count && want.nid_count != have.nid_count) {
      return Status::FailedPrecondition("the fleet's servers have " +
                                        std::to_string(have.nid_count) + " NIDs; it cannot change");
    }
    if (want.su_size > 0 && have.server_count > 0) {
      const int have_sus = have.server_count / have.su_size;
      const int want_sus = want.server_count / want.su_size;
      const int per_su = have.volume_count / have_sus;
      if (want.volume_count != per_su * want_sus) {
        return Status::InvalidArgument("each scalable unit has " + std::to_string(per_su) +
                                       " volumes, so volume_count must be " +
                                       std::to_string(per_su * want_sus));
      }
    }
  }
  *out = want;
  return Status::Ok();
}

void EnsurePdus(World& world, Allocator& alloc, int psu_count) {
  std::vector<std::string> outlets;
  for (const auto& [fqdn, s] : world.servers.all()) {
    if (s.outlet) outlets.push_back(*s.outlet);
  }
  for (int k = 0; k < psu_count; ++k) {
    const std::string name = world.settings().name_prefix + PduName(k);
    if (world.pdus.contains(name)) continue;
    Pdu pdu;
    pdu.name = name;
    pdu.port = alloc.TakePort();
    for (const auto& o : outlets) pdu.outlets[o] = true;
    world.pdus.Put(name, std::move(pdu));
  }
}

std::string AddServerWith(World& world, Allocator& alloc, int nid_count, const Clock& clock,
                          const std::vector<std::string>& san_serials);

// A running fleet serves the PDUs it started with, so servers added to it
// must land in racks that have theirs.
Status CheckRacksHavePdus(const World& world, const Allocator& alloc, int server_count) {
  const TopologySettings& t = world.settings().topology;
  if (t.layout) {
    return Status::FailedPrecondition("the fleet's servers are placed by a topology file, which places exactly " +
                                      std::to_string(t.layout->server_count()) + ": it cannot grow");
  }
  if (t.rack_size <= 0 || PdusPerRack(world) == 0) return Status::Ok();
  for (int id = alloc.PeekId(); id < alloc.PeekId() + server_count; ++id) {
    if (RackPdus(world, RackOf(t, id)).empty()) {
      return Status::FailedPrecondition("server " + std::to_string(id) + " would start " + RackName(RackOf(t, id)) +
                                        ", which has no PDUs yet: grow a racked fleet with `cluster-sim setup` "
                                        "while the daemon is stopped");
    }
  }
  return Status::Ok();
}

Result<SuInfo> AddSuWith(World& world, Allocator& alloc, int server_count, int volume_count, int nid_count,
                         const Clock& clock);

}  // namespace

FleetCounts CountFleet(const World& world) {
  FleetCounts c;
  c.server_count = CountServers(world, false);
  c.worker_count = CountServers(world, true);
  c.volume_count = static_cast<int>(world.volumes.size());
  c.nid_count = NidCountOf(world);
  c.cluster_size = world.settings().cluster_size;
  c.psu_count = Racked(world.settings().topology) ? PdusPerRack(world) : static_cast<int>(world.pdus.size());
  c.su_size = world.controllers.size() == 0
                  ? 0
                  : c.server_count / static_cast<int>(world.controllers.size());
  return c;
}

Status ValidateFleetSpec(const World& world, const FleetSpec& spec) {
  FleetCounts want;
  TopologySettings topology;
  return Resolve(world, spec, &want, &topology);
}

Status SetupFleet(World& world, const FleetSpec& spec, const Clock& clock) {
  FleetCounts want;
  TopologySettings topology;
  CS_RETURN_IF_ERROR(Resolve(world, spec, &want, &topology));
  const FleetCounts have = CountFleet(world);

  SimSettings& settings = world.mutable_settings();
  if (settings.packages.server.empty() && settings.packages.worker.empty()) {
    settings.packages = DefaultPackageInventory();
  }
  settings.cluster_size = want.cluster_size;
  settings.topology = topology;
  if (spec.url) settings.url = *spec.url;
  if (spec.seed) settings.seed = *spec.seed;
  if (spec.name_prefix) settings.name_prefix = *spec.name_prefix;
  if (spec.name_offset) settings.name_offset = *spec.name_offset;

  Allocator alloc(world);
  if (settings.topology.layout) {
    EnsureLayoutPdus(world, alloc, *settings.topology.layout);
  } else if (settings.topology.rack_size > 0) {
    // Every rack the wanted servers fill (numbers are given in order).
    const int last_id = alloc.PeekId() + (want.server_count - have.server_count) - 1;
    for (int rack = 0; rack <= RackOf(settings.topology, std::max(last_id, 0)); ++rack) {
      if (want.server_count > 0) EnsureRackPdus(world, alloc, rack, want.psu_count);
    }
  } else {
    EnsurePdus(world, alloc, want.psu_count);
  }

  if (want.su_size > 0) {
    const int su_count = want.server_count / want.su_size;
    const int have_sus = have.su_size > 0 ? have.server_count / have.su_size : 0;
    const int per_su = su_count > 0 ? want.volume_count / su_count : 0;
    for (int k = have_sus; k < su_count; ++k) {
      Result<SuInfo> su = AddSuWith(world, alloc, want.su_size, per_su, want.nid_count, clock);
      if (!su.ok()) return su.status();
    }
  } else {
    const std::vector<std::string> san = SanSerials(world);
    for (int i = have.server_count; i < want.server_count; ++i) {
      AddServerWith(world, alloc, want.nid_count, clock, san);
    }
    std::vector<std::string> fqdns;
    for (const auto& [fqdn, s] : world.servers.all()) {
      if (!s.worker) fqdns.push_back(fqdn);
    }
    for (int k = have.volume_count; k < want.volume_count; ++k) {
      AddVolume(world, k);
      for (const auto& fqdn : fqdns) Present(world, fqdn, SerialOf(world, k));
    }
  }
  for (int i = have.worker_count; i < want.worker_count; ++i) {
    CreateServer(world, alloc, want.nid_count, true, clock);
  }
  return Status::Ok();
}

Result<std::string> AddServer(World& world, int nid_count, const Clock& clock) {
  if (nid_count < 1 || nid_count > kMaxNids) {
    return Status::InvalidArgument("nid_count must be between 1 and " + std::to_string(kMaxNids));
  }
  Allocator alloc(world);
  CS_RETURN_IF_ERROR(CheckRacksHavePdus(world, alloc, 1));
  return AddServerWith(world, alloc, nid_count, clock, SanSerials(world));
}

Result<SuInfo> AddSu(World& world, int server_count, int volume_count, int nid_count,
                     const Clock& clock) {
  if (server_count < 1) return Status::InvalidArgument("an SU needs at least one server");
  if (volume_count < 0) return Status::InvalidArgument("volume_count must not be negative");
  if (nid_count < 1 || nid_count > kMaxNids) {
    return Status::InvalidArgument("nid_count must be between 1 and " + std::to_string(kMaxNids));
  }
  Allocator alloc(world);
  CS_RETURN_IF_ERROR(CheckRacksHavePdus(world, alloc, server_count));
  return AddSuWith(world, alloc, server_count, volume_count, nid_count, clock);
}

namespace {

std::string AddServerWith(World& world, Allocator& alloc, int nid_count, const Clock& clock,
                          const std::vector<std::string>& san_serials) {
  Server& s = CreateServer(world, alloc, nid_count, false, clock);
  // SAN-style: a new server sees every volume no controller owns.
  if (world.controllers.size() == 0) {
    for (const auto& serial : san_serials) Present(world, s.fqdn, serial);
  }
  return s.fqdn;
}

Result<SuInfo> AddSuWith(World& world, Allocator& alloc, int server_count, int volume_count, int nid_count,
                         const Clock& clock) {
  SuInfo info;
  int controller_id = 1;
  for (const auto& [key, c] : world.controllers.all()) controller_id = std::max(controller_id, c.controller_id + 1);
  info.controller_id = controller_id;
  for (int n = 0; n < server_count; ++n) {
    info.fqdns.push_back(CreateServer(world, alloc, nid_count, false, clock).fqdn);
  }
  Controller controller;
  controller.controller_id = controller_id;
  Random random = Random::ForStream(world.settings().seed, "controller/" + std::to_string(controller_id));
  const int first = static_cast<int>(world.volumes.size());
  for (int k = first; k < first + volume_count; ++k) {
    AddVolume(world, k);
    const std::string serial = SerialOf(world, k);
    info.serials.push_back(serial);
    for (const auto& fqdn : info.fqdns) Present(world, fqdn, serial);
    CS_RETURN_IF_ERROR(controller.AddLun(serial, kVolumeSizeBytes, random));
  }
  world.controllers.Put(std::to_string(controller_id), std::move(controller));
  return info;
}

}  // namespace

Status RemoveServer(World& world, const std::string& fqdn) {
  const Server* s = world.servers.Find(fqdn);
  if (!s) return Status::NotFound("no server " + fqdn);
  if (Cluster* cluster = world.MutableClusterOf(*s)) cluster->RemoveNode(s->nodename);
  world.presentations.Erase(fqdn);
  world.servers.Erase(fqdn);
  return Status::Ok();
}

}  // namespace cs
