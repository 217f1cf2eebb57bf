#include "sim/plugins/device_plugin.h"

#include "sim/plugins/plugin_factories.h"

namespace cs {

std::vector<std::unique_ptr<DevicePlugin>> MakeDevicePlugins() {
  std::vector<std::unique_ptr<DevicePlugin>> plugins;
  plugins.push_back(MakeLinuxPlugin());
  plugins.push_back(MakeLinuxNetworkPlugin());
  plugins.push_back(MakeLustrePlugin());
  plugins.push_back(MakeCorosyncPlugin());
  plugins.push_back(MakeSystemdJournalPlugin());
  plugins.push_back(MakeSimulatorControllerPlugin());
  return plugins;
}

}  // namespace cs
