#include "manager/cached_record.h"

namespace cs::manager {

bool CachedRecord::PackedKind(std::string_view kind) { return kind == "command"; }

CachedRecord::CachedRecord(Json doc, bool packed) : is_packed_(packed) {
  if (!packed) {
    parsed_ = std::move(doc);
    return;
  }
  packed_ = Json::to_msgpack(doc);
  packed_.shrink_to_fit();
}

Json CachedRecord::Get() const {
  if (!is_packed_) return parsed_;
  // Written by to_msgpack above: it always parses.
  return Json::from_msgpack(packed_);
}

bool CachedRecord::SameAs(const Json& doc) const {
  if (!is_packed_) return parsed_ == doc;
  return Json::to_msgpack(doc) == packed_;
}

}  // namespace cs::manager
