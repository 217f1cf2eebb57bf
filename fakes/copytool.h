// Copytool: an HSM copytool the manager configured on a worker
// (configure_copytool), kept as the original's fake_hsm_copytool-<id>.json
// kept it: the agent's keyword arguments as given, the worker it lives on,
// and whether it is running (start/stop_monitored_copytool). Moving data
// for a coordinator is not simulated here.
#pragma once

#include <optional>
#include <string>

#include "fakes/json_helpers.h"

namespace cs {

struct Copytool {
  std::string id;
  std::string server;    // fqdn of the worker it is configured on
  Json copytool = Json::object();  // configure_copytool's arguments, by name
  bool running = false;
  std::optional<std::string> uuid;  // given by a coordinator on registration

  bool operator==(const Copytool&) const = default;
};

inline void to_json(Json& j, const Copytool& c) {
  j = Json{{"copytool", c.copytool}, {"server", c.server}, {"running", c.running},
           {"uuid", c.uuid}};
}

// Reads the original's layout too: there the id lives only inside "copytool".
inline void from_json(const Json& j, Copytool& c) {
  c.copytool = j.at("copytool");
  if (!c.copytool.is_object()) {
    throw Json::type_error::create(302, "\"copytool\" must be an object", &j);
  }
  c.id = c.copytool.at("id").get<std::string>();
  c.server = j.at("server").get<std::string>();
  c.running = j.value("running", false);
  c.uuid = j.value("uuid", std::optional<std::string>{});
}

}  // namespace cs
