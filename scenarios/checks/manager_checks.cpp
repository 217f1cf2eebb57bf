// Checks that judge the manager against the simulator, through the
// manager's REST API only (host/, target/, command/, log/), so a real IML
// manager can be the one under test: manager-agrees, commands-finish,
// no-lost-actions, logs-arrive and target-on.
#include <algorithm>
#include <map>

#include "scenarios/checks/judges.h"
#include "scenarios/checks/verdict_text.h"
#include "scenarios/world_queries.h"

namespace cs::scenarios {

namespace {

// Where the simulator runs target `name`, as an fqdn, or null.
Json SimRunsOn(const Json& status, const std::string& name) {
  const Json r = SimResource(status, name);
  if (r.is_null() || !r.value("started_on", Json()).is_string()) return nullptr;
  return FqdnOfNode(status, r["started_on"]);
}

}  // namespace

Verdict JudgeManagerAgrees(const Json& status, const std::vector<Json>& targets, const std::vector<Json>& hosts,
                           const std::vector<std::string>& scope) {
  std::vector<std::string> problems;
  for (const Json& t : targets) {
    const std::string name = t.value("name", "");
    const Json primary = t.value("primary_host", Json());
    if (primary.is_string() && !InScope(scope, primary)) continue;
    const Json sim_on = SimRunsOn(status, name);
    const Json manager_on = t.value("active_host", Json());
    if (sim_on != manager_on) {
      problems.push_back("the manager says " + name + " runs on " + OrNowhere(manager_on) + ", the simulator runs it on " +
                         OrNowhere(sim_on));
    }
  }
  for (const Json& h : hosts) {
    const std::string fqdn = h.value("fqdn", "");
    if (!InScope(scope, fqdn)) continue;
    const Json server = SimServer(status, fqdn);
    if (server.is_null()) continue;  // a host the simulator does not simulate
    const std::string power = server.value("power_state", "");
    if (power != "running" && power != "off") continue;  // booting or shutting down: no expectation yet
    const bool reachable = h.value("reachable", false);
    if (power == "running" && !reachable) problems.push_back(fqdn + " is running but the manager sees it unreachable");
    if (power == "off" && reachable) problems.push_back(fqdn + " is off but the manager sees it reachable");
  }
  if (problems.empty()) return Verdict::Pass();
  return Verdict::Failed(JoinFirstItems(problems, 10));
}

Verdict JudgeCommandsFinish(const std::vector<Json>& commands, int64_t first_id, const std::vector<std::string>& scope) {
  std::vector<std::string> problems;
  for (const Json& c : commands) {
    const int64_t id = c.value("id", int64_t{0});
    const std::string state = c.value("state", "");
    if (id < first_id || (state != "pending" && state != "running")) continue;
    bool touches = scope.empty();
    std::string current;
    for (const Json& s : c.value("steps", Json::array())) {
      touches = touches || InScope(scope, s.value("fqdn", ""));
      const std::string ss = s.value("state", "");
      if (current.empty() && (ss == "running" || ss == "waiting")) current = s.value("action", "?") + " on " + s.value("fqdn", "?");
    }
    if (!touches) continue;
    problems.push_back("command " + std::to_string(id) + " '" + c.value("message", "") + "' is still " + state +
                       (current.empty() ? "" : " (at " + current + ")"));
  }
  if (problems.empty()) return Verdict::Pass();
  return Verdict::Failed(JoinFirstItems(problems, 10) + "; expected every command to have finished");
}

Verdict JudgeNoLostActions(const std::vector<Json>& commands, const Json& status, int64_t first_id) {
  static const std::map<std::string, std::string> kWhere = {
      {"start_target", "primary"}, {"failback_target", "primary"}, {"failover_target", "secondary"}, {"stop_target", "stopped"}};
  std::vector<Json> sorted = commands;
  std::sort(sorted.begin(), sorted.end(), [](const Json& a, const Json& b) { return a.value("id", 0) < b.value("id", 0); });
  std::map<std::string, std::pair<std::string, int64_t>> last;  // ha_label -> (where, command id)
  for (const Json& c : sorted) {
    const int64_t id = c.value("id", int64_t{0});
    if (id < first_id) continue;
    for (const Json& s : c.value("steps", Json::array())) {
      auto where = kWhere.find(s.value("action", ""));
      if (where == kWhere.end() || s.value("state", "") != "succeeded") continue;
      const Json args = s.value("args", Json::object());
      if (args.is_object() && args.value("ha_label", Json()).is_string()) last[args["ha_label"]] = {where->second, id};
    }
  }
  std::vector<std::string> problems;
  Json seen = Json::object();
  for (const auto& [label, done] : last) {
    const std::string name = TargetNameOfLabel(label);
    const Json r = SimResource(status, name);
    const std::string action = done.first == "primary" ? "start/failback" : done.first == "secondary" ? "failover" : "stop";
    const std::string what = "command " + std::to_string(done.second) + " (" + action + " of " + name + ") succeeded";
    if (r.is_null()) {
      problems.push_back(what + " but the simulator has no such resource");
      continue;
    }
    const Json on = r.value("started_on", Json());
    seen[name] = on;
    const Json expected = done.first == "stopped" ? Json() : r.value(done.first + "_node", Json());
    if (on != expected) {
      problems.push_back(what + ", so it should run on " + OrNowhere(expected) + ", but the simulator runs it on " + OrNowhere(on));
    }
  }
  if (problems.empty()) return Verdict::Pass(seen);
  return Verdict::Failed(JoinFirstItems(problems, 10), seen);
}

Verdict JudgeLogsArrive(const std::vector<Json>& injected, const std::vector<Json>& manager_lines) {
  std::set<std::pair<std::string, std::string>> received;
  for (const Json& l : manager_lines) received.emplace(l.value("fqdn", ""), l.value("message", ""));
  std::vector<std::string> missing;
  for (const Json& l : injected) {
    if (!received.count({l.value("fqdn", ""), l.value("message", "")})) {
      missing.push_back("'" + l.value("message", "") + "' from " + l.value("fqdn", ""));
    }
  }
  if (injected.empty()) return Verdict::Failed("no line was injected: the scenario needs an inject-log step before logs-arrive");
  if (missing.empty()) return Verdict::Pass(Json{{"lines", injected.size()}});
  return Verdict::Failed(std::to_string(missing.size()) + " of " + std::to_string(injected.size()) +
                         " injected lines have not reached the manager: " + JoinFirstItems(missing, 3));
}

Verdict JudgeTargetOn(const Json& status, const std::vector<Json>& targets, const std::string& target,
                      const std::string& server) {
  const Json sim_on = SimRunsOn(status, target);
  Json manager_on;
  for (const Json& t : targets) {
    if (t.value("name", "") == target) manager_on = t.value("active_host", Json());
  }
  std::vector<std::string> problems;
  if (sim_on != server) problems.push_back("the simulator runs " + target + " on " + OrNowhere(sim_on));
  if (manager_on != server) problems.push_back("the manager says it runs on " + OrNowhere(manager_on));
  if (problems.empty()) return Verdict::Pass();
  return Verdict::Failed("expected " + target + " on " + server + ", but " + JoinFirstItems(problems, 10));
}

CheckDef ManagerAgreesCheck() {
  return {"manager-agrees",
          "The manager's active_host of every target is where the simulator runs it; every running host is reachable, every one off is not",
          {}, Millis(90000), [](StepContext& ctx) {
            Result<Json> status = SimStatus(*ctx.world.sim);
            if (!status.ok()) return Verdict::Failed("status: " + status.status().message());
            Result<std::vector<Json>> targets = ctx.world.manager->ListAll("target/");
            if (!targets.ok()) return Verdict::Failed("manager target/: " + targets.status().message());
            Result<std::vector<Json>> hosts = ctx.world.manager->ListAll("host/");
            if (!hosts.ok()) return Verdict::Failed("manager host/: " + hosts.status().message());
            return JudgeManagerAgrees(*status, *targets, *hosts, ctx.state.scope);
          }};
}

CheckDef CommandsFinishCheck() {
  return {"commands-finish", "No manager command of the scenario is still pending or running", {}, Millis(60000),
          [](StepContext& ctx) {
            Result<std::vector<Json>> commands = ctx.world.manager->ListAll("command/");
            if (!commands.ok()) return Verdict::Failed("manager command/: " + commands.status().message());
            return JudgeCommandsFinish(*commands, ctx.state.first_command_id, ctx.state.scope);
          }};
}

CheckDef NoLostActionsCheck() {
  return {"no-lost-actions",
          "Every target action the manager saw succeed in the scenario (start, stop, failover, failback) shows in the simulator's state",
          {}, Millis(30000), [](StepContext& ctx) {
            Result<std::vector<Json>> commands = ctx.world.manager->ListAll("command/");
            if (!commands.ok()) return Verdict::Failed("manager command/: " + commands.status().message());
            Result<Json> status = SimStatus(*ctx.world.sim);
            if (!status.ok()) return Verdict::Failed("status: " + status.status().message());
            return JudgeNoLostActions(*commands, *status, ctx.state.first_command_id);
          }};
}

CheckDef LogsArriveCheck() {
  return {"logs-arrive", "Every journal line the scenario injected has reached the manager (its log/ API)", {},
          Millis(60000), [](StepContext& ctx) {
            std::set<std::string> hosts;
            for (const Json& l : ctx.state.injected_lines) hosts.insert(l.value("fqdn", ""));
            std::vector<Json> lines;
            for (const std::string& fqdn : hosts) {
              Result<std::vector<Json>> page =
                  ctx.world.manager->ListAll("log/?fqdn=" + fqdn + "&message__contains=" + ctx.state.marker + "%20");
              if (!page.ok()) return Verdict::Failed("manager log/: " + page.status().message());
              lines.insert(lines.end(), page->begin(), page->end());
            }
            return JudgeLogsArrive(ctx.state.injected_lines, lines);
          }};
}

CheckDef TargetOnCheck() {
  return {"target-on", "A target runs on the given server, in the simulator and as the manager sees it",
          {Required("target", ParamType::kTarget, "the target"), Required("server", ParamType::kServer, "where it should run")},
          Millis(60000), [](StepContext& ctx) {
            Result<Json> status = SimStatus(*ctx.world.sim);
            if (!status.ok()) return Verdict::Failed("status: " + status.status().message());
            Result<std::vector<Json>> targets = ctx.world.manager->ListAll("target/");
            if (!targets.ok()) return Verdict::Failed("manager target/: " + targets.status().message());
            return JudgeTargetOn(*status, *targets, ctx.String("target"), ctx.String("server"));
          }};
}

}  // namespace cs::scenarios
