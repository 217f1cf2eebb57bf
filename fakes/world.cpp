#include "fakes/world.h"

#include <algorithm>

namespace cs {

const std::vector<Kind>& AllKinds() {
  static const std::vector<Kind> kinds = {Kind::kSettings, Kind::kServer,  Kind::kCluster,
                                          Kind::kVolume,   Kind::kPresentations,
                                          Kind::kTarget,   Kind::kMgt,     Kind::kPdu,
                                          Kind::kController, Kind::kClient,
                                          Kind::kCopytool, Kind::kHsmCoordinator};
  return kinds;
}

const char* KindName(Kind kind) {
  switch (kind) {
    case Kind::kSettings: return "settings";
    case Kind::kServer: return "servers";
    case Kind::kCluster: return "clusters";
    case Kind::kVolume: return "volumes";
    case Kind::kPresentations: return "presentations";
    case Kind::kTarget: return "targets";
    case Kind::kMgt: return "mgts";
    case Kind::kPdu: return "pdus";
    case Kind::kController: return "controllers";
    case Kind::kClient: return "clients";
    case Kind::kCopytool: return "copytools";
    case Kind::kHsmCoordinator: return "hsm_coordinators";
  }
  return "unknown";
}

World::World()
    : servers(Kind::kServer, &changes_),
      clusters(Kind::kCluster, &changes_),
      volumes(Kind::kVolume, &changes_),
      presentations(Kind::kPresentations, &changes_),
      targets(Kind::kTarget, &changes_),
      mgts(Kind::kMgt, &changes_),
      pdus(Kind::kPdu, &changes_),
      controllers(Kind::kController, &changes_),
      clients(Kind::kClient, &changes_),
      copytools(Kind::kCopytool, &changes_),
      hsm_coordinators(Kind::kHsmCoordinator, &changes_) {}

SimSettings& World::mutable_settings() {
  if (keep_undo_ && !settings_before_) settings_before_ = settings_;
  changes_.insert(ObjectRef{Kind::kSettings, kSettingsKey});
  return settings_;
}

template <typename F>
void World::ForEachTable(F&& f) {
  f(servers);
  f(clusters);
  f(volumes);
  f(presentations);
  f(targets);
  f(mgts);
  f(pdus);
  f(controllers);
  f(clients);
  f(copytools);
  f(hsm_coordinators);
}

void World::KeepUndo() {
  keep_undo_ = true;
  ForEachTable([](auto& table) { table.KeepUndo(); });
}

void World::UndoOperation() {
  if (settings_before_) settings_ = std::move(*settings_before_);
  settings_before_.reset();
  ForEachTable([](auto& table) { table.Undo(); });
  changes_.clear();
}

void World::ForgetUndo() {
  settings_before_.reset();
  ForEachTable([](auto& table) { table.ForgetUndo(); });
}

int World::ClusterIdOf(const Server& server) const {
  return ClusterIdFor(settings_.topology, settings_.cluster_size, server.id);
}

const Cluster* World::ClusterOf(const Server& server) const {
  if (server.worker) return nullptr;
  return clusters.Find(std::to_string(ClusterIdOf(server)));
}

Cluster* World::MutableClusterOf(const Server& server) {
  if (server.worker) return nullptr;
  return clusters.Mutable(std::to_string(ClusterIdOf(server)));
}

const Server* World::FindServerByNodename(const std::string& nodename) const {
  for (const auto& [fqdn, server] : servers.all()) {
    if (server.nodename == nodename) return &server;
  }
  return nullptr;
}

bool World::HasPower(const Server& server) const {
  if (server.worker || !server.outlet) return true;
  for (const auto& [name, pdu] : pdus.all()) {
    if (Feeds(pdu, server) && pdu.OutletOn(*server.outlet)) return true;
  }
  return false;
}

const Controller* World::FailedControllerOf(const std::string& serial) const {
  // Few controllers fail at once: only failed ones are asked about the LUN.
  for (const auto& [key, c] : controllers.all()) {
    if (c.failed && c.luns.count(serial)) return &c;
  }
  return nullptr;
}

bool World::Feeds(const Pdu& pdu, const Server& server) {
  if (server.worker || !server.outlet || !pdu.outlets.count(*server.outlet)) return false;
  return server.pdus.empty() || std::find(server.pdus.begin(), server.pdus.end(), pdu.name) != server.pdus.end();
}

std::vector<std::string> World::PdusFeeding(const Server& server) const {
  std::vector<std::string> out;
  if (!server.pdus.empty()) {  // listed: no need to look at every PDU
    for (const std::string& name : server.pdus) {
      if (const Pdu* pdu = pdus.Find(name); pdu && Feeds(*pdu, server)) out.push_back(name);
    }
    std::sort(out.begin(), out.end());
    return out;
  }
  for (const auto& [name, pdu] : pdus.all()) {
    if (Feeds(pdu, server)) out.push_back(name);
  }
  return out;
}

std::map<std::string, std::map<std::string, std::string>> World::OutletWiring() const {
  std::map<std::string, std::map<std::string, std::string>> out;
  for (const auto& [fqdn, server] : servers.all()) {
    for (const std::string& pdu : PdusFeeding(server)) out[pdu][*server.outlet] = fqdn;
  }
  return out;
}

const Server* World::ServerOnOutlet(const std::string& pdu_name, const std::string& outlet) const {
  const Pdu* pdu = pdus.Find(pdu_name);
  if (!pdu) return nullptr;
  for (const auto& [fqdn, server] : servers.all()) {
    if (server.outlet == outlet && Feeds(*pdu, server)) return &server;
  }
  return nullptr;
}

std::set<ObjectRef> World::TakeChanges() {
  std::set<ObjectRef> out;
  out.swap(changes_);
  return out;
}

namespace {
template <typename T>
Json SerializeFrom(const Table<T>& table, const std::string& key) {
  const T* item = table.Find(key);
  return item ? Json(*item) : Json(nullptr);
}

template <typename T>
void LoadInto(Table<T>& table, const std::string& key, const Json& body) {
  table.Load(key, body.get<T>());
}
}  // namespace

namespace {
// Calls f(table_of_this, table_of_other) for the table of `kind` (not settings).
template <typename W, typename O, typename F>
void ForTable(W& world, O& other, Kind kind, F&& f) {
  switch (kind) {
    case Kind::kSettings: return;
    case Kind::kServer: return f(world.servers, other.servers);
    case Kind::kCluster: return f(world.clusters, other.clusters);
    case Kind::kVolume: return f(world.volumes, other.volumes);
    case Kind::kPresentations: return f(world.presentations, other.presentations);
    case Kind::kTarget: return f(world.targets, other.targets);
    case Kind::kMgt: return f(world.mgts, other.mgts);
    case Kind::kPdu: return f(world.pdus, other.pdus);
    case Kind::kController: return f(world.controllers, other.controllers);
    case Kind::kClient: return f(world.clients, other.clients);
    case Kind::kCopytool: return f(world.copytools, other.copytools);
    case Kind::kHsmCoordinator: return f(world.hsm_coordinators, other.hsm_coordinators);
  }
}
}  // namespace

std::shared_ptr<const World> World::Snapshot(const World* previous, const World& working,
                                             const std::set<ObjectRef>& changed) {
  auto snap = std::make_shared<World>();
  snap->settings_ = working.settings_;
  auto start = [&](auto& mine, const auto& theirs, const auto* before) {
    if (before) {
      mine.ShareAllOf(*before);
    } else {
      for (const auto& [key, value] : theirs.all()) mine.Load(key, value);
    }
  };
  auto before = [&](auto member) { return previous ? &(previous->*member) : nullptr; };
  start(snap->servers, working.servers, before(&World::servers));
  start(snap->clusters, working.clusters, before(&World::clusters));
  start(snap->volumes, working.volumes, before(&World::volumes));
  start(snap->presentations, working.presentations, before(&World::presentations));
  start(snap->targets, working.targets, before(&World::targets));
  start(snap->mgts, working.mgts, before(&World::mgts));
  start(snap->pdus, working.pdus, before(&World::pdus));
  start(snap->controllers, working.controllers, before(&World::controllers));
  start(snap->clients, working.clients, before(&World::clients));
  start(snap->copytools, working.copytools, before(&World::copytools));
  start(snap->hsm_coordinators, working.hsm_coordinators, before(&World::hsm_coordinators));
  if (previous) {
    for (const ObjectRef& ref : changed) {
      ForTable(*snap, working, ref.kind, [&](auto& mine, const auto& theirs) { mine.CopyOneFrom(theirs, ref.key); });
    }
  }
  return snap;
}

void World::RestoreFrom(const World& committed, const std::set<ObjectRef>& changed) {
  for (const ObjectRef& ref : changed) {
    if (ref.kind == Kind::kSettings) settings_ = committed.settings_;
    ForTable(*this, committed, ref.kind, [&](auto& mine, const auto& theirs) { mine.CopyOneFrom(theirs, ref.key); });
  }
  changes_.clear();
}

Json World::Serialize(const ObjectRef& ref) const {
  switch (ref.kind) {
    case Kind::kSettings: return Json(settings_);
    case Kind::kServer: return SerializeFrom(servers, ref.key);
    case Kind::kCluster: return SerializeFrom(clusters, ref.key);
    case Kind::kVolume: return SerializeFrom(volumes, ref.key);
    case Kind::kPresentations: return SerializeFrom(presentations, ref.key);
    case Kind::kTarget: return SerializeFrom(targets, ref.key);
    case Kind::kMgt: return SerializeFrom(mgts, ref.key);
    case Kind::kPdu: return SerializeFrom(pdus, ref.key);
    case Kind::kController: return SerializeFrom(controllers, ref.key);
    case Kind::kClient: return SerializeFrom(clients, ref.key);
    case Kind::kCopytool: return SerializeFrom(copytools, ref.key);
    case Kind::kHsmCoordinator: return SerializeFrom(hsm_coordinators, ref.key);
  }
  return nullptr;
}

Status World::Deserialize(Kind kind, const std::string& key, const Json& body) {
  try {
    switch (kind) {
      case Kind::kSettings: settings_ = body.get<SimSettings>(); break;
      case Kind::kServer: LoadInto(servers, key, body); break;
      case Kind::kCluster: LoadInto(clusters, key, body); break;
      case Kind::kVolume: LoadInto(volumes, key, body); break;
      case Kind::kPresentations: LoadInto(presentations, key, body); break;
      case Kind::kTarget: LoadInto(targets, key, body); break;
      case Kind::kMgt: LoadInto(mgts, key, body); break;
      case Kind::kPdu: LoadInto(pdus, key, body); break;
      case Kind::kController: LoadInto(controllers, key, body); break;
      case Kind::kClient: LoadInto(clients, key, body); break;
      case Kind::kCopytool: LoadInto(copytools, key, body); break;
      case Kind::kHsmCoordinator: LoadInto(hsm_coordinators, key, body); break;
    }
  } catch (const Json::exception& e) {
    return Status::Corruption(std::string(KindName(kind)) + " '" + key + "': " + e.what());
  }
  return Status::Ok();
}

void World::Clear() {
  changes_.clear();
  settings_before_.reset();
  settings_ = SimSettings();
  ForEachTable([](auto& table) { table.Clear(); });
}

}  // namespace cs
