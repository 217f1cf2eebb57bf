// systemd_journal: the server's new log lines: those injected through the
// control API (each sent exactly once) and log_rate synthetic ones per poll.
// A poll with no lines sends nothing; a long backlog goes out in several
// bodies of at most kMaxLogLinesPerMessage lines, never truncated.
#include "sim/plugins/log_lines.h"
#include "sim/plugins/plugin_factories.h"

namespace cs {

namespace {

std::vector<Json> TakeLines(PluginContext& ctx) {
  std::vector<Json> lines;
  if (ctx.pending_log_lines != nullptr) {
    lines.swap(*ctx.pending_log_lines);
  }
  for (Json& line : SyntheticLogLines(ctx.server.fqdn, ctx.server.log_rate, ctx.now)) {
    lines.push_back(std::move(line));
  }
  return lines;
}

PluginBodies InBodies(std::vector<Json> lines) {
  PluginBodies bodies;
  for (size_t i = 0; i < lines.size(); i += kMaxLogLinesPerMessage) {
    Json chunk = Json::array();
    for (size_t j = i; j < lines.size() && j < i + kMaxLogLinesPerMessage; ++j) {
      chunk.push_back(std::move(lines[j]));
    }
    bodies.push_back(Json{{"log_lines", std::move(chunk)}});
  }
  return bodies;
}

class SystemdJournalPlugin final : public DevicePlugin {
 public:
  std::string_view name() const override { return "systemd_journal"; }

  // A session opens with a marker line, which makes a (re)started agent
  // visible in the manager's log view, as in the original.
  PluginBodies StartSession(PluginContext& ctx) override {
    std::vector<Json> lines = {MakeLogLine("Lustre: Cluster simulator systemd_journal session start " +
                                               ctx.server.fqdn + " " + FormatAgentTime(ctx.now),
                                           ctx.now)};
    for (Json& line : TakeLines(ctx)) lines.push_back(std::move(line));
    return InBodies(std::move(lines));
  }

  PluginBodies UpdateSession(PluginContext& ctx) override { return InBodies(TakeLines(ctx)); }
};

}  // namespace

std::unique_ptr<DevicePlugin> MakeSystemdJournalPlugin() {
  return std::make_unique<SystemdJournalPlugin>();
}

}  // namespace cs
