#include "benchmark/target.h"

#include <algorithm>
#include <thread>

#include "manager/manager_client.h"
#include "sim/control/remote_operations.h"

namespace cs::benchmark {

namespace {

using std::chrono::steady_clock;

Result<std::unique_ptr<manager::ManagerClient>> LoggedIn(const TargetOptions& o, ConnectProblem* problem) {
  auto client = manager::ManagerClient::Create(o.url, o.ca_pem);
  if (!client.ok()) return client.status();
  Result<Json> session = (*client)->Call("GET", "api/session/");
  if (!session.ok()) {
    if (problem) *problem = ConnectProblem::kManagerSilent;
    return Status::Unavailable("the manager at " + o.url + " does not answer: " + session.status().message());
  }
  Status login = (*client)->Login(o.username, o.password);
  if (!login.ok()) {
    if (problem) *problem = ConnectProblem::kCredentialsRefused;
    return Status::FailedPrecondition("the manager at " + o.url + " refused the credentials of user '" +
                                      o.username + "'");
  }
  return client;
}

}  // namespace

Result<int64_t> CommandIdOf(const Json& registration) {
  const Json id = registration.is_object() ? registration.value("command_id", Json()) : Json();
  if (!id.is_number_integer()) {
    return Status::FailedPrecondition("the registration answer has no command_id: " + registration.dump());
  }
  return id.get<int64_t>();
}

Result<std::unique_ptr<Target>> Target::Connect(const TargetOptions& options, ConnectProblem* problem) {
  if (problem) *problem = ConnectProblem::kNone;
  std::unique_ptr<Target> t(new Target(options));
  auto rest = LoggedIn(options, problem);
  if (!rest.ok()) return rest.status();
  t->rest_ = std::move(*rest);
  SimulatorRemoteOptions remote;
  remote.url = options.control_url;
  remote.timeout = std::max(options.control_timeout, kHousekeepingTimeout);
  auto housekeeping = SimulatorRemoteOperations::Connect(remote);
  Result<Json> alive =
      housekeeping.ok() ? (*housekeeping)->Call("list_servers", Json::object()) : Result<Json>(housekeeping.status());
  if (!alive.ok()) {
    if (problem) *problem = ConnectProblem::kSimulatorSilent;
    return Status::Unavailable("the simulator's control API at " + options.control_url +
                               " does not answer: " + alive.status().message());
  }
  remote.timeout = options.control_timeout;
  auto measured = SimulatorRemoteOperations::Connect(remote);
  if (!measured.ok()) return measured.status();
  t->housekeeping_ = std::move(*housekeeping);
  t->measured_ = std::move(*measured);
  return t;
}

Target::~Target() = default;

Result<std::unique_ptr<manager::ManagerClient>> Target::NewClient() const { return LoggedIn(options_, nullptr); }

Result<Json> Target::Rest(const std::string& method, const std::string& path, const Json& body) {
  std::lock_guard<std::mutex> lock(mu_);
  const auto started = steady_clock::now();
  Result<Json> answer = rest_->Call(method, path, body);
  RecordRest(method, path, started, answer);
  return answer;
}

void Target::RecordRest(const std::string& method, const std::string& path, steady_clock::time_point started,
                        const Result<Json>& answer) {
  const auto took = steady_clock::now() - started;
  // The answer's size as JSON text: ManagerClient hands back the parsed body.
  const uint64_t bytes = answer.ok() && !answer->is_null() ? answer->dump().size() : 0;
  recorder_.Record(method, RequestName(path), took, answer.ok() ? "" : RestFailureReason(answer.status()), bytes);
}

namespace {

Result<Json> RecordedCall(SimulatorRemoteOperations& control, RequestRecorder& recorder, const std::string& operation,
                          const Json& args) {
  const auto started = steady_clock::now();
  Result<Json> answer = control.Call(operation, args);  // thread-safe by itself
  const uint64_t bytes = answer.ok() && !answer->is_null() ? answer->dump().size() : 0;
  recorder.Record(kControlType, operation, steady_clock::now() - started,
                  answer.ok() ? "" : ControlFailureReason(answer.status()), bytes);
  return answer;
}

}  // namespace

Result<Json> Target::Control(const std::string& operation, const Json& args) {
  return RecordedCall(*housekeeping_, recorder_, operation, args);
}

Result<Json> Target::MeasuredControl(const std::string& operation, const Json& args) {
  return RecordedCall(*measured_, recorder_, operation, args);
}

bool Target::Sleep(std::chrono::milliseconds d) const {
  const auto until = steady_clock::now() + d;
  while (steady_clock::now() < until) {
    if (interrupted()) return false;
    std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(std::chrono::milliseconds(100),
                                                                                until - steady_clock::now()));
  }
  return !interrupted();
}

