// Actions: what the manager asks an agent to do through its action_runner
// plugin (ACTION_START {action, args}), as pure logic on the shared world.
// Each action has the original agent's name and argument names; RunAction
// checks the arguments before the action touches anything, and the action
// answers with the result the original simulator sent, already wrapped the
// way it wrapped it (see agent_result.h). Effects outside the world (stopping
// the agent, rebooting) are the runtime's, signalled through `after`.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fakes/world.h"
#include "sim/actions/action_args.h"
#include "util/clock.h"
#include "util/random.h"
#include "util/status.h"

namespace cs {

// What the runtime does once the answer has been sent.
enum class AfterResponse { kNone, kDeregister, kShutdown, kReboot, kRestartAgent };
const char* AfterResponseName(AfterResponse after);

// The device plugins (linux, lustre, ...) as the device_plugin action sees
// them; the runtime plugs its plugins in, tests plug in fakes.
class DevicePluginSource {
 public:
  virtual ~DevicePluginSource() = default;
  virtual std::vector<std::string> Names() const = 0;
  // The body the plugin sends at the start of a session, or an error when
  // the plugin does not exist or cannot answer.
  virtual Result<Json> StartSession(const World& world, const std::string& fqdn,
                                    const std::string& plugin) const = 0;
};

struct ActionContext {
  World& world;
  std::string fqdn;  // the server the action runs on
  const Clock& clock;
  Random& random;
  const DevicePluginSource* device_plugins = nullptr;
};

struct ActionOutcome {
  Json result;                           // ACTION_COMPLETE "result"
  std::optional<std::string> exception;  // set when the action failed
  AfterResponse after = AfterResponse::kNone;
  // A failed action's changes are normally undone; this one's are kept
  // (a failed start: pacemaker keeps the failcount that bans the node).
  bool keep_changes_on_failure = false;

  static ActionOutcome Value(Json result) { return ActionOutcome{std::move(result), {}, {}, false}; }
  static ActionOutcome Failure(std::string text) {
    return ActionOutcome{Json(nullptr), std::move(text), {}, false};
  }
  static ActionOutcome FromStatus(const Status& s) { return Failure(s.message()); }
};

using ActionHandler = std::function<ActionOutcome(ActionContext&, const ActionArgs&)>;

// One action: its handler and the arguments it takes.
struct ActionDef {
  ActionHandler handler;
  std::vector<ArgSpec> params;
};

class ActionCatalog {
 public:
  // Every action the original simulator answered.
  static const ActionCatalog& Default();

  void Add(std::string name, std::vector<ArgSpec> params, ActionHandler handler);
  const ActionDef* Find(std::string_view name) const;
  std::vector<std::string> Names() const;

 private:
  std::map<std::string, ActionDef, std::less<>> actions_;
};

// Runs one action on ctx.fqdn. An unknown action, an unknown server, or
// missing, mistyped or extra arguments give an outcome with `exception` set
// and leave the world untouched; otherwise the handler's outcome. Never
// throws.
ActionOutcome RunAction(const ActionCatalog& catalog, ActionContext& ctx, std::string_view action,
                        const Json& args);

}  // namespace cs
