// linux_network: the server's network interfaces (one per simulated NID
// address, named eth<n> for tcp and ib<n> for o2ib) and the LNet state and
// NIDs, as the real agent reads them from `ip addr` and /proc/sys/lnet.
// Sent every poll.
#include <cstdio>
#include <cstdlib>
#include <sstream>

#include "sim/plugins/plugin_factories.h"

namespace cs {

namespace {

std::string InterfaceName(const NetworkInterface& iface) {
  return (iface.type == "o2ib" ? "ib" : "eth") + std::to_string(iface.interface_no);
}

// A locally administered MAC built from the IPv4 address, so it is stable
// and unique across the fleet (the original used one per interface number,
// shared by every server).
std::string FakeMac(const std::string& address) {
  unsigned octets[4] = {0, 0, 0, 0};
  std::istringstream in(address);
  std::string part;
  for (int i = 0; i < 4 && std::getline(in, part, '.'); ++i) {
    octets[i] = static_cast<unsigned>(std::strtoul(part.c_str(), nullptr, 10)) & 0xff;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "02:00:%02x:%02x:%02x:%02x", octets[0], octets[1], octets[2],
                octets[3]);
  return buf;
}

const char* LnetState(const Server& s) {
  if (!s.lnet_loaded) return "lnet_unloaded";
  return s.lnet_up ? "lnet_up" : "lnet_down";
}

Json InterfaceEntry(const std::string& address, const NetworkInterface& iface) {
  return Json{{"mac_address", FakeMac(address)},
              {"inet4_address", address},
              {"inet4_prefix", 24},
              {"inet6_address", ""},
              {"type", iface.type},  // LND type, as the real agent reports
              {"rx_bytes", "24400222349"},
              {"tx_bytes", "1789870413"},
              {"up", true},
              {"slave", false}};
}

Json NidEntry(const std::string& address, const NetworkInterface& iface, int lnd_network) {
  return Json{{"nid_address", address},
              {"type", iface.type},
              {"lnd_type", iface.lnd_type},
              {"lnd_network", lnd_network}};
}

// LNet always has at least one NID once up: with none configured it takes
// the first interface on network 0 (the original wrote that back into the
// server; a plugin only reports it).
const std::string* ImplicitNidAddress(const Server& s) {
  if (!s.lnet_up) return nullptr;
  const std::string* first = nullptr;
  int first_no = 0;
  for (const auto& [address, iface] : s.network_interfaces) {
    if (iface.lnd_network) return nullptr;
    if (first == nullptr || iface.interface_no < first_no) {
      first = &address;
      first_no = iface.interface_no;
    }
  }
  return first;
}

Json NetworkReport(const Server& s) {
  Json interfaces = Json::object();
  Json nids = Json::object();
  const std::string* implicit = ImplicitNidAddress(s);
  for (const auto& [address, iface] : s.network_interfaces) {
    const std::string name = InterfaceName(iface);
    interfaces[name] = InterfaceEntry(address, iface);
    if (iface.lnd_network) {
      nids[name] = NidEntry(address, iface, *iface.lnd_network);
    } else if (implicit != nullptr && *implicit == address) {
      nids[name] = NidEntry(address, iface, 0);
    }
  }
  return Json{{"interfaces", interfaces}, {"lnet", {{"state", LnetState(s)}, {"nids", nids}}}};
}

class LinuxNetworkPlugin final : public DevicePlugin {
 public:
  std::string_view name() const override { return "linux_network"; }
  PluginBodies StartSession(PluginContext& ctx) override { return {NetworkReport(ctx.server)}; }
  PluginBodies UpdateSession(PluginContext& ctx) override { return {NetworkReport(ctx.server)}; }
};

}  // namespace

std::unique_ptr<DevicePlugin> MakeLinuxNetworkPlugin() {
  return std::make_unique<LinuxNetworkPlugin>();
}

}  // namespace cs
