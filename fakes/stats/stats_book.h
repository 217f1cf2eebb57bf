// StatsBook: the statistics of every simulated server and Lustre target,
// each drifting on a random stream of its own, seeded from the fleet's seed
// and its identity (a target's label and uuid, a server's fqdn). A series
// depends only on that seed, that identity and how many polls read it, so a
// run replays whatever order the agents poll in, and another target's
// polls never shift it.
//
// One book serves the whole fleet, as the original kept statistics with the
// target on the shared storage: a target that fails over continues its
// series on its new server, and a server's counters outlive an agent
// restart or a reboot. Not persisted: a daemon restart starts every series
// again from its template (a counter reset, as a remount gives on a real
// server).
//
// Thread-safe: agents poll from several io threads. The book's lock guards
// which series exist, each series' lock its drift; both are leaves.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "fakes/devices.h"
#include "fakes/json_helpers.h"
#include "util/clock.h"
#include "util/random.h"

namespace cs {

class StatsBook {
 public:
  explicit StatsBook(uint64_t seed) : seed_(seed) {}
  StatsBook(const StatsBook&) = delete;
  StatsBook& operator=(const StatsBook&) = delete;

  // kNext: the reading after one more poll's drift (what a poll reports).
  // kPeek: the reading as it stands, the series unchanged (what the
  // device_plugin action reports, so the manager's reads never shift a poll's).
  enum class Read { kNext, kPeek };

  // The stats of `target`, formatted on a volume of `volume_bytes`.
  Json Target(const LustreTarget& target, int64_t volume_bytes, WallTime now, Read read = Read::kNext);
  // The node stats of server `fqdn`.
  Json Node(const std::string& fqdn, Read read = Read::kNext);

 private:
  struct Series {
    Series(Json start, Random stream) : stats(std::move(start)), random(std::move(stream)) {}
    std::mutex mu;
    Json stats;  // guarded by mu, as is random
    Random random;
  };
  using Book = std::map<std::string, std::unique_ptr<Series>>;

  // The series under `key`, made by `start` the first time.
  template <typename Start>
  Series& SeriesFor(Book& book, const std::string& key, Start start);

  const uint64_t seed_;
  std::mutex mu_;  // guards targets_ and nodes_ (not the series in them)
  Book targets_;
  Book nodes_;
};

}  // namespace cs
