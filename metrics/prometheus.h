// Prometheus text exposition (format 0.0.4) of a Snapshot, for
// `GET /metrics` on the control API:
//   cluster_sim_requests_total{type,name}                 counter
//   cluster_sim_request_failures_total{type,name,reason}  counter
//   cluster_sim_request_duration_seconds{type,name}       histogram (_bucket{le}, _sum, _count)
//   cluster_sim_long_poll_messages_total                  counter
//   cluster_sim_servers_running, cluster_sim_agents_connected,
//   cluster_sim_faults_active                             gauges
// The histogram's `le` buckets are fixed (1 ms .. 120 s); a value counts in
// the first `le` its fine bucket (metrics/histogram.h) lies wholly under,
// so a bucket may be late by at most 1.6 % of its bound.
#pragma once

#include <string>

#include "metrics/snapshot.h"

namespace cs::metrics {

constexpr const char* kPrometheusContentType = "text/plain; version=0.0.4; charset=utf-8";

std::string PrometheusText(const Snapshot& snapshot);

}  // namespace cs::metrics
