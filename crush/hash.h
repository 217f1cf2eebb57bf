// crush/hash: Robert Jenkins' 32-bit integer mix as CRUSH uses it
// ("rjenkins1", hash type 0): every pseudo-random choice of the mapper is one
// of these hashes of the input x, an item or bucket id and the replica rank r.
#pragma once

#include <cstdint>

namespace cs::crush {

constexpr int kHashRjenkins1 = 0;

// Hashes of 1..5 words. A bucket names its hash type; any type but
// rjenkins1 hashes to 0, as Ceph's does.
uint32_t Hash32(int type, uint32_t a);
uint32_t Hash32(int type, uint32_t a, uint32_t b);
uint32_t Hash32(int type, uint32_t a, uint32_t b, uint32_t c);
uint32_t Hash32(int type, uint32_t a, uint32_t b, uint32_t c, uint32_t d);
uint32_t Hash32(int type, uint32_t a, uint32_t b, uint32_t c, uint32_t d, uint32_t e);

}  // namespace cs::crush
