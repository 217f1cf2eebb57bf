// World: the whole simulated world in memory: settings, servers, clusters,
// volumes and their presentations, Lustre targets, MGTs, PDUs, controllers
// Lustre clients and HSM copytools. Each is an "object" with a kind and a key, the unit the
// store persists. Mutable access marks an object changed; the store writes
// exactly the changed objects in one transaction per logical operation
// (see state/store.h), so an operation is either saved whole or not at all.
#pragma once

#include <compare>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "fakes/cluster.h"
#include "fakes/controller.h"
#include "fakes/copytool.h"
#include "fakes/devices.h"
#include "fakes/json_helpers.h"
#include "fakes/lustre_client.h"
#include "fakes/pdu.h"
#include "fakes/server.h"
#include "fakes/settings.h"
#include "util/status.h"

namespace cs {

enum class Kind {
  kSettings,
  kServer,
  kCluster,
  kVolume,
  kPresentations,
  kTarget,
  kMgt,
  kPdu,
  kController,
  kClient,
  kCopytool,
};
// Every kind, in the order objects are loaded (settings first).
const std::vector<Kind>& AllKinds();
// The store's table name of a kind: "servers", "clusters", ...
const char* KindName(Kind kind);

struct ObjectRef {
  Kind kind;
  std::string key;
  auto operator<=>(const ObjectRef&) const = default;
};

// A keyed collection of one kind that records which keys changed.
template <typename T>
class Table {
 public:
  Table(Kind kind, std::set<ObjectRef>* changes) : kind_(kind), changes_(changes) {}
  Table(const Table&) = delete;
  Table& operator=(const Table&) = delete;

  const std::map<std::string, T>& all() const { return items_; }
  size_t size() const { return items_.size(); }
  bool contains(const std::string& key) const { return items_.count(key) != 0; }
  const T* Find(const std::string& key) const {
    auto it = items_.find(key);
    return it == items_.end() ? nullptr : &it->second;
  }
  // Marks the object changed: only call when about to change it.
  T* Mutable(const std::string& key) {
    auto it = items_.find(key);
    if (it == items_.end()) return nullptr;
    Touch(key);
    return &it->second;
  }
  T& Put(const std::string& key, T value) {
    Touch(key);
    return items_[key] = std::move(value);
  }
  void Erase(const std::string& key) {
    if (items_.erase(key)) Touch(key);
  }
  void Touch(const std::string& key) { changes_->insert(ObjectRef{kind_, key}); }
  // Loading from the store: no change recorded.
  void Load(const std::string& key, T value) { items_[key] = std::move(value); }
  void Clear() { items_.clear(); }

 private:
  Kind kind_;
  std::set<ObjectRef>* changes_;
  std::map<std::string, T> items_;
};

class World {
 public:
  World();
  World(const World&) = delete;
  World& operator=(const World&) = delete;

  const SimSettings& settings() const { return settings_; }
  SimSettings& mutable_settings();

  Table<Server> servers;
  Table<Cluster> clusters;        // key: cluster id as decimal text
  Table<Volume> volumes;          // key: serial
  Table<Presentations> presentations;  // key: fqdn
  Table<LustreTarget> targets;    // key: serial of the volume it is on
  Table<Mgt> mgts;                // key: mgsnode
  Table<Pdu> pdus;                // key: name
  Table<Controller> controllers;  // key: controller id as decimal text
  Table<LustreClient> clients;    // key: address
  Table<Copytool> copytools;      // key: copytool id

  // The cluster a (non-worker) server belongs to: id / cluster_size, or
  // spread over racks (fakes/topology.h).
  int ClusterIdOf(const Server& server) const;
  const Cluster* ClusterOf(const Server& server) const;
  Cluster* MutableClusterOf(const Server& server);
  const Server* FindServerByNodename(const std::string& nodename) const;
  // Whether at least one of the server's outlets is on (workers: always).
  bool HasPower(const Server& server) const;

  // Objects changed since the last call, and forgets them.
  std::set<ObjectRef> TakeChanges();
  bool HasChanges() const { return !changes_.empty(); }
  // The stored JSON of an object, or null when it does not exist.
  Json Serialize(const ObjectRef& ref) const;
  // Loads one object read from the store (no change recorded).
  Status Deserialize(Kind kind, const std::string& key, const Json& body);
  // Drops everything (for reloading after a failed commit).
  void Clear();

 private:
  std::set<ObjectRef> changes_;
  SimSettings settings_;
};

// The key under which the settings object is stored.
constexpr const char* kSettingsKey = "simulator";

}  // namespace cs
