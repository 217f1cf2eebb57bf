// CreateBenchFleet: a new store in `dir` holding a fleet of `servers` servers
// in SUs of `su_size`, no workers, for the benchmarks that need a world and
// nothing else (commit_bench, poll_bench).
#pragma once

#include <memory>
#include <string>

#include "fakes/fleet.h"
#include "state/store.h"
#include "util/clock.h"

namespace cs::bench {

inline Result<std::unique_ptr<Store>> CreateBenchFleet(const std::string& dir, int servers, int su_size) {
  Store::Options options;
  options.mode = Store::Mode::kCreate;
  auto store = Store::Open(dir, options);
  if (!store.ok()) return store.status();
  SystemClock clock;
  FleetSpec spec;
  spec.server_count = servers;
  spec.su_size = su_size;
  spec.worker_count = 0;
  Status s = (*store)->Apply([&](World& w) { return SetupFleet(w, spec, clock); });
  if (!s.ok()) return s;
  return std::move(*store);
}

}  // namespace cs::bench
