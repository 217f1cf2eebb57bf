// The chroma-agent wire protocol, shared by the simulated agents and the
// built-in manager: the message types, one message (exactly the keys
// type, plugin, session_id, session_seq, body, fqdn), the POST envelope
// (messages + server_boot_time + client_start_time) and the GET answer.
// Parsing is strict and every error says what was wrong, because both ends
// take input from peers they do not control.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fakes/json_helpers.h"
#include "util/status.h"

namespace cs::protocol {

enum class MessageType {
  kSessionCreateRequest,
  kSessionCreateResponse,
  kSessionTerminate,
  kSessionTerminateAll,
  kData,
};
const char* MessageTypeName(MessageType type);
bool ParseMessageType(std::string_view text, MessageType* out);

// The most one POST may carry (the real agent's limit): split, never drop.
constexpr size_t kMaxBytesPerPost = 8 * 1024 * 1024;

struct Message {
  MessageType type = MessageType::kData;
  std::string plugin;
  std::optional<std::string> session_id;
  std::optional<int64_t> session_seq;
  Json body;  // null for session control messages
  std::string fqdn;

  static Message SessionCreateRequest(std::string plugin, std::string fqdn);
  static Message SessionCreateResponse(std::string plugin, std::string session_id, std::string fqdn);
  static Message SessionTerminate(std::string plugin, std::string fqdn);
  static Message SessionTerminateAll(std::string fqdn);
  static Message Data(std::string plugin, std::string session_id, std::optional<int64_t> seq,
                      Json body, std::string fqdn);

  Json ToJson() const;
  static Result<Message> FromJson(const Json& j);
  bool operator==(const Message&) const = default;
};

// What an agent POSTs to <url>agent/message/.
struct Envelope {
  std::vector<Message> messages;
  std::string server_boot_time;   // agent time text, see util/clock.h
  std::string client_start_time;

  Json ToJson() const;
  static Result<Envelope> FromJson(const Json& j);
};

// Splits messages into envelopes of at most max_bytes of JSON each, in
// order. A single message larger than the limit travels alone (the manager
// decides; the real agent did the same and logged it).
std::vector<Envelope> SplitIntoEnvelopes(const std::vector<Message>& messages,
                                         const std::string& server_boot_time,
                                         const std::string& client_start_time,
                                         size_t max_bytes = kMaxBytesPerPost);

// The manager's answer to a GET: {"messages": [...]}.
Json MessagesToJson(const std::vector<Message>& messages);
Result<std::vector<Message>> MessagesFromJson(const Json& j);

// The wrapped results of iml-common's agent_rpc.
Json AgentResultOk();                     // {"wrapper_version": 1, "result": true}
Json AgentResult(Json value);             // {"wrapper_version": 1, "result": value}
Json AgentError(const std::string& text); // {"wrapper_version": 1, "error": text}

}  // namespace cs::protocol
