#include "benchmark/modes.h"

#include <cmath>

namespace cs::benchmark {

namespace {

using std::chrono::steady_clock;

constexpr int kSuSize = 4;  // the original's SU_SIZE

void Note(const ModeOptions& o, const std::string& text) {
  if (o.note) o.note(text);
}

void Fleet(const ModeOptions& o, int n) {
  if (o.fleet_size) o.fleet_size(n);
}

Deadline StepDeadline(const ModeOptions& o) { return std::min(o.deadline, steady_clock::now() + o.command_timeout); }

// Why a loop must end before its next step, or "".
std::string Bound(Target& t, const ModeOptions& o, int step) {
  if (t.interrupted()) return "interrupted";
  if (steady_clock::now() >= o.deadline) return "timeout";
  if (step >= o.max_steps) return "max steps";
  return "";
}

// An error that ends the mode (not a limit): the report says so.
ModeReport& Errored(ModeReport& r, const Status& s) {
  r.stop_reason = s.message() == "interrupted" ? "interrupted" : "error";
  r.error = s.message();
  return r;
}

// A control operation that got no answer (the transport timed out or
// failed, or the daemon was too busy: 503), as opposed to a refusal.
bool NoAnswer(const Status& s) { return s.code() == Status::Code::kUnavailable && s.message() != "interrupted"; }

struct Su {
  std::vector<std::string> fqdns, serials;
  int64_t controller_id = 0;
};

Result<Su> AddSu(Target& t, int servers, int volumes) {
  Result<Json> su = t.Control("add_su", Json{{"server_count", servers}, {"volume_count", volumes}, {"nid_count", 1}});
  if (!su.ok()) return su.status();
  Su out;
  for (const Json& f : su->value("fqdns", Json::array())) out.fqdns.push_back(f.get<std::string>());
  for (const Json& s : su->value("serials", Json::array())) out.serials.push_back(s.get<std::string>());
  out.controller_id = su->value("controller_id", int64_t{0});
  return out;
}

// Registers each server with a token of its own, as the original's
// server_count_limit and log_ingest_rate did; the setup commands' ids.
Result<std::vector<int64_t>> RegisterEach(Target& t, const std::vector<std::string>& fqdns) {
  std::vector<int64_t> commands;
  for (const std::string& fqdn : fqdns) {
    Result<std::string> secret = t.RegistrationSecret(1);
    if (!secret.ok()) return secret.status();
    Result<Json> answer = t.MeasuredControl("register", Json{{"fqdn", fqdn}, {"secret", *secret}});
    if (!answer.ok()) return answer.status();
    Result<int64_t> id = CommandIdOf(*answer);
    if (!id.ok()) return id.status();
    commands.push_back(*id);
  }
  return commands;
}

ModeReport Reset(Target& t, const ModeOptions& o) {
  ModeReport r;
  Status s = t.Reset(o.deadline);
  if (!s.ok()) return Errored(r, s);
  r.stop_reason = "done";
  r.summary = "every server and simulated controller removed";
  return r;
}

ModeReport ConcurrentRegistrationLimit(Target& t, const ModeOptions& o) {
  ModeReport r;
  r.unit = "servers registering at once";
  int n = o.servers;
  for (int step = 0;; ++step) {
    if (std::string bound = Bound(t, o, step); !bound.empty()) {
      r.stop_reason = bound;
      break;
    }
    Note(o, "n = " + std::to_string(n));
    const auto started = steady_clock::now();
    Result<std::string> secret = t.RegistrationSecret(n);
    if (!secret.ok()) return Errored(r, secret.status());
    std::vector<std::string> fqdns;
    for (int i = 0; i < n; i += kSuSize) {
      Result<Su> su = AddSu(t, std::min(kSuSize, n - i), std::min(kSuSize, n - i) * 2);
      if (!su.ok()) return Errored(r, su.status());
      fqdns.insert(fqdns.end(), su->fqdns.begin(), su->fqdns.end());
    }
    Fleet(o, n);
    Result<Json> results = t.MeasuredControl("register_many", Json{{"fqdns", fqdns}, {"secret", *secret}});
    if (NoAnswer(results.status())) {
      // The simulator could not register them all in time: the load has
      // outgrown what this manager and simulator take at once.
      const double seconds = std::chrono::duration<double>(steady_clock::now() - started).count();
      const std::string failure = "the simulator did not answer register_many (" + results.status().message() + ")";
      r.steps.push_back({{"servers", n}, {"ok", false}, {"no_answer", true}, {"seconds", seconds}, {"error", failure}});
      Note(o, "no answer registering " + std::to_string(n) + " servers: " + failure);
      r.limit_found = true;
      r.stop_reason = "failed";
      r.error = failure;
      r.summary = "registration of " + std::to_string(n) + " servers at once got no answer within the control timeout; " +
                  (r.value > 0 ? "the last good step registered " + std::to_string(static_cast<int>(r.value))
                               : std::string("no step succeeded"));
      return r;
    }
    if (!results.ok()) return Errored(r, results.status());
    std::vector<int64_t> commands;
    std::string failure;
    for (const Json& one : *results) {
      if (!one.value("registered", false)) {
        failure = one.value("fqdn", std::string()) + ": " + one.value("error", std::string("registration failed"));
        break;
      }
      Result<int64_t> id = CommandIdOf(one);
      if (!id.ok()) return Errored(r, id.status());
      commands.push_back(*id);
    }
    Status waited = failure.empty() ? t.WaitForCommands(commands, StepDeadline(o)) : Status::Ok();
    if (waited.message() == "interrupted") return Errored(r, waited);
    if (!waited.ok()) failure = waited.message();
    const double seconds = std::chrono::duration<double>(steady_clock::now() - started).count();
    r.steps.push_back({{"servers", n}, {"ok", failure.empty()}, {"seconds", seconds}, {"error", failure}});
    if (!failure.empty()) {
      Note(o, "failed registering " + std::to_string(n) + " servers: " + failure);
      r.limit_found = true;
      r.stop_reason = "failed";
      r.error = failure;
      break;
    }
    Note(o, "success registering " + std::to_string(n) + " servers (" + std::to_string(static_cast<int>(seconds)) + " s)");
    r.value = n;
    Status reset = t.Reset(o.deadline);
    if (!reset.ok()) return Errored(r, reset);
    Fleet(o, 0);
    n += o.servers;
  }
  r.summary = r.limit_found ? "registration of " + std::to_string(n) + " servers at once failed; " +
                                  std::to_string(static_cast<int>(r.value)) + " succeeded"
                            : "no failure up to " + std::to_string(static_cast<int>(r.value)) + " servers at once (" +
                                  r.stop_reason + ")";
  return r;
}

// A queue that holds more than it can clear: depth above its baseline by
// more than max(ack rate, servers), the original's server_count_limit test.
std::vector<std::string> BackedUp(const std::vector<Json>& queues, const std::map<std::string, double>& baseline,
                                  int servers, Json* detail) {
  std::vector<std::string> out;
  for (const Json& q : queues) {
    const std::string name = q.value("name", std::string());
    const double messages = q.value("messages", 0.0);
    const double ack = q.value("message_stats_ack_details_rate", 0.0);
    const double base = baseline.count(name) ? baseline.at(name) : 0.0;
    if (messages - base > std::max(ack, static_cast<double>(servers))) {
      out.push_back(name);
      (*detail)[name] = {{"messages", messages}, {"baseline", base}, {"ack_rate", ack},
                         {"publish_rate", q.value("message_stats_publish_details_rate", 0.0)}};
    }
  }
  return out;
}

ModeReport ServerCountLimit(Target& t, const ModeOptions& o) {
  ModeReport r;
  r.unit = "servers";
  constexpr int kLogRate = 10, kGroup = 4, kVolumesPerServer = 4;  // the original's figures
  Result<std::vector<Json>> first = t.Queues();
  if (!first.ok()) return Errored(r, first.status());
  std::map<std::string, double> baseline;
  for (const Json& q : *first) baseline[q.value("name", std::string())] = q.value("messages", 0.0);
  int servers = 0;
  for (int step = 0;; ++step) {
    if (std::string bound = Bound(t, o, step); !bound.empty()) {
      r.stop_reason = bound;
      break;
    }
    Note(o, "i = " + std::to_string(servers) + ", adding " + std::to_string(kGroup) + " servers");
    if (!t.Sleep(std::chrono::seconds(1))) return Errored(r, Status::Unavailable("interrupted"));
    Result<Su> su = AddSu(t, kGroup, kGroup * kVolumesPerServer);
    if (!su.ok()) return Errored(r, su.status());
    for (const std::string& fqdn : su->fqdns) {
      Result<Json> set = t.Control("set_log_rate", Json{{"fqdn", fqdn}, {"rate", kLogRate}});
      if (!set.ok()) return Errored(r, set.status());
    }
    Result<std::vector<int64_t>> commands = RegisterEach(t, su->fqdns);
    if (!commands.ok()) return Errored(r, commands.status());
    servers += kGroup;
    Fleet(o, servers);
    Status waited = t.WaitForCommands(*commands, StepDeadline(o));
    if (waited.message() == "interrupted") return Errored(r, waited);
    Result<std::vector<Json>> queues = t.Queues();
    if (!queues.ok()) return Errored(r, queues.status());
    Json detail = Json::object();
    const std::vector<std::string> backed = BackedUp(*queues, baseline, servers, &detail);
    r.steps.push_back({{"servers", servers}, {"setup_ok", waited.ok()}, {"backed_up", backed}, {"queues", detail}});
    if (!waited.ok()) {
      r.limit_found = true;
      r.stop_reason = "failed";
      r.error = waited.message();
      break;
    }
    if (!backed.empty()) {
      for (const std::string& q : backed) Note(o, "queue " + q + " is backed up: " + detail[q].dump());
      r.limit_found = true;
      r.stop_reason = "backed up";
      break;
    }
    r.value = servers;
  }
  r.summary = r.limit_found ? (r.stop_reason == "backed up" ? "queues backed up at " : "setup failed at ") +
                                  std::to_string(servers) + " servers; " + std::to_string(static_cast<int>(r.value)) +
                                  " were monitored without backing up"
                            : "no queue backed up up to " + std::to_string(static_cast<int>(r.value)) + " servers (" +
                                  r.stop_reason + ")";
  return r;
}

// The receive queue of journal lines: ours, or the original manager's.
Result<Json> JournalQueue(Target& t) {
  Result<std::vector<Json>> queues = t.Queues();
  if (!queues.ok()) return queues.status();
  for (const char* name : {"agent_systemd_journal_rx", "agent_syslog_rx"}) {
    for (const Json& q : *queues) {
      if (q.value("name", std::string()) == name) return q;
    }
  }
  return Json{{"name", "agent_systemd_journal_rx"}, {"messages", 0}, {"message_stats_ack_details_rate", 0.0},
              {"message_stats_publish_details_rate", 0.0}};  // no journal DATA yet
}

Result<int64_t> LogCount(Target& t) {
  Result<Json> page = t.Rest("GET", "api/log/?limit=1");
  if (!page.ok()) return page.status();
  return page->value("meta", Json::object()).value("total_count", int64_t{0});
}

struct MeanError {
  double mean = 0, error = 0;
};

MeanError MeanAndError(const std::vector<double>& v) {
  MeanError m;
  if (v.empty()) return m;
  const double n = static_cast<double>(v.size());
  for (double x : v) m.mean += x;
  m.mean /= n;
  double squares = 0;
  for (double x : v) squares += (x - m.mean) * (x - m.mean);
  m.error = std::sqrt(squares / n) / std::sqrt(n);
  return m;
}

ModeReport LogIngestRate(Target& t, const ModeOptions& o) {
  ModeReport r;
  r.unit = "log lines per second";
  constexpr int kLinesPerMessage = 64;  // the agents' journal lines per DATA message
  std::vector<std::string> fqdns;
  for (int i = 0; i < o.servers; ++i) {
    Result<Json> fqdn = t.Control("add_server", Json{{"nid_count", 1}});
    if (!fqdn.ok()) return Errored(r, fqdn.status());
    fqdns.push_back(fqdn->get<std::string>());
  }
  Result<std::vector<int64_t>> commands = RegisterEach(t, fqdns);
  if (!commands.ok()) return Errored(r, commands.status());
  Fleet(o, o.servers);
  Status waited = t.WaitForCommands(*commands, StepDeadline(o));
  if (!waited.ok()) return Errored(r, waited);
  Result<int64_t> initial = LogCount(t);
  if (!initial.ok()) return Errored(r, initial.status());
  r.extra["initial_log_lines"] = *initial;

  int tap_out = 0, log_rate = 8, step = 0;
  int last_clear_rate = 0;
  std::vector<double> saturated;
  while (true) {
    if (std::string bound = Bound(t, o, step++); !bound.empty()) {
      r.stop_reason = bound;
      break;
    }
    Note(o, "log_rate = " + std::to_string(log_rate));
    for (const std::string& fqdn : fqdns) {
      Result<Json> set = t.Control("set_log_rate", Json{{"fqdn", fqdn}, {"rate", log_rate}});
      if (!set.ok()) return Errored(r, set.status());
    }
    const auto lines_before = LogCount(t);
    const auto started = steady_clock::now();
    if (!t.Sleep(o.settle)) {
      r.stop_reason = "interrupted";
      break;
    }
    Result<Json> q = JournalQueue(t);
    if (!q.ok()) return Errored(r, q.status());
    const auto lines_after = LogCount(t);
    const double seconds = std::chrono::duration<double>(steady_clock::now() - started).count();
    const double messages = q->value("messages", 0.0), ack = q->value("message_stats_ack_details_rate", 0.0);
    const bool backed = messages > std::max(ack * 4, static_cast<double>(o.servers));
    const double stored = lines_before.ok() && lines_after.ok() ? (*lines_after - *lines_before) / seconds : 0;
    r.steps.push_back({{"log_rate", log_rate}, {"queue_messages", messages}, {"ack_rate", ack},
                       {"publish_rate", q->value("message_stats_publish_details_rate", 0.0)},
                       {"lines_stored_per_second", stored}, {"backed_up", backed}});
    if (backed) {
      saturated.push_back(q->value("message_stats_publish_details_rate", 0.0));
      if (++tap_out >= 3) {
        Note(o, "stayed backed up for " + std::to_string(tap_out) + " iterations, breaking");
        r.limit_found = true;
        r.stop_reason = "backed up";
        break;
      }
    } else {
      tap_out = 0;
      saturated.clear();
      last_clear_rate = log_rate;
      if (log_rate >= o.max_log_rate) {
        r.stop_reason = "max log rate";
        break;
      }
      log_rate = std::min(log_rate * 2, o.max_log_rate);
    }
  }
  Note(o, "stopping log generation");
  for (const std::string& fqdn : fqdns) (void)t.Control("set_log_rate", Json{{"fqdn", fqdn}, {"rate", 0}});

  // The drain: the rate at which the manager clears the backlog is its
  // ingest rate (sampled every 5 s, as the original did, until empty).
  std::vector<double> ack_samples;
  Note(o, "waiting for the queue to drain");
  while (!t.interrupted() && steady_clock::now() < o.deadline) {
    Result<Json> q = JournalQueue(t);
    if (!q.ok()) break;
    if (q->value("messages", 0.0) == 0) break;
    ack_samples.push_back(q->value("message_stats_ack_details_rate", 0.0));
    if (!t.Sleep(std::chrono::seconds(5))) break;
  }
  // A backlog that cleared before the first drain sample (stopping the
  // agents' logs takes a control call per server) was still measured: the
  // ack rates of the backed-up steps, when the manager consumed with a
  // backlog to consume, are its drain rate too.
  r.extra["drain_sampled_from"] = ack_samples.empty() ? "backed-up steps" : "drain";
  if (ack_samples.empty() && r.limit_found) {
    for (const Json& s : r.steps) {
      if (s["backed_up"].get<bool>()) ack_samples.push_back(s["ack_rate"].get<double>());
    }
  }
  const MeanError drain = MeanAndError(ack_samples);
  r.extra["drain_messages_per_second"] = drain.mean;
  r.extra["drain_messages_per_second_stderr"] = drain.error;
  r.extra["last_clear_log_rate"] = last_clear_rate;
  // Lines per second that passed without backing up, from the last clear step.
  double clear_lines = 0;
  for (const Json& s : r.steps) {
    if (!s["backed_up"].get<bool>()) clear_lines = std::max(clear_lines, s["lines_stored_per_second"].get<double>());
  }
  r.extra["max_lines_stored_per_second"] = clear_lines;
  if (r.limit_found && !ack_samples.empty()) {
    r.value = drain.mean * kLinesPerMessage;
    r.summary = "the journal queue backed up at log rate " + std::to_string(log_rate) + " per poll on " +
                std::to_string(o.servers) + " servers; it drains at " + std::to_string(static_cast<int>(drain.mean)) +
                " ± " + std::to_string(static_cast<int>(std::ceil(drain.error))) + " messages/s = " +
                std::to_string(static_cast<int>(r.value)) + " ± " +
                std::to_string(static_cast<int>(std::ceil(drain.error * kLinesPerMessage))) + " lines/s";
  } else {
    r.value = clear_lines;
    r.summary = std::string(r.limit_found ? "the journal queue backed up" : "the journal queue never backed up") +
                " (" + r.stop_reason + "); the most it stored was " + std::to_string(static_cast<int>(clear_lines)) +
                " lines/s at log rate " + std::to_string(last_clear_rate) + " per poll on " +
                std::to_string(o.servers) + " servers";
  }
  return r;
}

// The built-in manager picks failover partners from the hosts' corosync
// reports, and refuses a filesystem (400, "has not reported") until they
// have arrived, which can be a poll after the setup commands complete.
// That one answer is retried each second until the step's deadline.
Result<Json> PostFilesystem(Target& t, const Json& body, Deadline deadline) {
  while (true) {
    Result<Json> created = t.Rest("POST", "api/filesystem/", body);
    if (created.ok() || created.status().message().find("has not reported") == std::string::npos ||
        std::chrono::steady_clock::now() >= deadline || !t.Sleep(std::chrono::seconds(1))) {
      return created;
    }
  }
}

ModeReport FilesystemSizeLimit(Target& t, const ModeOptions& o) {
  ModeReport r;
  r.unit = "servers (OSTs = 4 x servers - 2)";
  constexpr int kVolumesPerServer = 4;
  int n = o.servers;
  int total_servers = 0;
  for (int step = 0;; ++step) {
    if (std::string bound = Bound(t, o, step); !bound.empty()) {
      r.stop_reason = bound;
      break;
    }
    const int osts = n * kVolumesPerServer - 2;
    Note(o, "n = " + std::to_string(n) + " (ost count = " + std::to_string(osts) + ")");
    std::vector<std::string> fqdns, serials;
    for (int i = 0; i < n; i += kSuSize) {
      const int size = std::min(kSuSize, n - i);
      Result<Su> su = AddSu(t, size, size * kVolumesPerServer);
      if (!su.ok()) return Errored(r, su.status());
      fqdns.insert(fqdns.end(), su->fqdns.begin(), su->fqdns.end());
      serials.insert(serials.end(), su->serials.begin(), su->serials.end());
      Result<Json> couplet = t.Rest("POST", "api/storage_resource/",
                                    Json{{"plugin_name", "simulator_controller"},
                                         {"class_name", "Couplet"},
                                         {"attrs", {{"controller_id", su->controller_id}}}});
      if (!couplet.ok()) return Errored(r, couplet.status());
    }
    total_servers += n;
    Fleet(o, total_servers);
    const auto started = steady_clock::now();
    Result<std::vector<int64_t>> commands = RegisterEach(t, fqdns);
    Status failed = commands.ok() ? t.WaitForCommands(*commands, StepDeadline(o)) : commands.status();
    if (failed.message() == "interrupted") return Errored(r, failed);
    const double setup_s = std::chrono::duration<double>(steady_clock::now() - started).count();
    Json record = {{"servers", n}, {"osts", osts}, {"setup_seconds", setup_s}};
    if (failed.ok()) {
      Result<Json> volumes = t.Rest("GET", "api/volume/?limit=0");
      if (!volumes.ok()) return Errored(r, volumes.status());
      std::map<std::string, int64_t> serial_to_id;
      for (const Json& v : volumes->value("objects", Json::array())) {
        serial_to_id[v.value("label", std::string())] = v.value("id", int64_t{0});
      }
      Json body = {{"name", "fs" + std::to_string(step)}, {"conf_params", Json::object()}};
      Json targets = Json::array();
      for (size_t i = 0; i < serials.size() && failed.ok(); ++i) {
        if (!serial_to_id.count(serials[i])) failed = Status::NotFound("the manager has no volume " + serials[i]);
        const Json target = {{"volume_id", serial_to_id[serials[i]]}, {"conf_params", Json::object()}};
        if (i == 0) body["mgt"] = {{"volume_id", serial_to_id[serials[i]]}};
        if (i == 1) body["mdts"] = Json::array({target});
        if (i >= 2) targets.push_back(target);
      }
      body["osts"] = targets;
      const auto posted = steady_clock::now();
      Result<Json> created = failed.ok() ? PostFilesystem(t, body, StepDeadline(o)) : Result<Json>(failed);
      record["post_seconds"] = std::chrono::duration<double>(steady_clock::now() - posted).count();
      if (!created.ok()) {
        failed = created.status();
      } else {
        Json command = created->value("command", Json::object());
        int64_t id = command.value("id", created->value("command_id", int64_t{0}));
        failed = t.WaitForCommands({id}, StepDeadline(o));
        if (failed.message() == "interrupted") return Errored(r, failed);
      }
      record["filesystem_seconds"] = std::chrono::duration<double>(steady_clock::now() - posted).count();
    }
    record["ok"] = failed.ok();
    record["error"] = failed.message();
    r.steps.push_back(record);
    if (!failed.ok()) {
      Note(o, "failed at n = " + std::to_string(n) + ": " + failed.message());
      r.limit_found = true;
      r.stop_reason = "failed";
      r.error = failed.message();
      break;
    }
    Note(o, "success for n = " + std::to_string(n));
    r.value = n;
    n += o.servers;
  }
  r.summary = r.limit_found ? "a filesystem on " + std::to_string(n) + " new servers (" +
                                  std::to_string(n * kVolumesPerServer - 2) + " OSTs) failed; " +
                                  std::to_string(static_cast<int>(r.value)) + " servers succeeded"
                            : "no failure up to " + std::to_string(static_cast<int>(r.value)) + " servers (" +
                                  r.stop_reason + ")";
  return r;
}

}  // namespace

const std::vector<std::string>& ModeNames() {
  static const std::vector<std::string> names = {"reset", "log_ingest_rate", "server_count_limit",
                                                 "concurrent_registration_limit", "filesystem_size_limit"};
  return names;
}

bool IsMode(const std::string& name) {
  for (const std::string& n : ModeNames()) {
    if (n == name) return true;
  }
  return false;
}

ModeReport RunMode(const std::string& name, Target& target, const ModeOptions& options) {
  ModeReport r;
  if (name == "reset") r = Reset(target, options);
  if (name == "concurrent_registration_limit") r = ConcurrentRegistrationLimit(target, options);
  if (name == "server_count_limit") r = ServerCountLimit(target, options);
  if (name == "log_ingest_rate") r = LogIngestRate(target, options);
  if (name == "filesystem_size_limit") r = FilesystemSizeLimit(target, options);
  r.mode = name;
  if (r.summary.empty() && !r.error.empty()) r.summary = "ended by an error: " + r.error;
  return r;
}

}  // namespace cs::benchmark
