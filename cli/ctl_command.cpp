#include "cli/ctl_command.h"

#include <iostream>

#include "cli/commands.h"
#include "sim/control/control_server.h"
#include "sim/control/remote_operations.h"
#include "util/json_parse.h"

namespace cs::cli {

namespace {

constexpr int kExitRefused = 1;  // the daemon answered with an error

Json ParseValue(const std::string& text) {
  Json value = ParseUntrustedJsonOrDiscarded(text);
  return value.is_discarded() ? Json(text) : value;
}

// "--fqdn x --fail true" -> {"fqdn": "x", "fail": true}; dashes in names
// become underscores so --ha-label works as well as --ha_label. ctl's own
// options may come after the operation too (`ctl status --control-url U`):
// they go to `options`, never to the daemon.
Result<Json> ParseArgs(const std::vector<std::string>& words, CtlOptions* options) {
  Json args = Json::object();
  for (size_t i = 1; i < words.size(); i += 2) {
    const std::string& flag = words[i];
    if (flag.rfind("--", 0) != 0 || flag.size() < 3) {
      return Status::InvalidArgument("expected --name value, got '" + flag + "'");
    }
    if (i + 1 >= words.size()) return Status::InvalidArgument(flag + " needs a value");
    std::string name = flag.substr(2);
    for (char& c : name) c = c == '-' ? '_' : c;
    if (name == "control_url") {
      options->url = words[i + 1];
    } else if (name == "control_token_file") {
      options->token_file = words[i + 1];
    } else if (args.contains(name)) {
      return Status::InvalidArgument(flag + " is given twice");
    } else {
      args[name] = ParseValue(words[i + 1]);
    }
  }
  return args;
}

}  // namespace

int RunCtl(const CtlOptions& given) {
  if (given.words.empty()) {
    return Fail("ctl needs an operation (`cluster-sim ctl list_operations` lists them)");
  }
  CtlOptions options = given;
  auto args = ParseArgs(options.words, &options);
  if (!args.ok()) return Fail("ctl: " + args.status().message());
  SimulatorRemoteOptions remote;
  remote.url = options.url;
  if (options.token_file) {
    auto token = ReadTokenFile(*options.token_file);
    if (!token.ok()) return Fail(token.status().message());
    remote.token = *token;
  }
  auto ops = SimulatorRemoteOperations::Connect(remote);
  if (!ops.ok()) return Fail("ctl: " + ops.status().message());
  const std::string& operation = options.words.front();
  Result<Json> result = operation == "list_operations" ? (*ops)->Call("", Json::object()) : (*ops)->Call(operation, *args);
  if (!result.ok()) {
    std::cerr << "cluster-sim: " << operation << ": " << result.status().message() << std::endl;
    return kExitRefused;
  }
  std::cout << result->dump(2) << std::endl;
  return kExitOk;
}

}  // namespace cs::cli
