// LogQuery: what a GET api/log/ request asks for (IML's parameters: limit,
// offset, fqdn or host__fqdn, message__contains), read from its decoded
// query string. Pure (fuzz/manager_rest_fuzz.cpp).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "util/status.h"

namespace cs::manager {

struct LogQuery {
  std::optional<std::string> fqdn;
  std::optional<std::string> message_contains;
  int64_t limit = 20;   // IML's default page; 0 means the largest page (1000)
  int64_t offset = 0;
};

// The query of a GET api/log/ request; InvalidArgument on a bad number.
Result<LogQuery> ParseLogQuery(const std::vector<std::pair<std::string, std::string>>& params);

}  // namespace cs::manager
