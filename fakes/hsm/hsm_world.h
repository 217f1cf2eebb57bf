// HSM operations on the world: what set_conf_param's hsm_control, the
// copytool actions and the control API's HSM methods change, each inside
// the caller's one transaction. The runtime follows the world
// (fakes/hsm/hsm_fleet.h), so these never talk to a running coordinator.
#pragma once

#include <string>

#include "fakes/world.h"
#include "util/random.h"
#include "util/status.h"

namespace cs {

// Applies an hsm_control value to the filesystem's coordinator, creating it
// (disabled) first when there is none, as the original did.
Status ControlHsmCoordinator(World& world, const std::string& filesystem, const std::string& value);

// Starts a configured copytool: it registers with its filesystem's
// coordinator under a fresh uuid. Fails when the copytool is unknown or its
// filesystem has no coordinator (the original raised there too).
Status StartHsmCopytool(World& world, const std::string& id, Random& random);
// Stops it (its UNREGISTER follows); false when no such copytool exists.
bool StopHsmCopytool(World& world, const std::string& id);

// What a daemon start does (the original's start_hsm_coordinators and
// start_hsm_copytools): every enabled coordinator runs again (a shutdown
// one too), and every running copytool registers anew under a fresh uuid
// (drawn from the fleet's seed and the uuid it had: replayable).
void RestartHsm(World& world);

// What a worker's boot does: each of its running copytools registers anew
// under a fresh uuid (replayable as above), as the original's start did.
void ReregisterHsmCopytoolsOf(World& world, const std::string& fqdn);

}  // namespace cs
