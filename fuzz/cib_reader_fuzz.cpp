// The CIB reader (restore_cib's input): any document is refused with a
// reason or read into a configuration; one that is read applies to a
// cluster of its own nodes, which then settles, and the result exports as a
// CIB that reads back with the same nodes and targets.
#include <cstddef>
#include <cstdint>
#include <string>

#include "pacemaker/cib_reader.h"
#include "pacemaker/cib_writer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 1 << 20) return 0;
  const std::string xml(reinterpret_cast<const char*>(data), size);
  auto config = cs::pacemaker::ReadCibConfig(xml);
  if (!config.ok()) {
    if (config.status().message().empty()) __builtin_trap();  // a refusal always says why
    return 0;
  }
  cs::Cluster cluster;
  for (const cs::pacemaker::CibNode& n : config->nodes) cluster.Join(n.uname, n.uname + ".localdomain");
  if (!cs::pacemaker::CheckSameCluster(*config, cluster).ok()) __builtin_trap();
  cs::Cluster restored = cs::pacemaker::WithConfiguration(cluster, *config, [](cs::HaResource& r) {
    r.device_path = "/dev/" + r.uuid;
    r.mount_point = "/mnt/" + r.ha_label;
  });
  restored.Settle();
  auto again = cs::pacemaker::ReadCibConfig(cs::pacemaker::WriteCib(restored, 0));
  if (!again.ok() || again->nodes.size() != config->nodes.size() || again->targets.size() != config->targets.size()) {
    __builtin_trap();
  }
  return 0;
}
