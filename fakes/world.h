// World: the whole simulated world in memory: settings, servers, clusters,
// volumes and their presentations, Lustre targets, MGTs, PDUs, controllers
// Lustre clients, HSM copytools and coordinators. Each is an "object" with a kind and a key, the unit the
// store persists. Mutable access marks an object changed; the store writes
// exactly the changed objects in one transaction per logical operation
// (see state/store.h), so an operation is either saved whole or not at all.
#pragma once

#include <compare>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "fakes/cluster.h"
#include "fakes/controller.h"
#include "fakes/copytool.h"
#include "fakes/devices.h"
#include "fakes/hsm/coordinator_record.h"
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
  kHsmCoordinator,
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

// A keyed collection of one kind that records which keys changed. Each
// object lives on the heap behind a shared_ptr, so a read-only snapshot of
// the world (World::Snapshot) can share every object it did not change with
// the snapshot before it, and the map of a table it did not change at all
// (copy on write: a snapshot's table is copied only when a change is
// copied into it). The working world never shares its objects or maps, so
// a pointer from Find() sees every later change made through Mutable().
template <typename T>
class Table {
  using Items = std::map<std::string, std::shared_ptr<T>>;

 public:
  // Every object by key, in key order; iterates as (key, object) pairs,
  // like the std::map<std::string, T> it stands for.
  class View {
   public:
    class iterator {
     public:
      using value_type = std::pair<const std::string&, const T&>;
      using difference_type = std::ptrdiff_t;
      iterator() = default;
      explicit iterator(typename Items::const_iterator it) : it_(it) {}
      value_type operator*() const { return {it_->first, *it_->second}; }
      iterator& operator++() {
        ++it_;
        return *this;
      }
      iterator operator++(int) {
        iterator before = *this;
        ++it_;
        return before;
      }
      bool operator==(const iterator&) const = default;

     private:
      typename Items::const_iterator it_;
    };
    explicit View(const Items& items) : items_(&items) {}
    iterator begin() const { return iterator(items_->begin()); }
    iterator end() const { return iterator(items_->end()); }
    size_t size() const { return items_->size(); }
    bool empty() const { return items_->empty(); }
    bool operator==(const View& other) const {
      if (size() != other.size()) return false;
      for (auto a = begin(), b = other.begin(); a != end(); ++a, ++b) {
        if ((*a).first != (*b).first || !((*a).second == (*b).second)) return false;
      }
      return true;
    }

   private:
    const Items* items_;
  };

  Table(Kind kind, std::set<ObjectRef>* changes)
      : kind_(kind), changes_(changes), items_(std::make_shared<Items>()) {}
  Table(const Table&) = delete;
  Table& operator=(const Table&) = delete;

  View all() const { return View(*items_); }
  size_t size() const { return items_->size(); }
  bool contains(const std::string& key) const { return items_->count(key) != 0; }
  const T* Find(const std::string& key) const {
    auto it = items_->find(key);
    return it == items_->end() ? nullptr : it->second.get();
  }
  // Marks the object changed: only call when about to change it.
  T* Mutable(const std::string& key) {
    auto it = items_->find(key);
    if (it == items_->end()) return nullptr;
    Touch(key);
    return it->second.get();
  }
  T& Put(const std::string& key, T value) {
    Touch(key);
    auto& slot = (*items_)[key];
    if (slot) {
      *slot = std::move(value);  // pointers from Find() stay valid
    } else {
      slot = std::make_shared<T>(std::move(value));
    }
    return *slot;
  }
  void Erase(const std::string& key) {
    if (!items_->count(key)) return;
    Touch(key);
    items_->erase(key);
  }
  // Before every change: records it, and, while undo is kept, what the
  // object was before its first change since ForgetUndo().
  void Touch(const std::string& key) {
    if (keep_undo_ && !undo_.count(key)) {
      auto it = items_->find(key);
      undo_.emplace(key, it == items_->end() ? nullptr : std::make_shared<T>(*it->second));
    }
    changes_->insert(ObjectRef{kind_, key});
  }
  // Loading from the store: no change recorded.
  void Load(const std::string& key, T value) { (*items_)[key] = std::make_shared<T>(std::move(value)); }
  void Clear() {
    items_->clear();
    undo_.clear();
  }

  // The undo log (World::KeepUndo): puts back every object changed since
  // ForgetUndo() as it was before, or forgets those before-images.
  void KeepUndo() { keep_undo_ = true; }
  void Undo() {
    for (auto& [key, before] : undo_) {
      if (before) {
        (*items_)[key] = std::move(before);
      } else {
        items_->erase(key);
      }
    }
    undo_.clear();
  }
  void ForgetUndo() { undo_.clear(); }

