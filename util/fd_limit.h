// RaiseOpenFileLimit: lifts the process's soft limit on open files to its
// hard limit. A simulated agent holds two connections and the manager two
// per agent, so a fleet of thousands needs far more than the usual soft
// limit of 1024; the hard limit is what the administrator allows.
#pragma once

#include <cstdint>

namespace cs {

// Returns the soft limit now in force (unchanged when raising failed).
uint64_t RaiseOpenFileLimit();

}  // namespace cs
