// Test helper: where the simulator's cluster and pacemaker's view (crm_mon
// on a CIB) disagree, in words; empty when they agree. A resource pacemaker
// shows on an unclean node is blocked: for the simulator it runs nowhere.
#pragma once

#include <sstream>
#include <string>

#include "fakes/cluster.h"
#include "pacemaker/crm_tools.h"

namespace cs::testing {

inline std::string Where(const std::optional<std::string>& node) { return node ? *node : "(stopped)"; }

inline std::string Disagreements(const Cluster& c, const pacemaker::MonView& view) {
  std::ostringstream out;
  for (const auto& [name, n] : c.nodes) {
    if (n.online != (view.online.count(name) > 0)) {
      out << "node " << name << ": simulator " << (n.online ? "online" : "offline") << ", pacemaker "
          << (view.online.count(name) ? "online" : "offline") << "\n";
    }
    if (n.standby != (view.standby.count(name) > 0)) out << "node " << name << ": standby differs\n";
    if (n.unclean != (view.unclean.count(name) > 0)) {
      out << "node " << name << ": simulator " << (n.unclean ? "unclean" : "clean") << ", pacemaker "
          << (view.unclean.count(name) ? "unclean" : "clean") << "\n";
    }
  }
  auto pacemaker_says = [&](const std::string& id) -> std::optional<std::string> {
    auto it = view.placement.find(id);
    if (it == view.placement.end() || !it->second || view.unclean.count(*it->second)) return std::nullopt;
    return it->second;
  };
  for (const auto& [label, r] : c.resources) {
    if (!view.placement.count(label)) out << label << ": not in pacemaker's resources\n";
    const auto theirs = pacemaker_says(label);
    if (theirs != r.started_on) out << label << ": simulator " << Where(r.started_on) << ", pacemaker " << Where(theirs) << "\n";
  }
  const auto fencing = pacemaker_says(kFencingResource);
  if (fencing != c.fencing_on) {
    out << kFencingResource << ": simulator " << Where(c.fencing_on) << ", pacemaker " << Where(fencing) << "\n";
  }
  return out.str();
}

}  // namespace cs::testing
