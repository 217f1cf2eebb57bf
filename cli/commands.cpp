#include "cli/commands.h"

#include <unistd.h>

#include <iostream>

#include "crush/placement.h"
#include "fakes/invariants.h"
#include "sim/fleet_status.h"
#include "sim/test_config.h"
#include "state/export.h"
#include "state/store.h"
#include "util/clock.h"

namespace cs::cli {

namespace {

Result<std::unique_ptr<Store>> OpenStore(const GlobalOptions& global, Store::Mode mode) {
  Store::Options options;
  options.mode = mode;
  return Store::Open(global.config, options);
}

}  // namespace

Result<std::unique_ptr<Store>> OpenSavedState(const GlobalOptions& global) {
  return OpenStore(global, Store::Mode::kReadOnly);
}

int Fail(const std::string& message) {
  std::cerr << "cluster-sim: " << message << std::endl;
  return kExitError;
}

int RunSetup(const GlobalOptions& global, const FleetSpec& requested) {
  // A first setup refuses a bad request before it creates the state
  // directory and database, so that nothing is left behind.
  const std::string db_path = global.config + "/" + Store::kDatabaseName;
  if (access(db_path.c_str(), F_OK) != 0) {
    Status valid = ValidateFleetSpec(World(), requested);
    if (!valid.ok()) return Fail("setup: " + valid.message());
  }
  auto store = OpenStore(global, Store::Mode::kCreate);
  if (!store.ok()) return Fail(store.status().message());
  FleetSpec spec = requested;
  if (global.url) spec.url = global.url;
  SystemClock clock;
  Status s = (*store)->Apply([&](World& world) { return SetupFleet(world, spec, clock); });
  if (!s.ok()) return Fail("setup: " + s.message());
  const FleetCounts c = CountFleet((*store)->world());
  std::cout << "Simulator state in " << global.config << "/: " << c.server_count << " servers, "
            << c.worker_count << " workers, " << c.volume_count << " volumes, " << c.psu_count
            << " PDUs" << (c.su_size ? ", " + std::to_string(c.server_count / c.su_size) + " SUs" : "")
            << std::endl;
  return kExitOk;
}

int RunStatus(const GlobalOptions& global, bool json) {
  auto store = OpenSavedState(global);
  if (!store.ok()) return Fail(store.status().message());
  if (json) {
    std::cout << FleetStatusJson((*store)->world()).dump(2) << std::endl;
  } else {
    std::cout << FleetStatusText((*store)->world());
  }
  return kExitOk;
}

int RunCheck(const GlobalOptions& global, const std::optional<std::string>& placement) {
  auto store = OpenSavedState(global);
  if (!store.ok()) return Fail(store.status().message());
  std::vector<std::string> violations = CheckInvariants((*store)->world());
  if (placement) {
    // HA pairs that break the rule: both in one domain of its type.
    auto broken = crush::CheckPlacements((*store)->world(), *placement);
    if (!broken.ok()) return Fail("check --placement: " + broken.status().message());
    violations.insert(violations.end(), broken->begin(), broken->end());
  }
  for (const auto& v : violations) std::cout << "violation: " << v << "\n";
  if (!violations.empty()) {
    std::cout << violations.size() << " violation(s)" << std::endl;
    return kExitViolations;
  }
  std::cout << "ok: state is consistent" << std::endl;
  return kExitOk;
}

int RunStateExport(const GlobalOptions& global, const std::string& dir) {
  auto store = OpenSavedState(global);
  if (!store.ok()) return Fail(store.status().message());
  Status s = ExportOriginalLayout((*store)->world(), dir);
  if (!s.ok()) return Fail("state export: " + s.message());
  std::cout << "Exported the state of " << global.config << "/ to " << dir << "/" << std::endl;
  return kExitOk;
}

int RunStateImport(const GlobalOptions& global, const std::string& dir, bool replace) {
  World imported;
  Status s = ImportOriginalLayout(dir, imported);
  if (!s.ok()) return Fail("state import: " + s.message());
  const std::vector<std::string> violations = CheckInvariants(imported);
  if (!violations.empty()) {
    return Fail("state import: " + dir + " is inconsistent (" + violations.front() + "; " +
                std::to_string(violations.size()) + " violation(s) in all); nothing imported");
  }
  auto store = OpenStore(global, Store::Mode::kCreate);
  if (!store.ok()) return Fail(store.status().message());
  if (!replace && ((*store)->world().servers.size() || (*store)->world().volumes.size())) {
    return Fail("state import: " + global.config +
                "/ already holds a fleet; use --replace to overwrite it");
  }
  s = (*store)->ReplaceAll(imported);
  if (!s.ok()) return Fail("state import: " + s.message());
  std::cout << "Imported " << dir << "/ into " << global.config << "/" << std::endl;
  return kExitOk;
}

int RunTestConfig(const GlobalOptions& global) {
  auto store = OpenSavedState(global);
  if (!store.ok()) return Fail(store.status().message());
  std::cout << TestConfigJson((*store)->world()).dump(4) << std::endl;
  return kExitOk;
}

}  // namespace cs::cli
