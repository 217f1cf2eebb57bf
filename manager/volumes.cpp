#include "manager/volumes.h"

#include <map>

namespace cs::manager {

std::vector<Volumes::Seen> Volumes::Scan() {
  std::vector<Seen> out;
  std::map<std::string, size_t> index;
  for (const HostRecord& host : store_.Hosts()) {
    for (const DeviceFact& d : reports_.Devices(host.fqdn)) {
      if (d.serial.empty()) continue;
      auto [it, fresh] = index.emplace(d.serial, out.size());
      if (fresh) out.push_back(Seen{d.serial, {}});
      out[it->second].nodes.push_back(Node{host.id, host.fqdn, d.path});
    }
  }
  return out;
}

std::map<std::string, int64_t> Volumes::Ids(const std::vector<Seen>& seen) {
  std::lock_guard<std::mutex> lock(mu_);
  std::map<std::string, int64_t> ids;
  for (const Json& v : store_.ListRecords("volume")) {
    if (v.value("serial", Json()).is_string()) ids[v["serial"].get<std::string>()] = v.value("id", int64_t{0});
  }
  for (const Seen& s : seen) {
    if (ids.count(s.serial)) continue;
    Result<int64_t> id = store_.InsertRecord("volume", Json{{"serial", s.serial}});
    if (id.ok()) ids[s.serial] = *id;
  }
  return ids;
}

std::vector<Json> Volumes::List() {
  const std::vector<Seen> seen = Scan();
  const std::map<std::string, int64_t> ids = Ids(seen);
  std::map<int64_t, Json> by_id;
  for (const Seen& s : seen) {
    auto id = ids.find(s.serial);
    if (id == ids.end()) continue;
    Json nodes = Json::array();
    for (size_t i = 0; i < s.nodes.size(); ++i) {
      const Node& n = s.nodes[i];
      nodes.push_back({{"host", "/api/host/" + std::to_string(n.host_id) + "/"},
                       {"host_id", n.host_id},
                       {"host_label", n.fqdn},
                       {"path", n.path},
                       {"primary", i == 0},
                       {"use", true}});
    }
    by_id[id->second] = Json{{"id", id->second},
                             {"label", s.serial},
                             {"name", s.serial},
                             {"serial", s.serial},
                             {"status", s.nodes.size() > 1 ? "configured-ha" : "configured-noha"},
                             {"volume_nodes", std::move(nodes)},
                             {"resource_uri", "/api/volume/" + std::to_string(id->second) + "/"}};
  }
  std::vector<Json> out;
  for (auto& [id, v] : by_id) out.push_back(std::move(v));
  return out;
}

Result<Json> Volumes::ResolveVolumeIds(Json request) {
  if (!request.is_object()) return request;
  std::map<int64_t, Json> where;  // volume id -> {host, device}
  bool scanned = false;
  auto resolve = [&](Json& target) -> Status {
    if (!target.is_object() || !target.contains("volume_id")) return Status::Ok();
    if (!target["volume_id"].is_number_integer()) return Status::InvalidArgument("volume_id must be a whole number");
    if (!scanned) {
      const std::vector<Seen> seen = Scan();
      const std::map<std::string, int64_t> ids = Ids(seen);
      for (const Seen& s : seen) {
        auto id = ids.find(s.serial);
        if (id != ids.end() && !s.nodes.empty()) where[id->second] = {{"host", s.nodes[0].fqdn}, {"device", s.nodes[0].path}};
      }
      scanned = true;
    }
    const int64_t id = target["volume_id"].get<int64_t>();
    auto found = where.find(id);
    if (found == where.end()) return Status::InvalidArgument("no volume " + std::to_string(id) + " is reported by any host");
    Json resolved = found->second;
    for (const auto& [key, value] : target.items()) {
      if (key != "volume_id") resolved[key] = value;
    }
    target = std::move(resolved);
    return Status::Ok();
  };
  if (request.contains("mgt")) CS_RETURN_IF_ERROR(resolve(request["mgt"]));
  for (const char* list : {"mdts", "osts"}) {
    if (!request.contains(list) || !request[list].is_array()) continue;
    for (Json& t : request[list]) CS_RETURN_IF_ERROR(resolve(t));
  }
  return request;
}

}  // namespace cs::manager
