// The judgements behind the registered checks, as pure functions of what
// the simulator and the manager answered, so each can be unit-tested
// against made-up wrong states. Each fails with a message that says what it
// saw and what it expected. `scope`: the fqdns a run may touch (empty: all).
#pragma once

#include <set>
#include <string>
#include <vector>

#include "scenarios/registry.h"

namespace cs::scenarios {

// invariants: the simulator's check_invariants answer has no violations.
Verdict JudgeInvariants(const Json& answer);

// targets-running: every target that ran in `before` runs in `now` on an
// online, non-standby, powered node allowed to run it, unless stopped on purpose.
Verdict JudgeTargetsRunning(const Json& before, const Json& now, const std::set<std::string>& stopped,
                            const std::vector<std::string>& scope);

// manager-agrees: the manager's active_host of every target is where the
// simulator runs it; every running host is reachable, every one off is not.
Verdict JudgeManagerAgrees(const Json& status, const std::vector<Json>& targets, const std::vector<Json>& hosts,
                           const std::vector<std::string>& scope);

// commands-finish: no command with id >= first_id is pending or running.
Verdict JudgeCommandsFinish(const std::vector<Json>& commands, int64_t first_id, const std::vector<std::string>& scope);

// no-lost-actions: for every target, the last target action the manager saw
// succeed (in commands with id >= first_id) is what the simulator shows.
Verdict JudgeNoLostActions(const std::vector<Json>& commands, const Json& status, int64_t first_id);

// logs-arrive: every injected {fqdn, message} is among the manager's lines.
Verdict JudgeLogsArrive(const std::vector<Json>& injected, const std::vector<Json>& manager_lines);

// target-on: the simulator runs `target` on `server` and the manager says so.
Verdict JudgeTargetOn(const Json& status, const std::vector<Json>& targets, const std::string& target,
                      const std::string& server);

// domain-survives: every target that ran in `before` (not stopped on
// purpose) whose primary and secondary share no domain of `type` runs in
// `now` on a powered, online node. Lost domains: `cut` (what fail-domain
// cut) plus racks and rows whose servers are all without power. With
// `expect_inside_down`, targets whose pair shares a lost domain must be
// down, and there must be at least one. The verdict's message and seen list
// every target down and why.
Verdict JudgeDomainSurvives(const Json& before, const Json& now, const std::string& type, const std::set<std::string>& cut,
                            const std::set<std::string>& stopped, bool expect_inside_down);

// Checks by name, one factory each (builtin.cpp registers them).
CheckDef InvariantsCheck();
CheckDef TargetsRunningCheck();
CheckDef ManagerAgreesCheck();
CheckDef CommandsFinishCheck();
CheckDef NoLostActionsCheck();
CheckDef LogsArriveCheck();
CheckDef TargetOnCheck();
CheckDef DomainSurvivesCheck();

}  // namespace cs::scenarios
