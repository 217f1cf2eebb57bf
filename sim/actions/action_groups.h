// The action groups the default catalog is made of, one file each, and the
// helpers their handlers share. Internal to sim/actions.
#pragma once

#include "sim/actions/action.h"
#include "sim/actions/agent_result.h"

namespace cs {

void AddServerActions(ActionCatalog& catalog);    // server_actions.cpp
void AddPackageActions(ActionCatalog& catalog);   // package_actions.cpp
void AddLnetActions(ActionCatalog& catalog);      // lnet_actions.cpp
void AddCorosyncActions(ActionCatalog& catalog);  // corosync_actions.cpp
void AddPacemakerActions(ActionCatalog& catalog); // pacemaker_actions.cpp
void AddTargetActions(ActionCatalog& catalog);    // target_actions.cpp
void AddCopytoolActions(ActionCatalog& catalog);  // copytool_actions.cpp

// The server the action runs on; RunAction has checked that it exists.
const Server& ThisServer(const ActionContext& ctx);
// The same, marked changed: only call when about to change it.
Server& MutableThisServer(ActionContext& ctx);

// Outcomes the original answered with most often.
inline ActionOutcome Ok() { return ActionOutcome::Value(AgentResultOk()); }
inline ActionOutcome Null() { return ActionOutcome::Value(Json(nullptr)); }
// Handlers of actions the simulator only acknowledges.
inline ActionOutcome AcknowledgeOk(ActionContext&, const ActionArgs&) { return Ok(); }
inline ActionOutcome AcknowledgeNull(ActionContext&, const ActionArgs&) { return Null(); }

}  // namespace cs
