#include "manager/agent_sessions.h"

#include "manager/secure_ids.h"

namespace cs::manager {

void AgentSessions::KnowHost(const std::string& fqdn, const std::string& boot_time) {
  std::lock_guard<std::mutex> lock(mu_);
  HostState& h = hosts_[fqdn];
  if (!boot_time.empty()) h.boot_time = boot_time;
}

ContactResult AgentSessions::Contact(const std::string& fqdn,
                                     const std::optional<std::string>& boot_time,
                                     const std::optional<std::string>& client_start_time,
                                     WallTime now) {
  std::lock_guard<std::mutex> lock(mu_);
  HostState& h = hosts_[fqdn];
  ContactResult r;
  h.last_contact = now;
  if (!h.reachable) {
    h.reachable = true;
    r.became_reachable = true;
  }
  if (boot_time && boot_time != h.boot_time) {
    r.rebooted = h.boot_time.has_value();
    r.boot_time_changed = true;
    h.boot_time = boot_time;
  }
  if (client_start_time && client_start_time != h.client_start_time) {
    // Also true on the very first GET (nothing recorded): the real manager
    // answered it with SESSION_TERMINATE_ALL too, and agents expect that.
    r.terminate_all = true;
    h.client_start_time = client_start_time;
  }
  return r;
}

std::string AgentSessions::Create(const std::string& fqdn, const std::string& plugin,
                                  std::optional<std::string>* replaced,
                                  const std::string& client_start_time) {
  std::lock_guard<std::mutex> lock(mu_);
  hosts_[fqdn].opened_by[plugin] = client_start_time;
  hosts_[fqdn].counts[plugin] = HostState::Counts{};
  std::string& slot = hosts_[fqdn].sessions[plugin];
  if (replaced) *replaced = slot.empty() ? std::nullopt : std::optional<std::string>(slot);
  slot = RandomUuid();
  return slot;
}

std::optional<std::string> AgentSessions::Get(const std::string& fqdn,
                                              const std::string& plugin) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto h = hosts_.find(fqdn);
  if (h == hosts_.end()) return std::nullopt;
  auto s = h->second.sessions.find(plugin);
  if (s == h->second.sessions.end()) return std::nullopt;
  return s->second;
}

bool AgentSessions::IsCurrent(const std::string& fqdn, const std::string& plugin,
                              const std::optional<std::string>& session_id) const {
  return Get(fqdn, plugin) == session_id;
}

std::vector<std::string> AgentSessions::DropAll(const std::string& fqdn) {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<std::string> plugins;
  auto h = hosts_.find(fqdn);
  if (h == hosts_.end()) return plugins;
  for (const auto& [plugin, id] : h->second.sessions) plugins.push_back(plugin);
  h->second.sessions.clear();
  h->second.opened_by.clear();
  h->second.counts.clear();
  return plugins;
}

std::vector<std::string> AgentSessions::DropAllBut(const std::string& fqdn,
                                                   const std::string& client_start_time) {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<std::string> plugins;
  auto h = hosts_.find(fqdn);
  if (h == hosts_.end()) return plugins;
  for (auto it = h->second.sessions.begin(); it != h->second.sessions.end();) {
    auto opener = h->second.opened_by.find(it->first);
    if (opener != h->second.opened_by.end() && opener->second == client_start_time) {
      ++it;
      continue;
    }
    plugins.push_back(it->first);
    h->second.opened_by.erase(it->first);
    h->second.counts.erase(it->first);
    it = h->second.sessions.erase(it);
  }
  return plugins;
}

std::vector<std::string> AgentSessions::ExpireSilent(WallTime now,
                                                     std::chrono::microseconds timeout) {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<std::string> out;
  for (auto& [fqdn, h] : hosts_) {
    // A host never heard from since the manager started has nothing to
    // time out from yet; its stored reachability stands.
    if (!h.reachable || !h.last_contact) continue;
    if (now - *h.last_contact > timeout) {
      h.reachable = false;
      ++h.times_unreachable;
      out.push_back(fqdn);
    }
  }
  return out;
}

void AgentSessions::CountData(const std::string& fqdn, const std::string& plugin, WallTime now) {
  std::lock_guard<std::mutex> lock(mu_);
  auto h = hosts_.find(fqdn);
  if (h == hosts_.end()) return;
  auto c = h->second.counts.find(plugin);
  if (c == h->second.counts.end()) return;
  ++c->second.data;
  c->second.last_data = now;
}

std::vector<HostSessionStats> AgentSessions::Stats() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<HostSessionStats> out;
  out.reserve(hosts_.size());
  for (const auto& [fqdn, h] : hosts_) {
    HostSessionStats s;
    s.fqdn = fqdn;
    s.times_unreachable = h.times_unreachable;
    s.reachable = h.reachable;
    for (const auto& [plugin, id] : h.sessions) {
      auto c = h.counts.find(plugin);
      HostSessionStats::Plugin p;
      p.plugin = plugin;
      if (c != h.counts.end()) {
        p.data_messages = c->second.data;
        p.last_data = c->second.last_data;
      }
      s.sessions.push_back(p);
    }
    out.push_back(std::move(s));
  }
  return out;
}

std::optional<WallTime> AgentSessions::LastContact(const std::string& fqdn) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto h = hosts_.find(fqdn);
  if (h == hosts_.end()) return std::nullopt;
  return h->second.last_contact;
}

std::optional<std::string> AgentSessions::ClientStartTime(const std::string& fqdn) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto h = hosts_.find(fqdn);
  if (h == hosts_.end()) return std::nullopt;
  return h->second.client_start_time;
}

}  // namespace cs::manager
