// Reading a log query (see log_query.h).
#include "manager/log_query.h"

namespace cs::manager {

Result<LogQuery> ParseLogQuery(const std::vector<std::pair<std::string, std::string>>& params) {
  LogQuery q;
  auto number = [](const std::string& key, const std::string& text, int64_t* out) -> Status {
    if (text.empty() || text.size() > 12 || text.find_first_not_of("0123456789") != std::string::npos) {
      return Status::InvalidArgument(key + " must be a whole number, not '" + text + "'");
    }
    *out = std::stoll(text);
    return Status::Ok();
  };
  for (const auto& [key, value] : params) {
    if (key == "limit") {
      CS_RETURN_IF_ERROR(number(key, value, &q.limit));
    } else if (key == "offset") {
      CS_RETURN_IF_ERROR(number(key, value, &q.offset));
    } else if (key == "fqdn" || key == "host__fqdn") {
      q.fqdn = value;
    } else if (key == "message__contains") {
      q.message_contains = value;
    }
  }
  return q;
}

}  // namespace cs::manager
