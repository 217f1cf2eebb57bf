// CopytoolEventRelay: the agent's copytool monitor relay (copytool_monitor.py
// CopytoolEventRelay), as pure logic: events queue up; a POST to
// <url>agent/copytool_event/ carries {fqdn, copytool, events} of at most
// 8 MiB; the manager's answer {"active_operations": {fid: id}} is kept so
// later events of an operation carry "active_operation"; a failed POST puts
// its events back in front and backs off (10 s doubling to 60 s), a good one
// resets the interval to 1 s.
#pragma once

#include <chrono>
#include <deque>
#include <map>
#include <optional>
#include <string>

#include "fakes/json_helpers.h"

namespace cs {

class CopytoolEventRelay {
 public:
  static constexpr std::chrono::seconds kPollInterval{1};
  static constexpr std::chrono::seconds kMinBackoff{10};
  static constexpr std::chrono::seconds kMaxBackoff{60};
  static constexpr size_t kMaxBytesPerPost = 8 << 20;

  CopytoolEventRelay(std::string fqdn, std::string copytool_id)
      : fqdn_(std::move(fqdn)), copytool_id_(std::move(copytool_id)) {}

  const std::string& fqdn() const { return fqdn_; }
  void Put(Json event) { queue_.push_back(std::move(event)); }
  size_t queued() const { return queue_.size(); }
  bool in_flight() const { return !in_flight_.empty(); }
  std::chrono::seconds poll_interval() const { return poll_interval_; }

  // The next envelope to POST (its events are in flight until OnPosted or
  // OnFailed), or nullopt when nothing is queued or a POST is in flight.
  std::optional<Json> NextEnvelope();
  // The manager answered 2xx with this body (may be empty or not JSON).
  void OnPosted(const Json& answer);
  // The POST failed: its events go back in front, in order.
  void OnFailed();

 private:
  void Annotate(Json& event);

  std::string fqdn_;
  std::string copytool_id_;
  std::deque<Json> queue_;
  std::deque<Json> in_flight_;
  std::map<std::string, Json> active_operations_;  // data_fid -> the manager's operation id
  std::chrono::seconds poll_interval_ = kPollInterval;
};

}  // namespace cs
