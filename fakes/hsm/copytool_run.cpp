#include "fakes/hsm/copytool_run.h"

#include <ctime>

namespace cs {

std::string FormatCopytoolEventTime(WallTime t) {
  const std::time_t secs = std::chrono::system_clock::to_time_t(
      std::chrono::time_point_cast<std::chrono::seconds>(t));
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char text[40];
  std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S+00:00", &tm);
  return text;
}

HsmCopytoolRun::HsmCopytoolRun(std::string id, std::string uuid, std::string mount_point,
                               int64_t archive, WallTime started, int64_t bandwidth)
    : id_(std::move(id)), uuid_(std::move(uuid)), mount_point_(std::move(mount_point)),
      archive_(archive), bandwidth_(bandwidth > 0 ? bandwidth : kMaxBandwidth), last_progress_event_(started) {}

Json HsmCopytoolRun::LifecycleEvent(const char* type, WallTime now) const {
  return Json{{"event_type", type}, {"uuid", uuid_}, {"mount_point", mount_point_},
              {"archive", archive_}, {"event_time", FormatCopytoolEventTime(now)}};
}

Json HsmCopytoolRun::RequestEvent(const HsmRequest& r, const char* phase, WallTime now) {
  return Json{{"event_type", r.action + "_" + phase}, {"lustre_path", r.path},
              {"total_bytes", r.total_bytes},         {"current_bytes", r.current_bytes},
              {"source_fid", r.fid},                  {"data_fid", r.fid},
              {"event_time", FormatCopytoolEventTime(now)}};
}

std::vector<Json> HsmCopytoolRun::Loop(WallTime now, HsmCoordinator& coordinator) {
  std::vector<Json> events;
  for (HsmRequest& r : coordinator.TakeAgentRequests(uuid_)) {
    r.current_bytes = 0;
    coordinator.StartRequest(uuid_, r);
    events.push_back(RequestEvent(r, "START", now));
    const std::string fid = r.fid;
    active_.insert_or_assign(fid, std::move(r));
  }
  if (active_.empty()) return events;

  const bool report_progress = now > last_progress_event_ + kProgressInterval;
  const int64_t share = bandwidth_ / static_cast<int64_t>(active_.size());
  const int64_t per_loop = share * kLoopInterval.count();
  for (auto it = active_.begin(); it != active_.end();) {
    HsmRequest& r = it->second;
    // Removes are quick whatever the size: the original fudged them to two loops.
    if (r.action == "REMOVE") r.total_bytes = bandwidth_ * kLoopInterval.count() * 2;
    r.current_bytes += per_loop;
    if (r.current_bytes >= r.total_bytes) {
      r.current_bytes = r.total_bytes;
      coordinator.FinishRequest(uuid_, r, now);
      events.push_back(RequestEvent(r, "FINISH", now));
      it = active_.erase(it);
      continue;
    }
    if (report_progress) events.push_back(RequestEvent(r, "RUNNING", now));
    ++it;
  }
  if (report_progress) last_progress_event_ = now;
  return events;
}

}  // namespace cs
