#include "pacemaker/crm_tools.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <pugixml.hpp>

#include <cstring>

#include "util/broken_pipe.h"

extern char** environ;

namespace cs::pacemaker {

namespace {

// Generous: a loaded CI machine can starve a 50 ms run for a long time.
constexpr const char* kTimeoutSeconds = "180";

std::vector<std::string> Environment(const std::map<std::string, std::string>& extra) {
  std::vector<std::string> env;
  for (char** e = environ; *e; ++e) {
    const std::string entry = *e;
    const std::string name = entry.substr(0, entry.find('='));
    if (!extra.count(name)) env.push_back(entry);
  }
  for (const auto& [name, value] : extra) env.push_back(name + "=" + value);
  return env;
}

std::vector<char*> Pointers(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (std::string& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

}  // namespace

Result<ToolOutput> RunTool(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env) {
  std::vector<std::string> args = {"/usr/bin/timeout", kTimeoutSeconds};
  args.insert(args.end(), argv.begin(), argv.end());
  std::vector<std::string> envs = Environment(env);
  std::vector<char*> arg_ptrs = Pointers(args), env_ptrs = Pointers(envs);
  int pipe_fds[2];
  if (pipe2(pipe_fds, O_CLOEXEC) != 0) return Status::IoError(std::string("pipe: ") + std::strerror(errno));
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDERR_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  // The tool starts with SIGPIPE's default, not our SIG_IGN (util/broken_pipe.h).
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  RestoreBrokenPipeDefault(attr);
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, arg_ptrs[0], &actions, &attr, arg_ptrs.data(), env_ptrs.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  close(pipe_fds[1]);
  if (rc != 0) {
    close(pipe_fds[0]);
    return Status::IoError("cannot run " + argv.front() + ": " + std::strerror(rc));
  }
  ToolOutput out;
  char buf[65536];
  for (ssize_t n; (n = read(pipe_fds[0], buf, sizeof buf)) != 0;) {
    if (n < 0) {
      if (errno == EINTR) continue;
      break;
    }
    out.output.append(buf, static_cast<size_t>(n));
  }
  close(pipe_fds[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  out.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  if (out.exit_code == 124) return Status::Unavailable(argv.front() + " timed out after " + kTimeoutSeconds + " s");
  return out;
}

Status CrmVerify(const std::string& cib_file, std::string* warnings) {
  auto r = RunTool({"/usr/sbin/crm_verify", "-x", cib_file});
  if (!r.ok()) return r.status();
  const bool only_warnings = r->output.find("Warnings found") != std::string::npos &&
                             r->output.find("error") == std::string::npos &&
                             r->output.find("Errors found") == std::string::npos;
  if (warnings) *warnings = r->exit_code == 0 ? "" : r->output;
  if (r->exit_code != 0 && !only_warnings) {
    return Status::InvalidArgument("crm_verify -x " + cib_file + " (exit " + std::to_string(r->exit_code) + "):\n" +
                                   r->output);
  }
  return Status::Ok();
}

namespace {

// Nodes and resources as crm_mon and crm_simulate print them in XML.
void ReadStatus(pugi::xml_node nodes, pugi::xml_node resources, MonView& view) {
  for (pugi::xml_node n : nodes.children("node")) {
    const std::string name = n.attribute("name").value();
    (n.attribute("online").as_bool() ? view.online : view.offline).insert(name);
    if (n.attribute("standby").as_bool()) view.standby.insert(name);
    if (n.attribute("unclean").as_bool()) view.unclean.insert(name);
    if (n.attribute("is_dc").as_bool()) view.dc = name;
    for (pugi::xml_attribute a : n.attributes()) view.node_attributes[name][a.name()] = a.value();
  }
  for (pugi::xml_node res : resources.children("resource")) {
    const std::string id = res.attribute("id").value();
    std::optional<std::string> where;
    if (res.attribute("active").as_bool()) {
      if (pugi::xml_node on = res.child("node")) where = on.attribute("name").value();
    }
    view.placement[id] = where;
    if (res.attribute("failed").as_bool()) view.failed.insert(id);
  }
}

}  // namespace

Result<MonView> CrmMon(const std::string& cib_file) {
  auto r = RunTool({"/usr/sbin/crm_mon", "-1", "--output-as=xml"}, {{"CIB_file", cib_file}});
  if (!r.ok()) return r.status();
  pugi::xml_document doc;
  if (!doc.load_string(r->output.c_str())) return Status::Corruption("crm_mon printed no XML:\n" + r->output);
  pugi::xml_node result = doc.child("pacemaker-result");
  MonView view;
  pugi::xml_node dc = result.child("summary").child("current_dc");
  view.quorum = dc.attribute("with_quorum").as_bool();
  ReadStatus(result.child("nodes"), result.child("resources"), view);
  if (dc.attribute("present").as_bool()) view.dc = dc.attribute("name").value();
  return view;
}

Result<SimulateResult> CrmSimulate(const std::string& in, const std::string& out, const std::vector<std::string>& args) {
  std::vector<std::string> argv = {"/usr/sbin/crm_simulate", "-x", in, "-S", "-O", out, "--output-as=xml"};
  argv.insert(argv.end(), args.begin(), args.end());
  auto r = RunTool(argv);
  if (!r.ok()) return r.status();
  pugi::xml_document doc;
  if (r->exit_code != 0 || !doc.load_string(r->output.c_str())) {
    return Status::Internal("crm_simulate (exit " + std::to_string(r->exit_code) + "):\n" + r->output);
  }
  pugi::xml_node result = doc.child("pacemaker-result");
  SimulateResult sim;
  sim.output = r->output;
  // Without actions there is no transition to execute.
  sim.changed = result.child("transition").first_child() != nullptr;
  pugi::xml_node revised = result.child("revised_cluster_status");
  if (!revised) revised = result.child("cluster_status");
  ReadStatus(revised.child("nodes"), revised.child("resources"), sim.after);
  return sim;
}

}  // namespace cs::pacemaker
