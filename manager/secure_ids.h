// Unguessable identifiers for the manager: registration token secrets, web
// session ids, CSRF tokens and agent session ids. They come from OpenSSL's
// CSPRNG, never from the simulation's seeded cs::Random, because a peer
// that could predict them could register hosts or hijack a login.
#pragma once

#include <string>

namespace cs::manager {

// `bytes` random bytes as lower-case hex (2 * bytes characters).
std::string RandomHex(size_t bytes);
// A random version-4 UUID in the usual text form.
std::string RandomUuid();

}  // namespace cs::manager
