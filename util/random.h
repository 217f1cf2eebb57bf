// Random: the seeded random source of the simulation. Fakes never call rand()
// or std::random_device; they take a Random, so a run is repeatable from its
// seed. The generator and the range mapping are our own (splitmix64 +
// xoshiro256**, Lemire's method) so sequences are identical on every
// standard library, unlike std::uniform_int_distribution.
#pragma once

#include <cstdint>
#include <string>

namespace cs {

class Random {
 public:
  explicit Random(uint64_t seed);
  // A generator for a named sub-stream ("test003.localdomain/stats"); the
  // same seed and name always give the same sequence, independent of how
  // many numbers other streams drew.
  static Random ForStream(uint64_t seed, const std::string& name);

  uint64_t Next();
  // Uniform in [lo, hi], both inclusive. Requires lo <= hi.
  int64_t Uniform(int64_t lo, int64_t hi);
  // A random version-4 UUID in the usual text form.
  std::string Uuid();
  // How many numbers were drawn so far (whether a user of the stream
  // consumed any randomness at all).
  uint64_t draws() const { return draws_; }

 private:
  uint64_t s_[4];
  uint64_t draws_ = 0;
};

// value moved by a uniform step in [-max_step, max_step], clamped to
// [lo, hi] (the original simulator's "perturb").
int64_t Perturb(Random& random, int64_t value, int64_t max_step, int64_t lo, int64_t hi);

}  // namespace cs
