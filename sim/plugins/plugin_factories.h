// The constructors of the individual device plugins, one per file, for
// MakeDevicePlugins and for tests that exercise one plugin.
#pragma once

#include <memory>

#include "sim/plugins/device_plugin.h"

namespace cs {

std::unique_ptr<DevicePlugin> MakeLinuxPlugin();
std::unique_ptr<DevicePlugin> MakeLinuxNetworkPlugin();
std::unique_ptr<DevicePlugin> MakeLustrePlugin();
std::unique_ptr<DevicePlugin> MakeCorosyncPlugin();
std::unique_ptr<DevicePlugin> MakeSystemdJournalPlugin();
std::unique_ptr<DevicePlugin> MakeSimulatorControllerPlugin();

}  // namespace cs
