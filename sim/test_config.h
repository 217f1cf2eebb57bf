// TestConfig: the integration-test configuration of the current fleet, in
// the shape of the original tests/simulator.json: the manager, the servers
// and workers with their device paths and profiles, Lustre clients, power
// control types, PDUs and outlets. An integration suite reads it to know
// what to register, which devices to format and how to fence.
#pragma once

#include "fakes/world.h"

namespace cs {

Json TestConfigJson(const World& world);

}  // namespace cs
