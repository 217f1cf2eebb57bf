// Prometheus text exposition: see prometheus.h.
#include "metrics/prometheus.h"

#include <array>
#include <cstdio>
#include <sstream>

namespace cs::metrics {

namespace {

constexpr std::array<double, 16> kBoundsSeconds{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
                                                0.5,   1,      2.5,   5,    10,    30,   60,  120};

// Label values escape backslash, double quote and newline.
std::string Escape(const std::string& value) {
  std::string out;
  for (char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string Labels(const RequestStats& r) {
  return "type=\"" + Escape(r.type) + "\",name=\"" + Escape(r.name) + "\"";
}

std::string Number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.9g", v);
  return buf;
}

void Family(std::ostringstream& out, const char* name, const char* type, const char* help) {
  out << "# HELP " << name << " " << help << "\n# TYPE " << name << " " << type << "\n";
}

}  // namespace

std::string PrometheusText(const Snapshot& s) {
  std::ostringstream out;
  Family(out, "cluster_sim_requests_total", "counter", "Requests the simulated agents made, failures included.");
  for (const RequestStats& r : s.requests) out << "cluster_sim_requests_total{" << Labels(r) << "} " << r.count() << "\n";

  Family(out, "cluster_sim_request_failures_total", "counter", "Failed requests, by reason.");
  for (const RequestStats& r : s.requests) {
    for (const auto& [reason, n] : r.failures_by_reason) {
      out << "cluster_sim_request_failures_total{" << Labels(r) << ",reason=\"" << Escape(reason) << "\"} " << n << "\n";
    }
  }

  Family(out, "cluster_sim_request_duration_seconds", "histogram", "How long requests took, failures included.");
  for (const RequestStats& r : s.requests) {
    const std::string labels = Labels(r);
    for (double bound : kBoundsSeconds) {
      const uint64_t below = r.latency.CountAtOrBelow(static_cast<uint64_t>(bound * 1e6));
      out << "cluster_sim_request_duration_seconds_bucket{" << labels << ",le=\"" << Number(bound) << "\"} " << below << "\n";
    }
    out << "cluster_sim_request_duration_seconds_bucket{" << labels << ",le=\"+Inf\"} " << r.count() << "\n";
    out << "cluster_sim_request_duration_seconds_sum{" << labels << "} "
        << Number(static_cast<double>(r.latency.sum_micros()) / 1e6) << "\n";
    out << "cluster_sim_request_duration_seconds_count{" << labels << "} " << r.count() << "\n";
  }

  Family(out, "cluster_sim_long_poll_messages_total", "counter", "Messages the long polls delivered to the agents.");
  out << "cluster_sim_long_poll_messages_total " << s.long_poll_messages << "\n";
  Family(out, "cluster_sim_servers_running", "gauge", "Simulated servers powered on and up.");
  out << "cluster_sim_servers_running " << s.gauges.servers_running << "\n";
  Family(out, "cluster_sim_agents_connected", "gauge", "Agents whose last long poll was answered.");
  out << "cluster_sim_agents_connected " << s.gauges.agents_connected << "\n";
  Family(out, "cluster_sim_faults_active", "gauge", "Injected faults in force (each fault on each scope counts once).");
  out << "cluster_sim_faults_active " << s.gauges.faults_active << "\n";
  return out.str();
}

}  // namespace cs::metrics
