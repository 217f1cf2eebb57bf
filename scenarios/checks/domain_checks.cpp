// domain-survives: a placement is only as good as the failure domains its
// HA pairs span. Every target that ran when the run began and whose primary
// and secondary lie in different domains of the type must still run on a
// powered node; a target whose pair shares a domain may go down with it.
// The verdict lists every target that is down and why (its pair inside one
// domain, lost or not, or separated and down: the failure), so a run shows
// exactly what a domain loss took with it.
#include <algorithm>

#include "fakes/topology.h"
#include "scenarios/checks/judges.h"
#include "scenarios/checks/verdict_text.h"
#include "scenarios/domains.h"
#include "scenarios/world_queries.h"

namespace cs::scenarios {

namespace {

std::vector<std::string> Shared(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  std::vector<std::string> out;
  for (const std::string& x : a) {
    if (std::find(b.begin(), b.end(), x) != b.end()) out.push_back(x);
  }
  return out;
}

// "rack000" for one domain, "pdus rack000-pdu0, rack000-pdu1" for several.
std::string Where(const std::string& type, const std::vector<std::string>& domains) {
  if (domains.empty()) return "no " + type;
  return (domains.size() == 1 ? type + " " : type + "s ") + JoinItems(domains, ", ");
}

// The domains of `type` lost in `now`: those a fail-domain step cut, racks
// or rows whose servers are all without power, and failed controllers.
std::set<std::string> LostDomains(const Json& now, const std::string& type, const std::set<std::string>& cut) {
  std::set<std::string> lost = cut;
  if (type == "pdu") return lost;
  if (type == "controller") {
    for (const Json& c : now.value("controllers", Json::array())) {
      if (c.value("failed", false) && c.value("controller_id", Json()).is_number_integer()) {
        lost.insert(ControllerName(c["controller_id"].get<int>()));
      }
    }
    return lost;
  }
  Result<std::vector<Domain>> all = DomainsOf(now, type);
  if (!all.ok()) return lost;
  for (const Domain& d : *all) {
    bool dark = !d.servers.empty();
    for (const std::string& fqdn : d.servers) dark = dark && SimServer(now, fqdn).value("power_state", "") != "running";
    if (dark) lost.insert(d.name);
  }
  return lost;
}

// Where the target runs now on a powered, online node; "" when it is down.
std::string RunningOn(const Json& now, const Json& resource) {
  const Json on = resource.value("started_on", Json());
  if (!on.is_string()) return "";
  const Json server = SimServer(now, FqdnOfNode(now, on));
  if (server.value("power_state", "") != "running") return "";
  for (const Json& c : now.value("clusters", Json::array())) {
    for (const Json& n : c.value("nodes", Json::array())) {
      if (n.value("nodename", "") == on && !n.value("online", false)) return "";
    }
  }
  return on.get<std::string>();
}

}  // namespace

Verdict JudgeDomainSurvives(const Json& before, const Json& now, const std::string& type, const std::set<std::string>& cut,
                            const std::set<std::string>& stopped, bool expect_inside_down) {
  if (std::find(DomainTypes().begin(), DomainTypes().end(), type) == DomainTypes().end()) {
    return Verdict::Failed("no domain type '" + type + "' (rack, row, pdu or controller)");
  }
  const std::set<std::string> lost = LostDomains(now, type, cut);
  std::vector<std::string> problems, expected;
  Json down = Json::array(), survived = Json::array();  // survived: a node of its pair was in a lost domain
  int inside_lost = 0;
  for (const Json& c : before.value("clusters", Json::array())) {
    for (const Json& r : c.value("resources", Json::array())) {
      const std::string name = TargetNameOfLabel(r.value("ha_label", ""));
      if (!r.value("started_on", Json()).is_string() || stopped.count(name)) continue;
      const Json current = SimResource(now, name);
      const Json resource = current.is_null() ? r : current;
      const Json p = resource.value("primary_node", Json()), s = resource.value("secondary_node", Json());
      if (!p.is_string() || !s.is_string()) continue;  // no HA pair to judge
      const std::vector<std::string> pd = DomainsOfServer(SimServer(now, FqdnOfNode(now, p)), type);
      const std::vector<std::string> sd = DomainsOfServer(SimServer(now, FqdnOfNode(now, s)), type);
      const std::vector<std::string> shared = Shared(pd, sd);
      bool shared_lost = false;
      for (const std::string& d : shared) shared_lost = shared_lost || lost.count(d) > 0;
      inside_lost += shared_lost;
      const std::string on = current.is_null() ? "" : RunningOn(now, current);
      const std::string pair = "primary " + p.get<std::string>() + " (" + Where(type, pd) + ") and secondary " +
                               s.get<std::string>() + " (" + Where(type, sd) + ")";
      bool touched = shared_lost;
      for (const std::string& d : pd) touched = touched || lost.count(d) > 0;
      for (const std::string& d : sd) touched = touched || lost.count(d) > 0;
      if (!on.empty()) {
        if (touched) survived.push_back({{"target", name}, {"runs_on", on}, {"primary", p}, {"secondary", s}});
        if (shared_lost && expect_inside_down) {
          problems.push_back(name + " runs on " + on + " although its " + pair + " share the lost " + Where(type, shared) +
                             " (expected it down)");
        }
        continue;
      }
      std::string why;
      if (shared.empty()) {
        why = "its " + pair + " lie in different " + type + "s, so it should have survived";
        problems.push_back(name + " is down: " + why);
      } else {
        why = "its " + pair + " share " + Where(type, shared) + (shared_lost ? ", which was lost" : ", which was not lost");
        expected.push_back(name + " (" + why + ")");
      }
      down.push_back({{"target", name}, {"primary", p}, {"secondary", s}, {"primary_" + type, pd},
                      {"secondary_" + type, sd}, {"separated", shared.empty()}, {"why", why}});
    }
  }
  if (expect_inside_down && inside_lost == 0) {
    problems.push_back("no target had its primary and secondary inside a lost " + type + " (lost: " +
                       (lost.empty() ? "none" : JoinItems({lost.begin(), lost.end()}, ", ")) + "); expected some to go down with it");
  }
  const Json seen = {{"type", type}, {"lost", std::vector<std::string>(lost.begin(), lost.end())}, {"down", down}, {"survived", survived}};
  const std::string also = expected.empty() ? "" : std::to_string(expected.size()) + " down as their placement allows: " + JoinItems(expected, "; ");
  if (problems.empty()) return Verdict{true, also, seen};
  return Verdict::Failed(JoinItems(problems, "; ") + (also.empty() ? "" : "; and " + also), seen);
}

CheckDef DomainSurvivesCheck() {
  return {"domain-survives",
          "Every target whose primary and secondary lie in different domains of the type still runs; lists every target "
          "down and why (with pairs_inside: down, those whose pair shares a lost domain must be down)",
          {WithChoices(Required("type", ParamType::kString, "the domain type: rack, row, pdu or controller"), DomainTypes()),
           WithChoices(Optional("pairs_inside", ParamType::kString, "any",
                                "targets whose pair shares a lost domain: any (not judged) or down (must be down, and "
                                "there must be some)"),
                       {"any", "down"})},
          Millis(60000), [](StepContext& ctx) {
            Result<Json> now = SimStatus(*ctx.world.sim);
            if (!now.ok()) return Verdict::Failed("status: " + now.status().message());
            const std::string type = ctx.String("type");
            const auto cut = ctx.state.lost_domains.find(type);
            return JudgeDomainSurvives(ctx.state.before, *now, type,
                                       cut == ctx.state.lost_domains.end() ? std::set<std::string>() : cut->second,
                                       ctx.state.stopped_targets, ctx.String("pairs_inside") == "down");
          }};
}

}  // namespace cs::scenarios
