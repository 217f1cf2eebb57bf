// simulator_controller: an always-empty report. Its only purpose is that a
// session exists, which lets the manager's simulator storage plugin find
// the simulator and poll it over XML-RPC.
#include "sim/plugins/plugin_factories.h"

namespace cs {

namespace {

class SimulatorControllerPlugin final : public DevicePlugin {
 public:
  std::string_view name() const override { return "simulator_controller"; }
  PluginBodies StartSession(PluginContext&) override { return {Json::object()}; }
  PluginBodies UpdateSession(PluginContext&) override { return {Json::object()}; }
};

}  // namespace

std::unique_ptr<DevicePlugin> MakeSimulatorControllerPlugin() {
  return std::make_unique<SimulatorControllerPlugin>();
}

}  // namespace cs
