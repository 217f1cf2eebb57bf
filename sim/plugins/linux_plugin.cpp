// linux: the block devices this server sees (the volumes presented to it),
// sent once per session like the real agent's initial device scan.
#include "sim/plugins/plugin_factories.h"

namespace cs {

namespace {

Json DeviceNode(const Volume& volume, const std::string& path) {
  return Json{{"major_minor", volume.major_minor},
              {"path", path},
              {"serial_80", volume.serial_80},
              {"serial_83", volume.serial_83},
              {"size", volume.size},
              {"parent", volume.parent},
              {"partition_number", volume.partition_number},
              {"filesystem_type", volume.local_filesystem}};
}

class LinuxPlugin final : public DevicePlugin {
 public:
  std::string_view name() const override { return "linux"; }

  PluginBodies StartSession(PluginContext& ctx) override {
    Json devs = Json::object();
    if (const Presentations* seen = ctx.world.presentations.Find(ctx.server.fqdn)) {
      for (const auto& [path, serial] : *seen) {
        const Volume* volume = ctx.world.volumes.Find(serial);
        if (volume && ctx.world.VolumePresent(serial)) {  // a failed controller's LUNs are gone
          devs[volume->major_minor] = DeviceNode(*volume, path);
        }
      }
    }
    return {Json{{"devs", devs},
                 {"mpath", Json::object()},
                 {"lvs", Json::object()},
                 {"local_fs", Json::object()},
                 {"mds", Json::object()},
                 {"vgs", Json::object()}}};
  }

  // Devices do not change under a running agent; the manager rescans
  // through the device_plugin action when it needs to.
  PluginBodies UpdateSession(PluginContext&) override { return {}; }
};

}  // namespace

std::unique_ptr<DevicePlugin> MakeLinuxPlugin() { return std::make_unique<LinuxPlugin>(); }

}  // namespace cs
