#include "fakes/hsm/coordinator_record.h"

namespace cs {

Status ApplyHsmControl(HsmCoordinatorRecord& record, const std::string& value) {
  if (value == "enabled") {
    record.enabled = true;
    record.running = true;
  } else if (value == "disabled") {
    record.enabled = false;
    record.running = false;
  } else if (value == "shutdown") {
    record.running = false;
  } else if (value == "purge") {
    record.enabled = true;
    record.running = true;
    ++record.purges;
  } else {
    return Status::InvalidArgument("Unknown HSM Coordinator control value: '" + value +
                                   "' (expected enabled, disabled, shutdown or purge)");
  }
  return Status::Ok();
}

std::optional<std::string> HsmControlFilesystem(const std::string& key) {
  const std::string suffix = ".mdt.hsm_control";
  if (key.size() <= suffix.size() || key.compare(key.size() - suffix.size(), suffix.size(), suffix) != 0) {
    return std::nullopt;
  }
  const std::string target = key.substr(0, key.size() - suffix.size());
  const size_t dash = target.rfind('-');
  if (dash == std::string::npos || dash == 0) return std::nullopt;
  return target.substr(0, dash);
}

}  // namespace cs
