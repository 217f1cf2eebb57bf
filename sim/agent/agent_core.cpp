#include "sim/agent/agent_core.h"

#include <algorithm>

namespace cs::agent {

using protocol::Message;
using protocol::MessageType;

AgentCore::AgentCore(std::string fqdn, std::vector<std::string> plugins, AgentTiming timing)
    : fqdn_(std::move(fqdn)), plugins_(std::move(plugins)), timing_(timing) {}

std::vector<PollDue> AgentCore::Tick(WallTime now) {
  std::vector<PollDue> due;
  for (const std::string& plugin : plugins_) {
    auto session = sessions_.find(plugin);
    if (session != sessions_.end()) {
      Session& s = session->second;
      if (!s.last_poll || now - *s.last_poll >= timing_.poll_period) {
        due.push_back(PollDue{plugin, s.id, !s.last_poll});
        s.last_poll = now;
      }
      continue;
    }
    auto request = requested_.find(plugin);
    if (request == requested_.end()) {
      requested_[plugin] = Request{now, timing_.min_session_backoff};
    } else if (now < request->second.requested_at + request->second.backoff) {
      continue;  // still backing off
    } else {
      request->second.requested_at = now;
      request->second.backoff = std::min(request->second.backoff * 2, timing_.max_session_backoff);
    }
    outgoing_.push_back(Message::SessionCreateRequest(plugin, fqdn_));
  }
  return due;
}

WallTime AgentCore::NextDeadline(WallTime now) const {
  WallTime next = now + timing_.poll_period;
  for (const std::string& plugin : plugins_) {
    auto session = sessions_.find(plugin);
    if (session != sessions_.end()) {
      const auto& last = session->second.last_poll;
      next = std::min(next, last ? *last + timing_.poll_period : now);
      continue;
    }
    auto request = requested_.find(plugin);
    next = std::min(next, request == requested_.end()
                              ? now
                              : request->second.requested_at + request->second.backoff);
  }
  return std::max(next, now);
}

std::optional<std::string> AgentCore::SessionId(const std::string& plugin) const {
  auto it = sessions_.find(plugin);
  if (it == sessions_.end()) return std::nullopt;
  return it->second.id;
}

bool AgentCore::QueueData(const std::string& plugin, const std::string& session_id, Json body) {
  auto it = sessions_.find(plugin);
  if (it == sessions_.end() || it->second.id != session_id) return false;
  outgoing_.push_back(Message::Data(plugin, session_id, it->second.next_seq++, std::move(body), fqdn_));
  return true;
}

bool AgentCore::QueueActionComplete(const std::string& session_id, const std::string& action_id,
                                    const Json& result, const std::optional<std::string>& exception) {
  Json body = {{"type", "ACTION_COMPLETE"},
               {"id", action_id},
               {"result", result},
               {"exception", exception ? Json(*exception) : Json(nullptr)},
               {"subprocesses", Json::array()}};
  return QueueData(kActionRunnerPlugin, session_id, std::move(body));
}

IncomingWork AgentCore::Handle(const std::vector<Message>& messages) {
  IncomingWork work;
  for (const Message& m : messages) {
    switch (m.type) {
      case MessageType::kSessionCreateResponse:
        if (!m.session_id) {
          work.warnings.push_back("SESSION_CREATE_RESPONSE for " + m.plugin + " without a session id");
          break;
        }
        if (std::find(plugins_.begin(), plugins_.end(), m.plugin) == plugins_.end()) {
          work.warnings.push_back("session offered for unknown plugin " + m.plugin);
          break;
        }
        requested_.erase(m.plugin);
        sessions_[m.plugin] = Session{*m.session_id, 0, std::nullopt};
        break;
      case MessageType::kSessionTerminateAll:
        TerminateAll();
        break;
      case MessageType::kSessionTerminate:
        Terminate(m.plugin);
        break;
      case MessageType::kData:
        HandleData(m, work);
        break;
      case MessageType::kSessionCreateRequest:
        work.warnings.push_back("the manager sent a SESSION_CREATE_REQUEST; ignored");
        break;
    }
  }
  return work;
}

void AgentCore::HandleData(const Message& m, IncomingWork& work) {
  auto it = sessions_.find(m.plugin);
  if (it == sessions_.end() || !m.session_id || it->second.id != *m.session_id) {
    work.warnings.push_back("message for unknown session " + m.plugin + "/" + m.session_id.value_or("null"));
    return;
  }
  if (m.plugin != kActionRunnerPlugin) {
    work.warnings.push_back("plugin " + m.plugin + " takes no messages");
    return;
  }
  const Json& body = m.body;
  const std::string type = body.is_object() ? body.value("type", "") : "";
  const Json id = body.is_object() ? body.value("id", Json()) : Json();
  if (!id.is_string()) {
    work.warnings.push_back("action_runner message without a text id: " + body.dump());
    return;
  }
  if (type == "ACTION_START") {
    const Json action = body.value("action", Json());
    if (!action.is_string()) {
      work.warnings.push_back("ACTION_START " + id.get<std::string>() + " without an action name");
      return;
    }
    work.starts.push_back(ActionStart{*m.session_id, id.get<std::string>(), action.get<std::string>(),
                                      body.value("args", Json::object())});
  } else if (type == "ACTION_CANCEL") {
    work.cancels.push_back(id.get<std::string>());
  } else {
    work.warnings.push_back("unknown action_runner message type '" + type + "'");
  }
}

std::vector<Message> AgentCore::TakeBatch(size_t max_bytes) {
  std::vector<Message> batch;
  size_t bytes = 128;  // the envelope around the messages
  while (!outgoing_.empty()) {
    const size_t size = outgoing_.front().ToJson().dump().size() + 1;
    if (!batch.empty() && bytes + size > max_bytes) break;
    bytes += size;
    batch.push_back(std::move(outgoing_.front()));
    outgoing_.pop_front();
  }
  return batch;
}

void AgentCore::OnPostFailed(const std::vector<Message>& lost) {
  std::set<std::string> plugins;
  for (const Message& m : lost) {
    if (m.type == MessageType::kData) plugins.insert(m.plugin);
  }
  for (const std::string& plugin : plugins) Terminate(plugin);
}

void AgentCore::Terminate(const std::string& plugin) {
  sessions_.erase(plugin);
  // Whatever that session still had queued can no longer be delivered.
  std::erase_if(outgoing_, [&](const Message& m) {
    return m.type == MessageType::kData && m.plugin == plugin;
  });
}

void AgentCore::TerminateAll() {
  sessions_.clear();
  std::erase_if(outgoing_, [](const Message& m) { return m.type == MessageType::kData; });
}

}  // namespace cs::agent
