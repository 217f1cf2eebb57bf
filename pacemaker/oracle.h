// Oracle: what pacemaker's own scheduler makes of an event, for tests that
// check the simulator's decisions. Given the CIB exported before the event,
// it applies the event (a CIB change made the way the real agent's commands
// make it, or crm_simulate's --node-fail / --node-down / --node-up), runs
// crm_simulate transition after transition until nothing is left to do
// (start failures injected with --op-fail each time), and reads the result
// from crm_simulate's XML. Files live in a private temporary directory.
#pragma once

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include <pugixml.hpp>

#include "pacemaker/crm_tools.h"

namespace cs::pacemaker {

using CibEdit = std::function<void(pugi::xml_document&)>;

struct OracleEvent {
  std::string description;               // for reports: "node-fail test001"
  std::vector<std::string> node_args;    // crm_simulate's node injections
  CibEdit edit;                          // a configuration change, before
  CibEdit edit_after;                    // and one once that settled (un-move)
  bool quorum = true;                    // after the event, as corosync sees it
  std::vector<std::pair<std::string, std::string>> start_failures;  // (rsc, node)
};

struct OracleResult {
  MonView view;  // nodes and placement once settled (no quorum or DC)
  std::string final_cib;
  int transitions = 0;
};

class Oracle {
 public:
  // Creates a scratch directory under $TMPDIR (or /tmp).
  static Result<Oracle> Create();
  ~Oracle();
  Oracle(Oracle&& other) noexcept;
  Oracle(const Oracle&) = delete;
  Oracle& operator=(const Oracle&) = delete;
  Oracle& operator=(Oracle&&) = delete;

  Result<OracleResult> Run(const std::string& cib_before, const OracleEvent& event);

 private:
  explicit Oracle(std::string dir) : dir_(std::move(dir)) {}
  Status Settle(const std::string& path, const OracleEvent& event, std::vector<std::string> first_args,
                OracleResult& result);
  std::string dir_;
};

// The CIB changes the real agent's commands make.
void SetTargetRole(pugi::xml_document& cib, const std::string& rsc, bool started);  // crm_resource -m -p target-role
void SetStandby(pugi::xml_document& cib, const std::string& node, bool standby);    // crm_attribute -N -n standby
void AddLocation(pugi::xml_document& cib, const std::string& id, const std::string& rsc, const std::string& node,
                 const std::string& score);                                         // crm_resource --move
void RemoveConstraint(pugi::xml_document& cib, const std::string& id);              // crm_resource --un-move
void CleanupResource(pugi::xml_document& cib, const std::string& rsc);             // crm_resource --cleanup

}  // namespace cs::pacemaker
