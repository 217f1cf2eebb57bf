// Failure reasons: see failure_reason.h.
#include "metrics/failure_reason.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>

namespace cs::metrics {

std::string HttpFailure(int status) { return "HTTP " + std::to_string(status); }

std::string TransportFailure(const Status& status) {
  std::string text = status.message();
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  // First match wins: injected faults before the generic words they contain.
  static const std::array<std::pair<const char*, const char*>, 14> kPatterns{{
      {"fail_connections", "connection failed (injected)"},
      {"drop_responses", "response lost (injected)"},
      {"manager_unreachable", "timeout (injected)"},
      {"refused", "connection refused"},
      {"timed out", "timeout"},
      {"timeout", "timeout"},
      {"handshake", "TLS handshake"},
      {"certificate", "TLS handshake"},
      {"reset", "connection reset"},
      {"end of stream", "connection closed"},
      {"stream truncated", "connection closed"},
      {"client closed", "cancelled"},
      {"resolve", "name resolution"},
      {"bad get answer", "bad answer"},
  }};
  for (const auto& [needle, reason] : kPatterns) {
    if (text.find(needle) != std::string::npos) return reason;
  }
  return "unavailable";
}

}  // namespace cs::metrics
