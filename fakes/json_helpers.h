// JSON helpers shared by the fakes: std::optional as JSON null, and the
// NLOHMANN macros' includes. Every fake is a plain struct that serialises to
// the same keys the original Python simulator wrote, so the store and the
// `state export` view speak one format.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>

namespace nlohmann {
template <typename T>
struct adl_serializer<std::optional<T>> {
  static void to_json(json& j, const std::optional<T>& value) {
    if (value) {
      j = *value;
    } else {
      j = nullptr;
    }
  }
  static void from_json(const json& j, std::optional<T>& value) {
    if (j.is_null()) {
      value.reset();
    } else {
      value = j.get<T>();
    }
  }
};
}  // namespace nlohmann

namespace cs {
using Json = nlohmann::json;
}  // namespace cs
