// Reading a scenario's `world:` map (see world_request.h).
#include "scenarios/world_request.h"

#include <map>
#include <regex>

namespace cs::scenarios {

namespace {

struct IntKey {
  int min;
  int max;
  std::optional<int> FleetSpec::*field;
};

const std::map<std::string, IntKey>& IntKeys() {
  static const std::map<std::string, IntKey> keys = {
      {"server_count", {1, 10000, &FleetSpec::server_count}}, {"cluster_size", {1, 64, &FleetSpec::cluster_size}},
      {"psu_count", {1, 8, &FleetSpec::psu_count}},          {"su_size", {0, 10000, &FleetSpec::su_size}},
      {"volume_count", {1, 100000, &FleetSpec::volume_count}}, {"rack_size", {0, 10000, &FleetSpec::rack_size}},
      {"racks_per_row", {0, 10000, &FleetSpec::racks_per_row}}};
  return keys;
}

}  // namespace

const std::vector<std::string>& WorldRequestKeys() {
  static const std::vector<std::string> keys = [] {
    std::vector<std::string> k;
    for (const auto& [name, def] : IntKeys()) k.push_back(name);
    k.push_back("cluster_spread");
    k.push_back("placement");
    return k;
  }();
  return keys;
}

Result<WorldRequest> ParseWorldRequest(const Json& raw) {
  if (!raw.is_object()) return Status::InvalidArgument("expected a map such as {rack_size: 2, placement: by_rack}");
  WorldRequest w;
  for (const auto& [key, value] : raw.items()) {
    if (auto it = IntKeys().find(key); it != IntKeys().end()) {
      const IntKey& def = it->second;
      if (!value.is_number_integer() || value.get<int64_t>() < def.min || value.get<int64_t>() > def.max) {
        return Status::InvalidArgument(key + ": expected a whole number from " + std::to_string(def.min) + " to " +
                                       std::to_string(def.max) + ", not " + value.dump());
      }
    } else if (key == "cluster_spread") {
      if (value != "none" && value != "rack") {
        return Status::InvalidArgument("cluster_spread: expected none or rack, not " + value.dump());
      }
    } else if (key == "placement") {
      static const std::regex kRule("[A-Za-z0-9_.-]{1,64}");
      if (!value.is_string() || !std::regex_match(value.get<std::string>(), kRule)) {
        return Status::InvalidArgument("placement: expected a rule of the fleet's CRUSH map (by_host, by_rack, by_row; by_controller, by_pdu where the fleet has them) or default, not " +
                                       value.dump());
      }
    } else {
      std::string known;
      for (const std::string& k : WorldRequestKeys()) known += (known.empty() ? "" : ", ") + k;
      return Status::InvalidArgument("unknown key '" + key + "' (a world takes " + known + ")");
    }
    w.options[key] = value;
  }
  return w;
}

void ApplyWorldRequest(const WorldRequest& request, FleetSpec& fleet, std::string& placement) {
  for (const auto& [key, def] : IntKeys()) {
    if (request.options.contains(key)) fleet.*(def.field) = request.options[key].get<int>();
  }
  if (request.options.contains("cluster_spread")) fleet.cluster_spread = request.options["cluster_spread"].get<std::string>();
  if (request.options.contains("placement")) {
    placement = request.options["placement"].get<std::string>();
    if (placement == "default") placement.clear();
  }
}

}  // namespace cs::scenarios
