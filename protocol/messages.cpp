#include "protocol/messages.h"

namespace cs::protocol {

namespace {

struct TypeName {
  MessageType type;
  const char* name;
};
constexpr TypeName kTypeNames[] = {
    {MessageType::kSessionCreateRequest, "SESSION_CREATE_REQUEST"},
    {MessageType::kSessionCreateResponse, "SESSION_CREATE_RESPONSE"},
    {MessageType::kSessionTerminate, "SESSION_TERMINATE"},
    {MessageType::kSessionTerminateAll, "SESSION_TERMINATE_ALL"},
    {MessageType::kData, "DATA"},
};

Status Expect(bool ok, const std::string& what) {
  return ok ? Status::Ok() : Status::InvalidArgument(what);
}

Status ReadOptionalString(const Json& j, const char* key, std::optional<std::string>* out) {
  const Json& v = j.at(key);
  if (v.is_null()) {
    out->reset();
    return Status::Ok();
  }
  CS_RETURN_IF_ERROR(Expect(v.is_string(), std::string("message ") + key + " must be a string or null"));
  *out = v.get<std::string>();
  return Status::Ok();
}

}  // namespace

const char* MessageTypeName(MessageType type) {
  for (const auto& t : kTypeNames) {
    if (t.type == type) return t.name;
  }
  return "DATA";
}

bool ParseMessageType(std::string_view text, MessageType* out) {
  for (const auto& t : kTypeNames) {
    if (text == t.name) {
      *out = t.type;
      return true;
    }
  }
  return false;
}

Message Message::SessionCreateRequest(std::string plugin, std::string fqdn) {
  Message m;
  m.type = MessageType::kSessionCreateRequest;
  m.plugin = std::move(plugin);
  m.fqdn = std::move(fqdn);
  return m;
}

Message Message::SessionCreateResponse(std::string plugin, std::string session_id, std::string fqdn) {
  Message m;
  m.type = MessageType::kSessionCreateResponse;
  m.plugin = std::move(plugin);
  m.session_id = std::move(session_id);
  m.fqdn = std::move(fqdn);
  return m;
}

Message Message::SessionTerminate(std::string plugin, std::string fqdn) {
  Message m;
  m.type = MessageType::kSessionTerminate;
  m.plugin = std::move(plugin);
  m.fqdn = std::move(fqdn);
  return m;
}

Message Message::SessionTerminateAll(std::string fqdn) {
  Message m;
  m.type = MessageType::kSessionTerminateAll;
  m.fqdn = std::move(fqdn);
  return m;
}

Message Message::Data(std::string plugin, std::string session_id, std::optional<int64_t> seq,
                      Json body, std::string fqdn) {
  Message m;
  m.type = MessageType::kData;
  m.plugin = std::move(plugin);
  m.session_id = std::move(session_id);
  m.session_seq = seq;
  m.body = std::move(body);
  m.fqdn = std::move(fqdn);
  return m;
}

Json Message::ToJson() const {
  return Json{{"type", MessageTypeName(type)},
              {"plugin", type == MessageType::kSessionTerminateAll && plugin.empty() ? Json(nullptr) : Json(plugin)},
              {"session_id", session_id},
              {"session_seq", session_seq},
              {"body", body},
              {"fqdn", fqdn}};
}

Result<Message> Message::FromJson(const Json& j) {
  if (!j.is_object()) return Status::InvalidArgument("a message must be a JSON object");
  for (const char* key : {"type", "plugin", "session_id", "session_seq", "body", "fqdn"}) {
    if (!j.contains(key)) return Status::InvalidArgument(std::string("message lacks '") + key + "'");
  }
  Message m;
  const Json& type = j.at("type");
  if (!type.is_string() || !ParseMessageType(type.get<std::string>(), &m.type)) {
    return Status::InvalidArgument("unknown message type " + type.dump());
  }
  const Json& plugin = j.at("plugin");
  if (plugin.is_string()) {
    m.plugin = plugin.get<std::string>();
  } else if (!plugin.is_null()) {
    return Status::InvalidArgument("message plugin must be a string or null");
  }
  CS_RETURN_IF_ERROR(ReadOptionalString(j, "session_id", &m.session_id));
  const Json& seq = j.at("session_seq");
  if (seq.is_number_integer()) {
    m.session_seq = seq.get<int64_t>();
  } else if (!seq.is_null()) {
    return Status::InvalidArgument("message session_seq must be an integer or null");
  }
  m.body = j.at("body");
  const Json& fqdn = j.at("fqdn");
  if (fqdn.is_string()) {
    m.fqdn = fqdn.get<std::string>();
  } else if (!fqdn.is_null()) {
    return Status::InvalidArgument("message fqdn must be a string");
  }
  return m;
}

Json Envelope::ToJson() const {
  Json messages_json = Json::array();
  for (const auto& m : messages) messages_json.push_back(m.ToJson());
  return Json{{"messages", messages_json},
              {"server_boot_time", server_boot_time},
              {"client_start_time", client_start_time}};
}

Result<Envelope> Envelope::FromJson(const Json& j) {
  if (!j.is_object()) return Status::InvalidArgument("the envelope must be a JSON object");
  Envelope e;
  for (const char* key : {"server_boot_time", "client_start_time"}) {
    if (!j.contains(key) || !j.at(key).is_string()) {
      return Status::InvalidArgument(std::string("the envelope lacks the text '") + key + "'");
    }
  }
  e.server_boot_time = j.at("server_boot_time").get<std::string>();
  e.client_start_time = j.at("client_start_time").get<std::string>();
  if (!j.contains("messages")) return Status::InvalidArgument("the envelope lacks 'messages'");
  Result<std::vector<Message>> messages = MessagesFromJson(j);
  if (!messages.ok()) return messages.status();
  e.messages = std::move(*messages);
  return e;
}

std::vector<Envelope> SplitIntoEnvelopes(const std::vector<Message>& messages,
                                         const std::string& server_boot_time,
                                         const std::string& client_start_time,
                                         size_t max_bytes) {
  std::vector<Envelope> out;
  Envelope empty{{}, server_boot_time, client_start_time};
  const size_t overhead = empty.ToJson().dump().size();
  Envelope current = empty;
  size_t bytes = overhead;
  for (const Message& m : messages) {
    const size_t size = m.ToJson().dump().size() + 1;  // +1: the separating comma
    if (!current.messages.empty() && bytes + size > max_bytes) {
      out.push_back(std::move(current));
      current = empty;
      bytes = overhead;
    }
    current.messages.push_back(m);
    bytes += size;
  }
  if (!current.messages.empty()) out.push_back(std::move(current));
  return out;
}

Json MessagesToJson(const std::vector<Message>& messages) {
  Json list = Json::array();
  for (const auto& m : messages) list.push_back(m.ToJson());
  return Json{{"messages", list}};
}

Result<std::vector<Message>> MessagesFromJson(const Json& j) {
  if (!j.is_object() || !j.contains("messages") || !j.at("messages").is_array()) {
    return Status::InvalidArgument("expected {\"messages\": [...]}");
  }
  std::vector<Message> out;
  size_t index = 0;
  for (const Json& item : j.at("messages")) {
    Result<Message> m = Message::FromJson(item);
    if (!m.ok()) return m.status().Context("message " + std::to_string(index));
    out.push_back(std::move(*m));
    ++index;
  }
  return out;
}

Json AgentResultOk() { return Json{{"wrapper_version", 1}, {"result", true}}; }
Json AgentResult(Json value) { return Json{{"wrapper_version", 1}, {"result", std::move(value)}}; }
Json AgentError(const std::string& text) { return Json{{"wrapper_version", 1}, {"error", text}}; }

}  // namespace cs::protocol
