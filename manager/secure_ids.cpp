#include "manager/secure_ids.h"

#include <openssl/rand.h>

#include <cstdio>
#include <stdexcept>
#include <vector>

namespace cs::manager {

namespace {
std::vector<unsigned char> RandomBytes(size_t n) {
  std::vector<unsigned char> out(n);
  // RAND_bytes only fails when the CSPRNG cannot be seeded: nothing sane
  // can go on then, so this is the one place that throws.
  if (RAND_bytes(out.data(), static_cast<int>(n)) != 1) {
    throw std::runtime_error("OpenSSL RAND_bytes failed");
  }
  return out;
}

std::string Hex(const std::vector<unsigned char>& bytes) {
  static const char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char b : bytes) {
    out += kDigits[b >> 4];
    out += kDigits[b & 15];
  }
  return out;
}
}  // namespace

std::string RandomHex(size_t bytes) { return Hex(RandomBytes(bytes)); }

std::string RandomUuid() {
  std::vector<unsigned char> b = RandomBytes(16);
  b[6] = static_cast<unsigned char>((b[6] & 0x0f) | 0x40);
  b[8] = static_cast<unsigned char>((b[8] & 0x3f) | 0x80);
  std::string hex = Hex(b);
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
         hex.substr(16, 4) + "-" + hex.substr(20);
}

}  // namespace cs::manager
