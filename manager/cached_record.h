// CachedRecord: one of ManagerStore's in-memory JSON records, held either
// parsed (kinds read or compared on every agent report: host facts,
// targets) or packed as MessagePack (kinds written a few times and read
// rarely: commands, by the job runner and the REST API). A parsed
// nlohmann::json is a tree of maps and strings, about five times its text;
// a host's set-up command (3.4 KB of text) took about 17 KiB parsed, the
// largest per-host cost the manager kept after TLS (docs/performance.md).
// Packed, it is about its text's size, and each read parses it once.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "fakes/json_helpers.h"

namespace cs::manager {

class CachedRecord {
 public:
  // Whether records of `kind` are kept packed.
  static bool PackedKind(std::string_view kind);

  CachedRecord() = default;
  CachedRecord(Json doc, bool packed);

  // A copy of the document (a parse of the packed form).
  Json Get() const;
  // The document itself when held parsed (no copy); null when packed.
  const Json* Parsed() const { return is_packed_ ? nullptr : &parsed_; }
  bool SameAs(const Json& doc) const;
  // Bytes this record holds beyond the object itself when packed; 0 when parsed.
  size_t PackedBytes() const { return packed_.capacity(); }

 private:
  Json parsed_;
  std::vector<uint8_t> packed_;  // empty when parsed
  bool is_packed_ = false;
};

}  // namespace cs::manager
