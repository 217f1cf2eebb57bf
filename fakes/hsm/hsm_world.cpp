#include "fakes/hsm/hsm_world.h"

#include "fakes/hsm/coordinator_record.h"

namespace cs {

Status ControlHsmCoordinator(World& world, const std::string& filesystem, const std::string& value) {
  if (filesystem.empty()) return Status::InvalidArgument("HSM coordinator: no filesystem name given");
  const HsmCoordinatorRecord* existing = world.hsm_coordinators.Find(filesystem);
  HsmCoordinatorRecord record;
  record.filesystem = filesystem;
  if (existing != nullptr) record = *existing;
  CS_RETURN_IF_ERROR(ApplyHsmControl(record, value));
  if (existing == nullptr || !(*existing == record)) world.hsm_coordinators.Put(filesystem, std::move(record));
  return Status::Ok();
}

Status StartHsmCopytool(World& world, const std::string& id, Random& random) {
  const Copytool* copytool = world.copytools.Find(id);
  if (copytool == nullptr) return Status::NotFound("no copytool with id '" + id + "' is configured");
  auto fs = copytool->copytool.find("filesystem");
  const std::string fsname = fs != copytool->copytool.end() && fs->is_string() ? fs->get<std::string>() : "";
  if (!world.hsm_coordinators.contains(fsname)) {
    return Status::FailedPrecondition("copytool '" + id + "': filesystem '" + fsname +
                                      "' has no HSM coordinator (set " + fsname +
                                      "-MDT0000.mdt.hsm_control first)");
  }
  if (copytool->running) return Status::Ok();  // already registered
  Copytool* c = world.copytools.Mutable(id);
  c->running = true;
  c->uuid = random.Uuid();
  return Status::Ok();
}

bool StopHsmCopytool(World& world, const std::string& id) {
  const Copytool* copytool = world.copytools.Find(id);
  if (copytool == nullptr) return false;
  if (copytool->running) world.copytools.Mutable(id)->running = false;
  return true;
}

namespace {
// Each running copytool that `which` picks gets a fresh uuid, drawn from the
// fleet's seed and the uuid it had.
template <typename Pick>
void ReregisterCopytools(World& world, Pick which) {
  std::vector<std::string> copytools;
  for (const auto& [id, c] : world.copytools.all()) {
    if (c.running && which(c)) copytools.push_back(id);
  }
  for (const std::string& id : copytools) {
    Copytool* c = world.copytools.Mutable(id);
    Random random = Random::ForStream(world.settings().seed, "hsm/reregister/" + id + "/" + c->uuid.value_or(""));
    c->uuid = random.Uuid();
  }
}
}  // namespace

void ReregisterHsmCopytoolsOf(World& world, const std::string& fqdn) {
  ReregisterCopytools(world, [&](const Copytool& c) { return c.server == fqdn; });
}

void RestartHsm(World& world) {
  std::vector<std::string> coordinators;
  for (const auto& [fsname, record] : world.hsm_coordinators.all()) {
    if (record.running != record.enabled) coordinators.push_back(fsname);
  }
  for (const std::string& fsname : coordinators) {
    HsmCoordinatorRecord* r = world.hsm_coordinators.Mutable(fsname);
    r->running = r->enabled;
  }
  ReregisterCopytools(world, [](const Copytool&) { return true; });
}

}  // namespace cs
