// HsmRequest: one HSM action a coordinator hands a copytool (ARCHIVE,
// RESTORE or REMOVE of a file), and the random requests the original's
// coordinator invented to keep its copytools busy: paths built from its
// list of directory names, sizes from 1 KiB to 2 TiB clustered around
// 51 GiB (a triangular distribution), FIDs of the form 0x<seq>:0x<oid>:0x0.
#pragma once

#include <cstdint>
#include <string>

#include "util/random.h"

namespace cs {

struct HsmRequest {
  std::string action;  // ARCHIVE, RESTORE or REMOVE
  std::string path;
  int64_t total_bytes = 0;
  int64_t current_bytes = 0;
  std::string fid;

  bool operator==(const HsmRequest&) const = default;
};

// A uniform double in [0, 1) from the seeded source.
double UniformUnit(Random& random);
// Python's random.triangular(low, high, mode), from `random`.
double Triangular(Random& random, double low, double high, double mode);

std::string RandomHsmPath(Random& random);
int64_t RandomHsmFileSize(Random& random);
std::string RandomHsmFid(Random& random);
HsmRequest RandomHsmRequest(Random& random);

}  // namespace cs
