#include "fakes/world.h"

namespace cs {

const std::vector<Kind>& AllKinds() {
  static const std::vector<Kind> kinds = {Kind::kSettings, Kind::kServer,  Kind::kCluster,
                                          Kind::kVolume,   Kind::kPresentations,
                                          Kind::kTarget,   Kind::kMgt,     Kind::kPdu,
                                          Kind::kController, Kind::kClient,
                                          Kind::kCopytool};
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
      copytools(Kind::kCopytool, &changes_) {}

SimSettings& World::mutable_settings() {
  changes_.insert(ObjectRef{Kind::kSettings, kSettingsKey});
  return settings_;
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
    if (pdu.OutletOn(*server.outlet)) return true;
  }
  return false;
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
    }
  } catch (const Json::exception& e) {
    return Status::Corruption(std::string(KindName(kind)) + " '" + key + "': " + e.what());
  }
  return Status::Ok();
}

void World::Clear() {
  changes_.clear();
  settings_ = SimSettings();
  servers.Clear();
  clusters.Clear();
  volumes.Clear();
  presentations.Clear();
  targets.Clear();
  mgts.Clear();
  pdus.Clear();
  controllers.Clear();
  clients.Clear();
  copytools.Clear();
}

}  // namespace cs
