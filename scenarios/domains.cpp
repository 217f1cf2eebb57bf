// Failure domains from a status (see domains.h).
#include "scenarios/domains.h"

#include <algorithm>
#include <map>

#include "fakes/topology.h"

namespace cs::scenarios {

const std::vector<std::string>& DomainTypes() {
  static const std::vector<std::string> types = {"rack", "row", "pdu", "controller"};
  return types;
}

namespace {

bool IsStorageServer(const Json& s) { return !s.value("worker", false); }

}  // namespace

std::vector<std::string> DomainsOfServer(const Json& server, const std::string& type) {
  const Json location = server.value("location", Json::object());
  if (type == "pdu") {
    // location.pdus names the PDUs whose outlets feed it (every PDU in a
    // fleet without racks); the server object's own `pdus` is the same list.
    std::vector<std::string> out;
    for (const Json& p : location.value("pdus", server.value("pdus", Json::array()))) {
      if (p.is_string()) out.push_back(p);
    }
    std::sort(out.begin(), out.end());
    return out;
  }
  const Json name = location.value(type, Json());
  if (type == "controller") {
    if (!name.is_number_integer()) return {};
    return {ControllerName(name.get<int>())};
  }
  if (!name.is_string()) return {};
  return {name.get<std::string>()};
}

Result<std::vector<Domain>> DomainsOf(const Json& status, const std::string& type) {
  if (std::find(DomainTypes().begin(), DomainTypes().end(), type) == DomainTypes().end()) {
    return Status::InvalidArgument("no domain type '" + type + "' (rack, row, pdu or controller)");
  }
  std::map<std::string, std::vector<std::string>> by_name;
  for (const Json& s : status.value("servers", Json::array())) {
    if (!IsStorageServer(s)) continue;
    const std::vector<std::string> domains = DomainsOfServer(s, type);
    if (domains.empty()) {
      if (type == "controller") {
        return Status::InvalidArgument("server " + s.value("fqdn", "?") +
                                       " has no controller: a SAN-style fleet (setup --su_size gives each scalable unit one)");
      }
      return Status::InvalidArgument("server " + s.value("fqdn", "?") + " has no " + type +
                                     " in its location (a daemon older than racks?)");
    }
    for (const std::string& d : domains) by_name[d].push_back(s.value("fqdn", ""));
  }
  std::vector<Domain> out;
  for (auto& [name, servers] : by_name) {
    std::sort(servers.begin(), servers.end());
    out.push_back({name, std::move(servers)});
  }
  return out;
}

Result<std::vector<Domain>> ChooseDomains(const Json& status, const std::string& type, int count, Random& rng) {
  Result<std::vector<Domain>> all = DomainsOf(status, type);
  if (!all.ok()) return all.status();
  if (count < 1 || static_cast<size_t>(count) > all->size()) {
    return Status::InvalidArgument("cannot cut " + std::to_string(count) + " " + type + " domain(s): the fleet has " +
                                   std::to_string(all->size()));
  }
  // A partial Fisher-Yates shuffle: the first `count` are the chosen ones.
  std::vector<Domain> pool = std::move(*all);
  for (int i = 0; i < count; ++i) {
    const int64_t j = rng.Uniform(i, static_cast<int64_t>(pool.size()) - 1);
    std::swap(pool[static_cast<size_t>(i)], pool[static_cast<size_t>(j)]);
  }
  pool.resize(static_cast<size_t>(count));
  std::sort(pool.begin(), pool.end(), [](const Domain& a, const Domain& b) { return a.name < b.name; });
  return pool;
}

std::vector<std::string> ServersDownWith(const Json& status, const std::string& type, const std::set<std::string>& lost) {
  std::vector<std::string> out;
  if (type == "controller") return out;  // its servers keep their power, only its LUNs go
  for (const Json& s : status.value("servers", Json::array())) {
    if (!IsStorageServer(s)) continue;
    const std::vector<std::string> domains = DomainsOfServer(s, type);
    if (domains.empty()) continue;
    const auto is_lost = [&](const std::string& d) { return lost.count(d) > 0; };
    const bool down = type == "pdu" ? std::all_of(domains.begin(), domains.end(), is_lost)
                                    : std::any_of(domains.begin(), domains.end(), is_lost);
    if (down) out.push_back(s.value("fqdn", ""));
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace cs::scenarios
