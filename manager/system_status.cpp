#include "manager/system_status.h"

namespace cs::manager {

Json SystemStatusJson(const std::vector<QueueFigures>& queues) {
  Json list = Json::array();
  for (const QueueFigures& q : queues) {
    list.push_back({{"name", q.name},
                    {"messages", q.messages},
                    {"message_stats_publish_details_rate", q.publish_rate},
                    {"message_stats_ack_details_rate", q.ack_rate},
                    {"message_stats_publish", q.published},
                    {"message_stats_ack", q.acked},
                    {"consumers", 1}});
  }
  return Json{{"rabbitmq", {{"queues", std::move(list)}}},
              {"postgres",
               {{"pg_stat_activity",
                 {{"columns", Json::array({"datname", "state"})},
                  {"rows", Json::array({Json::array({"manager.db", "active"})})}}}}}};
}

}  // namespace cs::manager
