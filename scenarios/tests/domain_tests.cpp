// fail-domain: whole failure domains go dark the way they do in a machine
// room. The domains (racks, rows, PDUs or controllers) are drawn from the
// run's seed; every outlet feeding a server of a chosen rack or row is
// switched off on its PDU (or every outlet of a chosen PDU), through the
// simulated PDUs as fence_apc would, so pacemaker and the manager see a real
// power loss. A chosen controller fails (fail_controller): its servers keep
// power, its LUNs vanish and the targets on them stop.
// The history records the domains, the outlets and the servers that lost
// power; domain-survives judges the targets against them.
#include "scenarios/domains.h"
#include "scenarios/tests/test_helpers.h"
#include "scenarios/world_queries.h"

namespace cs::scenarios {

namespace {

struct Outlet {
  std::string pdu;
  std::string outlet;
};

// The outlets that go dark with `domains`: for a PDU every outlet it has,
// for a rack or row every outlet feeding one of its servers.
std::vector<Outlet> OutletsOf(const Json& pdus, const std::string& type, const std::vector<Domain>& domains) {
  std::set<std::string> names, servers;
  for (const Domain& d : domains) {
    names.insert(d.name);
    servers.insert(d.servers.begin(), d.servers.end());
  }
  std::vector<Outlet> out;
  for (const Json& pdu : pdus) {
    const std::string name = pdu.value("name", "");
    const Json outlets = pdu.value("outlets", Json::object());
    for (const auto& [outlet, state] : outlets.items()) {
      const Json server = state.value("server", Json());
      const bool cut = type == "pdu" ? names.count(name) > 0 : server.is_string() && servers.count(server.get<std::string>()) > 0;
      if (cut) out.push_back({name, outlet});
    }
  }
  return out;
}

// The controllers' part of fail-domain: fail_controller for each.
StepOutcome FailControllers(StepContext& ctx, const std::vector<Domain>& chosen, Json names) {
  Json ids = Json::array(), stopped = Json::array();
  for (const Domain& d : chosen) {
    // Every server of the domain names the controller by number.
    const int id = std::stoi(d.name.substr(std::string("controller").size()));
    Result<Json> r = ctx.world.sim->Call("fail_controller", {{"controller_id", id}});
    if (!r.ok()) {
      StepOutcome out = StepOutcome::From(r.status().Context("failing " + d.name));
      out.value["domains"] = names;
      out.value["controllers"] = ids;
      return out;
    }
    ids.push_back(id);
    for (const Json& t : r->value("targets_stopped", Json::array())) stopped.push_back(t);
  }
  return StepOutcome::Ok(Json{{"type", "controller"},
                              {"domains", names},
                              {"controllers", ids},
                              {"targets_stopped", stopped},
                              {"servers", Json::array()}});
}

StepOutcome FailDomain(StepContext& ctx) {
  const std::string type = ctx.String("type");
  Result<Json> status = SimStatus(*ctx.world.sim);
  if (!status.ok()) return StepOutcome::From(status.status());
  Random rng = Random::ForStream(ctx.state.seed, ctx.state.marker + "/step" + std::to_string(ctx.state.step) + "/fail-domain");
  Result<std::vector<Domain>> chosen = ChooseDomains(*status, type, static_cast<int>(ctx.Int("count")), rng);
  if (!chosen.ok()) return StepOutcome::Fail(chosen.status().message());
  std::set<std::string>& lost = ctx.state.lost_domains[type];
  Json names = Json::array();
  for (const Domain& d : *chosen) {
    lost.insert(d.name);
    names.push_back(d.name);
  }
  if (type == "controller") return FailControllers(ctx, *chosen, names);
  Result<Json> pdus = ctx.world.sim->Call("pdu_status", Json::object());
  if (!pdus.ok()) return StepOutcome::From(pdus.status());
  Json switched = Json::array();
  for (const Outlet& o : OutletsOf(*pdus, type, *chosen)) {
    Result<Json> r = ctx.world.sim->Call("set_outlet", {{"pdu", o.pdu}, {"outlet", o.outlet}, {"action", "off"}});
    if (!r.ok()) {
      StepOutcome out = StepOutcome::From(r.status().Context("outlet " + o.outlet + " of " + o.pdu));
      out.value["domains"] = names;
      out.value["switched"] = switched;
      return out;
    }
    switched.push_back({{"pdu", o.pdu}, {"outlet", o.outlet}});
  }
  std::set<std::string> chosen_names;
  for (const Domain& d : *chosen) chosen_names.insert(d.name);
  return StepOutcome::Ok(Json{{"type", type},
                              {"domains", names},
                              {"outlets", switched},
                              {"servers", ServersDownWith(*status, type, chosen_names)}});
}

}  // namespace

TestDef FailDomainTest() {
  return {"fail-domain",
          "Cut whole failure domains drawn from the seed: every server of `count` racks or rows loses power at its PDU "
          "outlets, or `count` PDUs switch every outlet off (servers with a PSU on a live PDU stay up), or `count` "
          "controllers fail (their LUNs vanish, the targets on them stop)",
          {WithChoices(Required("type", ParamType::kString, "the domain type: rack, row, pdu or controller"), DomainTypes()),
           WithRange(Optional("count", ParamType::kInt, 1, "how many domains of the type to cut"), 1, 1000)},
          /*needs_owner=*/false, /*exclusive=*/true, FailDomain};
}

}  // namespace cs::scenarios
