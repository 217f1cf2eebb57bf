// HsmCoordinatorRecord: what the world keeps of a filesystem's HSM
// coordinator, the persisted half of fakes/hsm/coordinator.h. The original
// kept it as fake_hsm_coordinator-<fsname>.json ({filesystem, mdt,
// enabled}); we add whether it runs now (hsm_control=shutdown stops it but
// leaves it enabled) and how many purges were asked for, so the runtime,
// which reconciles against the world, sees every purge exactly once.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "fakes/json_helpers.h"
#include "util/status.h"

namespace cs {

struct HsmCoordinatorRecord {
  std::string filesystem;
  std::string mdt = "MDT0000";
  bool enabled = false;
  bool running = false;
  int64_t purges = 0;

  bool operator==(const HsmCoordinatorRecord&) const = default;
};

// The hsm_control values, as Lustre's mdt.*.hsm_control takes them.
// Applies one to the record: enabled (enable and run), disabled (stop and
// disable), shutdown (stop, stay enabled), purge (drop every request, then
// run). An unknown value changes nothing and says so.
Status ApplyHsmControl(HsmCoordinatorRecord& record, const std::string& value);

// "testfs-MDT0000.mdt.hsm_control" -> "testfs"; nullopt when the key is
// not an MDT's hsm_control.
std::optional<std::string> HsmControlFilesystem(const std::string& conf_param_key);

inline void to_json(Json& j, const HsmCoordinatorRecord& r) {
  j = Json{{"filesystem", r.filesystem}, {"mdt", r.mdt}, {"enabled", r.enabled},
           {"running", r.running}, {"purges", r.purges}};
}

// Reads the original's layout too (no running/purges: it ran when enabled).
inline void from_json(const Json& j, HsmCoordinatorRecord& r) {
  r.filesystem = j.at("filesystem").get<std::string>();
  r.mdt = j.value("mdt", std::string("MDT0000"));
  r.enabled = j.value("enabled", false);
  r.running = j.value("running", r.enabled);
  r.purges = j.value("purges", int64_t{0});
}

}  // namespace cs
