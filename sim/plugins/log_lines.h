// Log lines as the systemd_journal plugin sends them: the shape of one line,
// and the lines a server "logs" by itself at its log_rate. The control API's
// inject_log_message builds its lines here too, so they match.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "fakes/json_helpers.h"
#include "util/clock.h"

namespace cs {

// The real agent sends at most this many lines per DATA body.
constexpr size_t kMaxLogLinesPerMessage = 64;

// {source: "cluster_sim", severity: 1, facility: 1, message, datetime}.
Json MakeLogLine(const std::string& message, WallTime at);

// `count` numbered lines "<fqdn> <time> <n>", the original's filler.
std::vector<Json> SyntheticLogLines(const std::string& fqdn, int count, WallTime at);

}  // namespace cs