  // For snapshots and undo: share every object of `other` (a snapshot's
  // immutable objects) and its map itself, in O(1); or copy one object
  // from `from` (absent: erase), which first gives this table a map of its
  // own when it shares one. No change recorded.
  void ShareAllOf(const Table& other) { items_ = other.items_; }
  void CopyOneFrom(const Table& from, const std::string& key) {
    const T* item = from.Find(key);
    Items& items = OwnItems();
    if (item) {
      items[key] = std::make_shared<T>(*item);
    } else {
      items.erase(key);
    }
  }
  // Whether this table and `other` are one map (a snapshot's table that
  // its commit did not change, shared with the snapshot before it).
  bool SharesMapWith(const Table& other) const { return items_ == other.items_; }

 private:
  // Copy on write. A count of 1 is exact: only the holder of a reference
  // can make another, and this table is the one holder.
  Items& OwnItems() {
    if (items_.use_count() != 1) items_ = std::make_shared<Items>(*items_);
    return *items_;
  }

  Kind kind_;
  std::set<ObjectRef>* changes_;
  std::shared_ptr<Items> items_;  // never null
  bool keep_undo_ = false;
  std::map<std::string, std::shared_ptr<T>> undo_;  // key -> before its first change (null: absent)
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
  Table<HsmCoordinatorRecord> hsm_coordinators;  // key: filesystem name

  // The cluster a (non-worker) server belongs to: id / cluster_size, or
  // spread over racks (fakes/topology.h).
  int ClusterIdOf(const Server& server) const;
  const Cluster* ClusterOf(const Server& server) const;
  Cluster* MutableClusterOf(const Server& server);
  const Server* FindServerByNodename(const std::string& nodename) const;
  // Whether at least one of the server's outlets is on (workers: always).
  bool HasPower(const Server& server) const;
  // Whether `pdu` feeds `server` through the server's outlet (Server::pdus).
  static bool Feeds(const Pdu& pdu, const Server& server);
  // The names of the PDUs feeding a server, in name order.
  std::vector<std::string> PdusFeeding(const Server& server) const;
  // The server plugged into outlet `outlet` of PDU `pdu`, or null.
  const Server* ServerOnOutlet(const std::string& pdu, const std::string& outlet) const;
  // The failed controller owning volume `serial`, or null: a volume is
  // absent from every server while its controller is failed.
  const Controller* FailedControllerOf(const std::string& serial) const;
  bool VolumePresent(const std::string& serial) const { return FailedControllerOf(serial) == nullptr; }
  // Every server's sockets in one pass: PDU -> outlet -> fqdn.
  std::map<std::string, std::map<std::string, std::string>> OutletWiring() const;

  // Objects changed since the last call, and forgets them.
  std::set<ObjectRef> TakeChanges();
  // The store's working world keeps an undo log: a copy of each object as
  // it was before its first change since ForgetUndo() (what an operation
  // changes is copied once either way), so a failed operation is undone
  // alone, UndoOperation(), without a snapshot of the world per operation.
  void KeepUndo();
  // Puts back every object changed since ForgetUndo() and forgets the
  // changes (none recorded).
  void UndoOperation();
  void ForgetUndo();
  bool HasChanges() const { return !changes_.empty(); }
  // The stored JSON of an object, or null when it does not exist.
  Json Serialize(const ObjectRef& ref) const;
  // Loads one object read from the store (no change recorded).
  Status Deserialize(Kind kind, const std::string& key, const Json& body);
  // Drops everything (for reloading).
  void Clear();

  // A read-only copy of `working` as it is now, for readers that must not
  // wait for writers (a poll rendering DATA). Built from `previous`, the
  // snapshot before it (null: copy everything): objects not in `changed`
  // are shared with it, those in `changed` are copied from `working`. Costs
  // one map copy per kind that changed (a kind with no change shares the
  // map of `previous`) plus one object copy per change.
  static std::shared_ptr<const World> Snapshot(const World* previous, const World& working,
                                               const std::set<ObjectRef>& changed);
  // Undoes an operation: the objects in `changed` become what `committed`
  // (the last snapshot) has, and no change is recorded.
  void RestoreFrom(const World& committed, const std::set<ObjectRef>& changed);

 private:
  // Calls f(table) for every table.
  template <typename F>
  void ForEachTable(F&& f);

  std::set<ObjectRef> changes_;
  SimSettings settings_;
  bool keep_undo_ = false;
  std::optional<SimSettings> settings_before_;  // the undo log's settings
};

// The key under which the settings object is stored.
constexpr const char* kSettingsKey = "simulator";

}  // namespace cs
