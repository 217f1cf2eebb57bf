// RequestRecorder: see recorder.h.
#include "benchmark/recorder.h"

#include <cctype>

#include "metrics/failure_reason.h"

namespace cs::benchmark {

namespace {

bool AllDigits(const std::string& s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

// The 3-digit status after "METHOD path: " in a ManagerClient error.
int HttpStatusIn(const std::string& message) {
  for (size_t at = message.find(": "); at != std::string::npos; at = message.find(": ", at + 1)) {
    const std::string code = message.substr(at + 2, 3);
    const size_t after = at + 5;
    if (AllDigits(code) && code.size() == 3 && (after == message.size() || message[after] == ' ')) {
      return std::stoi(code);
    }
  }
  return 0;
}

WallTime Now() { return std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now()); }

}  // namespace

std::string RequestName(const std::string& path) {
  const size_t query = path.find('?');
  const std::string route = path.substr(0, query);
  std::string out = route.empty() || route[0] != '/' ? "/" : "";
  size_t start = 0;
  while (start <= route.size()) {
    size_t slash = route.find('/', start);
    if (slash == std::string::npos) slash = route.size();
    const std::string segment = route.substr(start, slash - start);
    out += AllDigits(segment) ? "{id}" : segment;
    if (slash < route.size()) out += '/';
    start = slash + 1;
  }
  if (query != std::string::npos) out += path.substr(query);
  return out;
}

std::string RestFailureReason(const Status& status) {
  if (int http = HttpStatusIn(status.message()); http != 0 && status.code() == Status::Code::kFailedPrecondition) {
    return metrics::HttpFailure(http);
  }
  if (status.code() == Status::Code::kCorruption) return "bad answer";
  return metrics::TransportFailure(status);
}

std::string ControlFailureReason(const Status& status) {
  const std::string& m = status.message();
  switch (status.code()) {
    case Status::Code::kInvalidArgument: return metrics::HttpFailure(400);
    case Status::Code::kNotFound: return metrics::HttpFailure(404);
    case Status::Code::kFailedPrecondition: return metrics::HttpFailure(m.rfind("unauthorized", 0) == 0 ? 401 : 409);
    case Status::Code::kUnavailable:
      // The transport's failures carry the client's "control API OP: " context.
      return m.rfind("control API ", 0) == 0 ? metrics::TransportFailure(status) : metrics::HttpFailure(503);
    default: {
      const std::string answered = "control API answered ";
      if (m.rfind(answered, 0) == 0 && AllDigits(m.substr(answered.size(), 3))) {
        return metrics::HttpFailure(std::stoi(m.substr(answered.size(), 3)));
      }
      return "bad answer";
    }
  }
}

RequestRecorder::RequestRecorder() : started_at_(Now()) {}

void RequestRecorder::Record(const std::string& type, const std::string& name, std::chrono::steady_clock::duration took,
                             const std::string& failure_reason, uint64_t content_bytes) {
  const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(took).count();
  ++requests_;
  if (!failure_reason.empty()) ++failures_;
  std::lock_guard<std::mutex> lock(mu_);
  metrics::RequestStats& s = stats_[{type, name}];
  if (s.name.empty()) {
    s.type = type;
    s.name = name;
  }
  s.latency.Record(static_cast<uint64_t>(micros < 0 ? 0 : micros));
  s.content_bytes += content_bytes;
  if (!failure_reason.empty()) {
    ++s.failures;
    ++s.failures_by_reason[failure_reason];
  }
}

metrics::Snapshot RequestRecorder::Take(const metrics::Gauges& gauges) const {
  metrics::Snapshot out;
  out.started_at = started_at_;
  out.taken_at = Now();
  out.gauges = gauges;
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& [key, stats] : stats_) out.requests.push_back(stats);
  return out;
}

}  // namespace cs::benchmark
