#include "crush/hash.h"

namespace cs::crush {

namespace {

constexpr uint32_t kSeed = 1315423911u;
constexpr uint32_t kX = 231232u;
constexpr uint32_t kY = 1232u;

// Jenkins' 96-bit mix: three rounds of subtract, subtract, xor-shift.
inline void Mix(uint32_t& a, uint32_t& b, uint32_t& c) {
  a -= b; a -= c; a ^= c >> 13;
  b -= c; b -= a; b ^= a << 8;
  c -= a; c -= b; c ^= b >> 13;
  a -= b; a -= c; a ^= c >> 12;
  b -= c; b -= a; b ^= a << 16;
  c -= a; c -= b; c ^= b >> 5;
  a -= b; a -= c; a ^= c >> 3;
  b -= c; b -= a; b ^= a << 10;
  c -= a; c -= b; c ^= b >> 15;
}

}  // namespace

uint32_t Hash32(int type, uint32_t a) {
  if (type != kHashRjenkins1) return 0;
  uint32_t hash = kSeed ^ a, b = a, x = kX, y = kY;
  Mix(b, x, hash);
  Mix(y, a, hash);
  return hash;
}

uint32_t Hash32(int type, uint32_t a, uint32_t b) {
  if (type != kHashRjenkins1) return 0;
  uint32_t hash = kSeed ^ a ^ b, x = kX, y = kY;
  Mix(a, b, hash);
  Mix(x, a, hash);
  Mix(b, y, hash);
  return hash;
}

uint32_t Hash32(int type, uint32_t a, uint32_t b, uint32_t c) {
  if (type != kHashRjenkins1) return 0;
  uint32_t hash = kSeed ^ a ^ b ^ c, x = kX, y = kY;
  Mix(a, b, hash);
  Mix(c, x, hash);
  Mix(y, a, hash);
  Mix(b, x, hash);
  Mix(y, c, hash);
  return hash;
}

uint32_t Hash32(int type, uint32_t a, uint32_t b, uint32_t c, uint32_t d) {
  if (type != kHashRjenkins1) return 0;
  uint32_t hash = kSeed ^ a ^ b ^ c ^ d, x = kX, y = kY;
  Mix(a, b, hash);
  Mix(c, d, hash);
  Mix(a, x, hash);
  Mix(y, b, hash);
  Mix(c, x, hash);
  Mix(y, d, hash);
  return hash;
}

uint32_t Hash32(int type, uint32_t a, uint32_t b, uint32_t c, uint32_t d, uint32_t e) {
  if (type != kHashRjenkins1) return 0;
  uint32_t hash = kSeed ^ a ^ b ^ c ^ d ^ e, x = kX, y = kY;
  Mix(a, b, hash);
  Mix(c, d, hash);
  Mix(e, x, hash);
  Mix(y, a, hash);
  Mix(b, x, hash);
  Mix(y, c, hash);
  Mix(d, x, hash);
  Mix(y, e, hash);
  return hash;
}

}  // namespace cs::crush
