// Power operations of the control API: PDU outlets switched as fence_apc
// would switch them (the original's `cluster-power pdu|server` commands),
// and the outlet table. Each switch goes through Simulator::SetOutlet, so a
// server that loses its last outlet goes off and one that gets power back
// boots.
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "fakes/cluster_env.h"
#include "sim/control/operations.h"

namespace cs {

namespace {

using T = ArgType;

Result<Json> PduStatus(Simulator& sim) {
  std::lock_guard<std::mutex> lock(sim.store().mutex());
  const World& w = sim.store().world();
  Json out = Json::array();
  const auto wiring = w.OutletWiring();
  for (const auto& [name, pdu] : w.pdus.all()) {
    Json outlets = Json::object();
    const auto plugged = wiring.find(name);
    for (const auto& [outlet, on] : pdu.outlets) {
      std::string server;
      if (plugged != wiring.end()) {
        if (auto it = plugged->second.find(outlet); it != plugged->second.end()) server = it->second;
      }
      outlets[outlet] = {{"on", on}, {"server", server.empty() ? Json() : Json(server)}};
    }
    out.push_back({{"name", name},
                   {"address", pdu.address},
                   {"port", pdu.port},
                   {"rack", pdu.rack ? Json(RackName(w.settings().topology, *pdu.rack)) : Json()},
                   {"unreachable", pdu.unreachable},
                   {"outlets", outlets}});
  }
  return out;
}

// The outlets to switch: one on one PDU, or a server's outlet on every PDU
// that feeds it.
struct OutletRef {
  std::string pdu;
  std::string outlet;
};

Result<std::vector<OutletRef>> OutletsOfServers(Simulator& sim, const std::string& which) {
  std::lock_guard<std::mutex> lock(sim.store().mutex());
  const World& w = sim.store().world();
  std::vector<std::string> fqdns;
  if (which == "all") {
    for (const auto& [fqdn, s] : w.servers.all()) {
      if (s.outlet) fqdns.push_back(fqdn);
    }
  } else {
    Result<std::string> fqdn = ResolveServer(w, Json(which));
    if (!fqdn.ok()) return fqdn.status();
    fqdns.push_back(*fqdn);
  }
  std::vector<OutletRef> out;
  for (const auto& fqdn : fqdns) {
    const Server* s = w.servers.Find(fqdn);
    if (!s->outlet) return Status::FailedPrecondition(fqdn + " has no PDU outlet (a worker?)");
    for (const std::string& name : w.PdusFeeding(*s)) out.push_back({name, *s->outlet});
  }
  return out;
}

Status Switch(Simulator& sim, const std::vector<OutletRef>& outlets, const std::string& action,
              double pause_seconds) {
  if (action != "on" && action != "off" && action != "reboot") {
    return Status::InvalidArgument("action must be on, off or reboot, not '" + action + "'");
  }
  for (const OutletRef& o : outlets) {
    CS_RETURN_IF_ERROR(sim.SetOutlet(o.pdu, o.outlet, action == "on"));
  }
  if (action != "reboot") return Status::Ok();
  // Back on after the pause, as the PDU's own reboot does.
  auto timer = std::make_shared<boost::asio::steady_timer>(
      sim.io(), std::chrono::milliseconds(static_cast<int64_t>(pause_seconds * 1000)));
  timer->async_wait([&sim, outlets, timer](const boost::system::error_code& ec) {
    if (ec) return;
    for (const OutletRef& o : outlets) {
      Status s = sim.SetOutlet(o.pdu, o.outlet, true);
      if (!s.ok()) sim.log().Warning(o.pdu, "reboot of outlet " + o.outlet + ": " + s.message());
    }
  });
  return Status::Ok();
}

// Every fencing attempt (see FenceHistoryJson), read under the store lock.
Result<Json> FenceHistory(Simulator& sim, const std::optional<std::string>& fqdn) {
  std::lock_guard<std::mutex> lock(sim.store().mutex());
  return FenceHistoryJson(sim.store().world(), fqdn);
}

// The PDUs `which` names: one by name, or "all".
Result<std::vector<std::string>> PdusNamed(Simulator& sim, const std::string& which) {
  std::lock_guard<std::mutex> lock(sim.store().mutex());
  std::vector<std::string> out;
  for (const auto& [name, pdu] : sim.store().world().pdus.all()) {
    if (which == "all" || which == name) out.push_back(name);
  }
  if (out.empty()) return Status::NotFound("no PDU " + which);
  return out;
}

// Checked (finite, 0..3600) by the declaration before the handler runs.
double PauseOf(const ActionArgs& a) { return a.OptionalReal("pause_seconds").value_or(5.0); }

ArgSpec PauseSeconds() { return Within(Optional("pause_seconds", T::kReal), RealRange{0, 3600}); }

}  // namespace

void AddPowerOperations(OperationTable& t) {
  Add(t, "pdu_status", {}, "Every PDU with its outlets: on or off, and the server plugged in",
      [](ControlContext& ctx, const ActionArgs&) { return PduStatus(ctx.sim); });
  Add(t, "fence_history", {Optional("fqdn", T::kAny)},
      "Every fencing attempt (as stonith_admin --history): node, by which node, outlets, outcome ok or failed, time",
      [](ControlContext& ctx, const ActionArgs& a) -> Result<Json> {
        std::optional<std::string> fqdn;
        if (a.Has("fqdn")) {
          Result<std::string> resolved = ResolveServer(ctx.sim, a.Raw("fqdn"));
          if (!resolved.ok()) return resolved.status();
          fqdn = *resolved;
        }
        return FenceHistory(ctx.sim, fqdn);
      });
  Add(t, "pdu_unreachable", {Required("pdu", T::kString), Required("unreachable", T::kBool)},
      "A PDU (or 'all') stops answering: its console closes every connection and fencing through it fails, "
      "so a node lost meanwhile keeps its resources stopped; false: it answers again and waiting nodes are fenced",
      [](ControlContext& ctx, const ActionArgs& a) -> Result<Json> {
        auto pdus = PdusNamed(ctx.sim, a.String("pdu"));
        if (!pdus.ok()) return pdus.status();
        for (const std::string& pdu : *pdus) CS_RETURN_IF_ERROR(ctx.sim.SetPduReachable(pdu, !a.Bool("unreachable")));
        return Done();
      });
  Add(t, "set_outlet",
      {Required("pdu", T::kString), Required("outlet", T::kAny), Required("action", T::kString),
       PauseSeconds()},
      "Switch one PDU outlet on, off, or reboot it (off, pause_seconds (default 5), on)",
      [](ControlContext& ctx, const ActionArgs& a) -> Result<Json> {
        const Json outlet = a.Raw("outlet");
        const std::string number = outlet.is_string() ? outlet.get<std::string>() : outlet.dump();
        CS_RETURN_IF_ERROR(Switch(ctx.sim, {{a.String("pdu"), number}}, a.String("action"), PauseOf(a)));
        return Done();
      });
  Add(t, "power_server",
      {Required("fqdn", T::kString), Required("action", T::kString), PauseSeconds()},
      "Switch a server's outlet on every PDU (fqdn 'all': every server's) on, off or reboot",
      [](ControlContext& ctx, const ActionArgs& a) -> Result<Json> {
        auto outlets = OutletsOfServers(ctx.sim, a.String("fqdn"));
        if (!outlets.ok()) return outlets.status();
        CS_RETURN_IF_ERROR(Switch(ctx.sim, *outlets, a.String("action"), PauseOf(a)));
        return Done();
      });
}

}  // namespace cs
