// CrmTools: Debian's pacemaker command-line tools run on a CIB file, for the
// tests and benchmarks that check the simulator against pacemaker itself:
// crm_verify (is the CIB valid), crm_mon (what the cluster shows: nodes,
// where each resource runs) and crm_simulate (what pacemaker's scheduler
// does next, with events injected). Each call is bounded by `timeout`.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "util/status.h"

namespace cs::pacemaker {

struct ToolOutput {
  int exit_code = 0;
  std::string output;  // stdout and stderr
};

// Runs `argv` (no shell) with extra environment variables; bounded in time.
Result<ToolOutput> RunTool(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env = {});

// crm_verify -x FILE: Ok unless it found errors (then every line it
// printed). Warnings (an unclean node to fence, say) go to `warnings`.
Status CrmVerify(const std::string& cib_file, std::string* warnings = nullptr);

// What crm_mon -1 --output-as=xml says about a CIB file.
struct MonView {
  std::set<std::string> online, offline, standby, unclean;
  std::optional<std::string> dc;
  bool quorum = false;
  // resource id -> node it is active on (nullopt: stopped).
  std::map<std::string, std::optional<std::string>> placement;
  std::set<std::string> failed;  // resources with a failed role or history
  // Every attribute of each <node> element, by node name.
  std::map<std::string, std::map<std::string, std::string>> node_attributes;
};
Result<MonView> CrmMon(const std::string& cib_file);

// crm_simulate -x IN -S [args] -O OUT: runs one transition; `changed`
// says whether it executed any action, `after` is the cluster once it ran
// (its quorum and DC are not filled in).
struct SimulateResult {
  bool changed = false;
  MonView after;
  std::string output;  // XML
};
Result<SimulateResult> CrmSimulate(const std::string& in, const std::string& out, const std::vector<std::string>& args);

}  // namespace cs::pacemaker
