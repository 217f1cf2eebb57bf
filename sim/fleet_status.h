// FleetStatus: what `cluster-sim status` shows: servers, clusters, volumes,
// controllers and PDUs with power and registration, as JSON (for tools) and
// as aligned text tables (for people). Built from the World alone.
#pragma once

#include <string>

#include "fakes/world.h"

namespace cs {

Json FleetStatusJson(const World& world);
std::string FleetStatusText(const World& world);

}  // namespace cs
