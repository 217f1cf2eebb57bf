// SystemStatus: the manager's system_status/ answer in the shape IML's
// had, so that tools written for IML (its benchmark's queue monitor) read
// it: {"rabbitmq": {"queues": [{name, messages, message_stats_ack_details_rate,
// message_stats_publish_details_rate, ...}]}, "postgres": {...}}. The
// queues are the manager's own: its per-plugin receive queues
// (manager/rx_queues.h) and the job queue (manager/job_runner.h); the
// "postgres" part lists the manager's database connection as
// pg_stat_activity rows, so that a reader counting connections works.
#pragma once

#include <vector>

#include "fakes/json_helpers.h"
#include "manager/rx_queues.h"

namespace cs::manager {

Json SystemStatusJson(const std::vector<QueueFigures>& queues);

}  // namespace cs::manager
