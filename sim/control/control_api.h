// ControlApi: the simulator's out-of-band door, as named operations with
// named, typed arguments. Everything the original SimulatorRemoteOperations
// and ClusterSimulator offered integration tests and the benchmark tool,
// plus fault injection. Transport-neutral: the control server
// (sim/control/control_server.h) maps HTTP/JSON and XML-RPC calls onto
// Call(). Arguments are checked before anything changes; an operation that
// changes the world does so in one Store::Apply, so a refused request leaves
// the state as it was.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "sim/actions/action_args.h"
#include "util/status.h"

namespace cs {

class Simulator;
struct ControlContext;

using ControlDone = std::function<void(Result<Json>)>;

// One operation: its arguments in positional order (XML-RPC calls pass them
// so), and a handler that answers now or later (register waits for the
// manager, await_server_boot for the boot) through `done`, exactly once.
struct ControlOperation {
  std::string name;
  std::vector<ArgSpec> params;
  std::string help;
  std::function<void(ControlContext&, const ActionArgs&, ControlDone)> run;
};

class ControlApi {
 public:
  explicit ControlApi(Simulator& sim);
  ~ControlApi();

  // Checks `args` (an object, or null for none) and runs the operation.
  // `done` may be called before Call returns, or later on a pool thread.
  void Call(const std::string& name, const Json& args, ControlDone done);
  // Positional parameters (XML-RPC) as named arguments of `name`.
  Result<Json> NamedArgs(const std::string& name, const Json& positional) const;

  const ControlOperation* Find(const std::string& name) const;
  std::vector<std::string> Names() const;
  // {name: {params: [...], help}} for `GET /api/v1/` and `ctl --help`.
  Json Describe() const;
  // The load figures in Prometheus text format (metrics/prometheus.h).
  std::string PrometheusMetrics() const;

 private:
  std::unique_ptr<ControlContext> ctx_;
  std::map<std::string, ControlOperation> ops_;
};

// The HTTP status a failed operation answers with: 400 bad argument, 404
// unknown object, 409 makes no sense now, 503 unavailable, 500 otherwise.
int HttpStatusOf(const Status& status);

}  // namespace cs