Result<std::string> Target::RegistrationSecret(int credits) {
  Result<Json> token = Rest("POST", "api/registration_token/",
                            Json{{"credits", credits}, {"profile", "/api/server_profile/base_managed_rh7/"}});
  if (!token.ok()) return token.status();
  if (!token->value("secret", Json()).is_string()) return Status::Corruption("the registration token has no secret");
  return (*token)["secret"].get<std::string>();
}

Status Target::WaitForCommands(const std::vector<int64_t>& ids, Deadline deadline) {
  for (int64_t id : ids) {
    while (true) {
      Result<Json> command = Rest("GET", "api/command/" + std::to_string(id) + "/");
      if (!command.ok()) return command.status();
      if (command->value("complete", false)) {
        if (command->value("errored", false) || command->value("cancelled", false)) {
          return Status::FailedPrecondition("command " + std::to_string(id) + " (" +
                                            command->value("message", std::string()) + ") failed");
        }
        break;
      }
      if (interrupted()) return Status::Unavailable("interrupted");
      if (steady_clock::now() >= deadline) {
        return Status::Unavailable("command " + std::to_string(id) + " (" +
                                        command->value("message", std::string()) + ") did not complete in time");
      }
      Sleep(std::chrono::milliseconds(500));
    }
  }
  return Status::Ok();
}

Result<std::vector<Json>> Target::Queues() {
  Result<Json> status = Rest("GET", "api/system_status/");
  if (!status.ok()) return status.status();
  const Json queues = status->value("rabbitmq", Json::object()).value("queues", Json::array());
  if (!queues.is_array()) return Status::Corruption("system_status/ has no rabbitmq.queues list");
  return std::vector<Json>(queues.begin(), queues.end());
}

Status Target::Reset(Deadline deadline) {
  Result<Json> removed = Control("remove_all_servers", Json::object());
  if (!removed.ok()) return removed.status();
  constexpr int kGroup = 4;  // the original removed hosts 4 at a time (HYD-1741)
  while (true) {
    Result<Json> hosts = Rest("GET", "api/host/?limit=" + std::to_string(kGroup));
    if (!hosts.ok()) return hosts.status();
    const Json objects = hosts->value("objects", Json::array());
    if (objects.empty()) break;
    std::vector<int64_t> commands;
    for (const Json& host : objects) {
      Json args = {{"host_id", host.value("id", int64_t{0})}};
      for (const Json& job : host.value("available_jobs", Json::array())) {
        if (job.value("class_name", "") == "ForceRemoveHostJob") args = job.value("args", args);
      }
      Result<Json> command = Rest("POST", "api/command/",
                                  Json{{"message", "Benchmark clearing " + host.value("fqdn", std::string())},
                                       {"jobs", Json::array({{{"class_name", "ForceRemoveHostJob"}, {"args", args}}})}});
      if (!command.ok()) return command.status();
      commands.push_back(command->value("id", int64_t{0}));
    }
    CS_RETURN_IF_ERROR(WaitForCommands(commands, deadline));
    if (steady_clock::now() >= deadline) return Status::Unavailable("reset: hosts remain on the manager");
  }
  Result<Json> controllers = Rest("GET", "api/storage_resource/?plugin_name=simulator_controller&class_name=Couplet&limit=0");
  if (!controllers.ok()) return controllers.status();
  for (const Json& r : controllers->value("objects", Json::array())) {
    std::string uri = r.value("resource_uri", std::string());
    if (!uri.empty() && uri[0] == '/') uri = uri.substr(1);
    Result<Json> gone = Rest("DELETE", uri);
    if (!gone.ok()) return gone.status();
  }
  return Status::Ok();
}

}  // namespace cs::benchmark
