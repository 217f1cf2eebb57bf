#include "fakes/stats/stats_book.h"

#include "fakes/stats/node_stats.h"
#include "fakes/stats/target_stats.h"

namespace cs {

namespace {
std::string TargetKey(const LustreTarget& t) { return t.label + "/" + t.uuid; }
}  // namespace

template <typename Start>
StatsBook::Series& StatsBook::SeriesFor(Book& book, const std::string& key, Start start) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = book.find(key);
  if (it == book.end()) it = book.emplace(key, start()).first;
  return *it->second;  // series are never removed: the reference stays good
}

Json StatsBook::Target(const LustreTarget& target, int64_t volume_bytes, WallTime now, Read read) {
  const TargetKind kind = TargetKindOf(target.label);
  const std::string key = TargetKey(target);
  Series& series = SeriesFor(targets_, key, [&] {
    return std::make_unique<Series>(InitialTargetStats(kind, volume_bytes),
                                    Random::ForStream(seed_, "stats/target/" + key));
  });
  std::lock_guard<std::mutex> lock(series.mu);
  if (read == Read::kNext) {
    DriftTargetStats(kind, series.stats, series.random, now);
  }
  return ReportTargetStats(kind, series.stats);
}

Json StatsBook::Node(const std::string& fqdn, Read read) {
  Series& series = SeriesFor(nodes_, fqdn, [&] {
    return std::make_unique<Series>(InitialNodeStats(fqdn), Random::ForStream(seed_, "stats/node/" + fqdn));
  });
  std::lock_guard<std::mutex> lock(series.mu);
  if (read == Read::kNext) {
    DriftNodeStats(series.stats, series.random);
  }
  return series.stats;
}

}  // namespace cs
