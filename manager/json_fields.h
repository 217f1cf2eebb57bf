// The manager's stores read the fields of agents' JSON reports leniently: a
// missing or null field is "" or 0 and a non-string is kept as its JSON
// text, so one odd field never loses a record; and an empty text goes back
// out as null. One definition for every store in manager/.
#pragma once

#include <cstdint>
#include <string>

#include "fakes/json_helpers.h"

namespace cs::manager {

// Field `key` of `j` as text ("" when missing or null), without copying a
// string value twice (the log journal's hot path).
inline std::string FieldText(const Json& j, const char* key) {
  const auto it = j.find(key);
  if (it == j.end() || it->is_null()) return "";
  if (it->is_string()) return it->get_ref<const std::string&>();
  return it->dump();
}

// Field `key` of `j` as an integer (0 when missing or not an integer).
inline int64_t FieldInt(const Json& j, const char* key) {
  const auto it = j.find(key);
  return it != j.end() && it->is_number_integer() ? it->get<int64_t>() : 0;
}

// An empty text as JSON null, any other as a JSON string.
inline Json NullIfEmpty(const std::string& s) { return s.empty() ? Json() : Json(s); }

}  // namespace cs::manager
