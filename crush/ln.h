// crush/ln: the fixed-point logarithm of straw2 buckets. CrushLn(u) is about
// 2^44 * log2(u + 1) for a 16-bit u, computed as Ceph computes it (a
// normalising shift, one reciprocal/log table lookup and one fine log table
// lookup), so that straw2 draws compare exactly as they do in Ceph.
#pragma once

#include <cstdint>

namespace cs::crush {

uint64_t CrushLn(uint32_t u);

// CrushLn(u) - 2^48 for every 16-bit u, computed once: the straw2 draw's
// numerator, looked up instead of recomputed (the mapper's hot loop).
const int64_t* Straw2LnTable();

// The three tables behind CrushLn, computed once from their definitions
// (ln.cpp says how, and where Ceph's shipped values depart from them).
struct LnTables {
  uint64_t reciprocal[129];  // ~ 2^48 / (1 + k/128)
  uint64_t coarse_log[129];  // ~ 2^48 * log2(1 + k/128)
  uint64_t fine_log[256];    // ~ 2^48 * log2(1 + k/2^15)
};
const LnTables& GetLnTables();

}  // namespace cs::crush
