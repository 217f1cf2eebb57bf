// Checks of the simulator's own state: invariants (its consistency rules)
// and targets-running (every target that ran still runs where it may).
#include <algorithm>

#include "scenarios/checks/judges.h"
#include "scenarios/checks/verdict_text.h"
#include "scenarios/world_queries.h"

namespace cs::scenarios {

namespace {

// Why node `nodename` cannot run resources now, or "" when it can.
std::string NodeProblem(const Json& status, const std::string& nodename) {
  for (const Json& c : status.value("clusters", Json::array())) {
    for (const Json& n : c.value("nodes", Json::array())) {
      if (n.value("nodename", "") != nodename) continue;
      if (!n.value("online", false)) return "offline in its cluster";
      if (n.value("standby", false)) return "in standby";
    }
  }
  const Json server = SimServer(status, FqdnOfNode(status, nodename));
  if (server.is_null()) return "not a server of the fleet";
  if (server.value("power_state", "") != "running") return "not running (" + server.value("power_state", "?") + ")";
  return "";
}

}  // namespace

Verdict JudgeInvariants(const Json& answer) {
  const Json violations = answer.value("violations", Json());
  if (!violations.is_array()) return Verdict::Failed("check_invariants answered without a violations list: " + answer.dump());
  if (violations.empty()) return Verdict::Pass();
  std::vector<std::string> items;
  for (const Json& v : violations) items.push_back(v.is_string() ? v.get<std::string>() : v.dump());
  return Verdict::Failed(std::to_string(items.size()) + " invariant violation(s), expected none: " + JoinItems(items, "; "), violations);
}

Verdict JudgeTargetsRunning(const Json& before, const Json& now, const std::set<std::string>& stopped,
                            const std::vector<std::string>& scope) {
  std::vector<std::string> problems;
  Json seen = Json::object();
  for (const Json& c : before.value("clusters", Json::array())) {
    for (const Json& r : c.value("resources", Json::array())) {
      const std::string name = TargetNameOfLabel(r.value("ha_label", ""));
      if (!r.value("started_on", Json()).is_string() || stopped.count(name)) continue;
      if (!InScope(scope, FqdnOfNode(before, r["started_on"]))) continue;
      const Json current = SimResource(now, name);
      if (current.is_null()) {
        problems.push_back(name + " ran on " + r["started_on"].get<std::string>() + " and is gone");
        continue;
      }
      const Json on = current.value("started_on", Json());
      seen[name] = on;
      const std::string allowed = OrNowhere(current.value("primary_node", Json())) + " or " + OrNowhere(current.value("secondary_node", Json()));
      if (!on.is_string()) {
        problems.push_back(name + " ran on " + r["started_on"].get<std::string>() + " and runs nowhere now (expected on " + allowed + ")");
        continue;
      }
      if (on != current.value("primary_node", Json()) && on != current.value("secondary_node", Json())) {
        problems.push_back(name + " runs on " + on.get<std::string>() + ", which may not run it (expected " + allowed + ")");
        continue;
      }
      const std::string node = NodeProblem(now, on.get<std::string>());
      if (!node.empty()) problems.push_back(name + " runs on " + on.get<std::string>() + ", which is " + node);
    }
  }
  if (problems.empty()) return Verdict::Pass(seen);
  return Verdict::Failed(JoinItems(problems, "; "), seen);
}

CheckDef InvariantsCheck() {
  return {"invariants", "The simulator's own consistency check (cluster-sim check) finds no violation", {}, Millis(10000),
          [](StepContext& ctx) {
            Result<Json> answer = ctx.world.sim->Call("check_invariants", Json::object());
            if (!answer.ok()) return Verdict::Failed("check_invariants: " + answer.status().message());
            return JudgeInvariants(*answer);
          }};
}

CheckDef TargetsRunningCheck() {
  return {"targets-running",
          "Every target that ran when the scenario began runs on an online node allowed to run it (unless the scenario stopped it)",
          {}, Millis(60000), [](StepContext& ctx) {
            Result<Json> now = SimStatus(*ctx.world.sim);
            if (!now.ok()) return Verdict::Failed("status: " + now.status().message());
            return JudgeTargetsRunning(ctx.state.before, *now, ctx.state.stopped_targets, ctx.state.scope);
          }};
}

}  // namespace cs::scenarios
