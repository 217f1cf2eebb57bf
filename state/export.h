// The human-readable view of the state: the original simulator's file
// layout (simulator.json, devices.json, fake_server_<fqdn>.json,
// fake_cluster_<n>.json, pdu_sim_<name>.json, fake_power_control.json,
// fake_controller_<n>.json, fake_client_<address>.json), written from a
// World and read back into one without loss. Old tools read these files;
// keys the original lacked are extra keys they ignore.
#pragma once

#include <string>

#include "fakes/world.h"
#include "util/status.h"

namespace cs {

// Writes every file into `dir` (created if missing). Files are written to a
// temporary name and renamed, so a reader never sees half a file.
Status ExportOriginalLayout(const World& world, const std::string& dir);

// Reads the layout from `dir` into an empty `world`.
Status ImportOriginalLayout(const std::string& dir, World& world);

}  // namespace cs
