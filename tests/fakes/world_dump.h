// DumpWorld: every object of a World as one JSON document, for tests that
// compare two worlds or check that nothing changed.
#pragma once

#include "fakes/world.h"

namespace cs::testing {

inline Json DumpWorld(const World& w) {
  Json out = Json::object();
  out["settings"] = w.settings();
  auto add = [&](const char* name, const auto& table) {
    for (const auto& [key, value] : table.all()) out[name][key] = value;
  };
  add("servers", w.servers);
  add("clusters", w.clusters);
  add("volumes", w.volumes);
  add("presentations", w.presentations);
  add("targets", w.targets);
  add("mgts", w.mgts);
  add("pdus", w.pdus);
  add("controllers", w.controllers);
  add("clients", w.clients);
  add("copytools", w.copytools);
  return out;
}

}  // namespace cs::testing
