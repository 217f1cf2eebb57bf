// Invariants: the rules a consistent simulated world always satisfies. The
// checker is used by `cluster-sim check`, by tests after every operation, and
// by fault scenarios after every step. Each violation is one sentence a
// person can act on.
#pragma once

#include <string>
#include <vector>

#include "fakes/world.h"

namespace cs {

std::vector<std::string> CheckInvariants(const World& world);

}  // namespace cs
