#include "fakes/hsm/event_relay.h"

namespace cs {

namespace {
bool TypeHas(const Json& event, const char* part) {
  return event.value("event_type", std::string()).find(part) != std::string::npos;
}
std::string Text(const Json& event, const char* key) {
  auto it = event.find(key);
  return it != event.end() && it->is_string() ? it->get<std::string>() : std::string();
}
}  // namespace

// A restore learns its data FID only once it runs: follow the operation
// from the source FID to the data FID, as the monitor did.
void CopytoolEventRelay::Annotate(Json& event) {
  const std::string data_fid = Text(event, "data_fid");
  if (TypeHas(event, "RUNNING")) {
    auto it = active_operations_.find(Text(event, "source_fid"));
    if (it != active_operations_.end() && it->first != data_fid) {
      Json id = it->second;
      active_operations_.erase(it);
      active_operations_[data_fid] = id;
    }
  }
  auto it = active_operations_.find(data_fid);
  if (it != active_operations_.end()) event["active_operation"] = it->second;
  if (TypeHas(event, "FINISH")) active_operations_.erase(data_fid);
}

std::optional<Json> CopytoolEventRelay::NextEnvelope() {
  if (queue_.empty() || !in_flight_.empty()) return std::nullopt;
  Json envelope = {{"fqdn", fqdn_}, {"copytool", copytool_id_}, {"events", Json::array()}};
  size_t size = envelope.dump().size();
  while (!queue_.empty()) {
    Json event = queue_.front();
    Annotate(event);  // again after a failed POST: harmless, the map moved on already
    const size_t event_size = event.dump().size();
    if (event_size > kMaxBytesPerPost) {  // can never be sent: dropped, as the monitor did
      queue_.pop_front();
      continue;
    }
    if (!in_flight_.empty() && size + event_size > kMaxBytesPerPost) break;
    queue_.pop_front();
    envelope["events"].push_back(event);
    in_flight_.push_back(std::move(event));
    size += event_size;
  }
  if (in_flight_.empty()) return std::nullopt;
  return envelope;
}

void CopytoolEventRelay::OnPosted(const Json& answer) {
  in_flight_.clear();
  poll_interval_ = kPollInterval;
  if (!answer.is_object()) return;
  auto it = answer.find("active_operations");
  if (it == answer.end() || !it->is_object()) return;
  for (const auto& [fid, id] : it->items()) active_operations_[fid] = id;
}

void CopytoolEventRelay::OnFailed() {
  while (!in_flight_.empty()) {
    queue_.push_front(std::move(in_flight_.back()));
    in_flight_.pop_back();
  }
  poll_interval_ = poll_interval_ == kPollInterval ? kMinBackoff : std::min(poll_interval_ * 2, kMaxBackoff);
}

}  // namespace cs
