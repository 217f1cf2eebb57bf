#include "crush/ln.h"

#include <cmath>
#include <numbers>
#include <vector>

namespace cs::crush {

namespace {

// floor(2^48 * log2(1 + t)), through log1p so that small t keep their
// precision; an 80-bit long double leaves ~2^-15 of slack at 2^48, and no
// entry of either table lies that close to an integer.
uint64_t FloorLog2Scaled(long double t) {
  const long double scale = 281474976710656.0L / std::numbers::ln2_v<long double>;
  return static_cast<uint64_t>(std::floor(std::log1p(t) * scale));
}

// Ceph's compiled-in fine table (crush_ln_table.h, identical in the Linux
// kernel) is not the floor of its stated definition at most entries: it
// carries an offset, the same 0x147700000 for most k >= 2 and other values
// at a few k. Mappings depend on it bit for bit, so these departures are
// interoperability constants, found by comparing the definition with the
// table and confirmed by the crushtool comparison tests (tests/crush/):
// without them straw2 choices differ from Ceph's.
constexpr int64_t kFineOffset = 0x147700000;
struct Departure {
  uint8_t k;
  int64_t offset;
};
constexpr Departure kFineDepartures[] = {
    {56, 5349423536}, {127, 978272901},  {134, 3588789669}, {181, 4007963589}, {184, 5423282367},
    {188, 2201924427}, {193, 3829329171}, {198, 2511158322}, {199, 2670353280}, {200, 3807665765},
    {203, 0},          {207, 5045407031}, {210, 4635559696}, {212, 3670382108}, {216, 0},
    {222, 0},          {225, 3209098745}, {227, 1514328394}, {228, 2662093655}, {229, 561838844},
    {231, 3537203772}, {233, 0},          {235, 4861921003}, {236, 5281046906}, {237, 0},
    {238, 0},          {239, 0},          {240, 2650193885}, {241, 4203558265}, {243, 0},
    {244, 0},          {245, 0},          {246, 0},          {247, 362109528},  {248, 0},
    {249, 0},          {250, 0},          {251, 0},          {252, 0},          {253, 0},
    {254, 0},          {255, 0},
};

LnTables Compute() {
  LnTables t{};
  for (int k = 0; k <= 128; ++k) {
    // ceil(2^48 / (1 + k/128)) = ceil(2^55 / (128 + k)), exactly.
    const uint64_t d = 128 + static_cast<uint64_t>(k);
    t.reciprocal[k] = ((uint64_t{1} << 55) + d - 1) / d;
    t.coarse_log[k] = FloorLog2Scaled(static_cast<long double>(k) / 128.0L);
  }
  // log2(2) is exactly 1: Ceph stores 2^48 - 2^32 there.
  t.coarse_log[128] = (uint64_t{1} << 48) - (uint64_t{1} << 32);
  for (int k = 0; k < 256; ++k) {
    int64_t offset = k >= 2 ? kFineOffset : 0;
    for (const Departure& d : kFineDepartures) {
      if (d.k == k) offset = d.offset;
    }
    t.fine_log[k] = FloorLog2Scaled(static_cast<long double>(k) / 32768.0L) + static_cast<uint64_t>(offset);
  }
  return t;
}

}  // namespace

const LnTables& GetLnTables() {
  static const LnTables tables = Compute();
  return tables;
}

uint64_t CrushLn(uint32_t u) {
  const LnTables& t = GetLnTables();
  uint32_t x = u + 1;
  // Normalise x into [2^15, 2^16]; the shift is the integer part of log2.
  int exponent = 15;
  while (!(x & 0x18000)) {
    x <<= 1;
    --exponent;
  }
  const unsigned k = (x >> 8) - 128;  // coarse index, 0..128
  // x / (1 + k/128) lies in [2^15, 2^15 + 2^8): its low byte indexes the fine table.
  const uint64_t scaled = (static_cast<uint64_t>(x) * t.reciprocal[k]) >> 48;
  const uint64_t fraction = (t.coarse_log[k] + t.fine_log[scaled & 0xff]) >> 4;
  return (static_cast<uint64_t>(exponent) << 44) + fraction;
}

const int64_t* Straw2LnTable() {
  static const std::vector<int64_t> table = [] {
    std::vector<int64_t> t(0x10000);
    for (uint32_t u = 0; u < 0x10000; ++u) t[u] = static_cast<int64_t>(CrushLn(u)) - 0x1000000000000LL;
    return t;
  }();
  return table.data();
}

}  // namespace cs::crush
