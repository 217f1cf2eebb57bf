#include "manager/rest_api.h"

#include <set>

#include "manager/agent_endpoints.h"
#include "manager/list_page.h"
#include "manager/rest_path.h"
#include "manager/secure_ids.h"
#include "manager/storage_resources.h"
#include "util/json_parse.h"

namespace cs::manager {

namespace {

net::Response JsonOk(int status, const Json& body) {
  return net::Response::Json(status, body.dump());
}

std::string ListUri(const std::string& kind) { return "/api/" + kind + "/"; }

// A list whose objects are all at hand, paged as the request asks.
net::Response PagedList(const net::Request& request, const std::string& kind, std::vector<Json> all) {
  Result<ListPage> page = ParseListPage(request);
  if (!page.ok()) return JsonError(400, page.status().message());
  const size_t total = all.size();
  return net::Response::Json(200, PageBody(ListUri(kind), *page, total, Slice(std::move(all), *page)).dump());
}

std::string Uri(const std::string& kind, int64_t id) {
  return "/api/" + kind + "/" + std::to_string(id) + "/";
}

// Power records keep their passwords for configure_fencing; no view shows them.
Json WithoutSecrets(Json doc) {
  doc.erase("password");
  doc.erase("default_password");
  return doc;
}

Json WithUri(Json doc, const std::string& kind) {
  doc["resource_uri"] = Uri(kind, doc.value("id", int64_t{0}));
  if (kind == "command") {
    // IML's command fields, which its tools wait on.
    const std::string state = doc.value("state", "");
    doc["complete"] = state == "succeeded" || state == "failed" || state == "cancelled";
    doc["errored"] = state == "failed";
    doc["cancelled"] = state == "cancelled";
  }
  return doc;
}

Result<Json> ParseBody(const net::Request& request) {
  Result<Json> parsed = ParseUntrustedJson(request.body);
  if (!parsed.ok()) return parsed.status();
  Json body = std::move(*parsed);
  if (!body.is_object()) {
    return Status::InvalidArgument("the body must be a JSON object");
  }
  return body;
}

net::Response StatusResponse(const Status& s) {
  switch (s.code()) {
    case Status::Code::kNotFound: return JsonError(404, s.message());
    case Status::Code::kInvalidArgument:
    case Status::Code::kAlreadyExists:
    case Status::Code::kFailedPrecondition: return JsonError(400, s.message());
    default: return JsonError(500, s.message());
  }
}

Json HostJson(const HostRecord& h) {
  Json j = h.ToJson();
  j["resource_uri"] = Uri("host", h.id);
  j["server_profile"] = "/api/server_profile/" + h.profile + "/";
  j["label"] = h.fqdn;
  j["available_jobs"] = Json::array({{{"class_name", "ForceRemoveHostJob"},
                                      {"verb", "Force Remove"},
                                      {"args", {{"host_id", h.id}}}}});
  return j;
}

}  // namespace

std::map<std::string, std::string> ParseCookies(const std::string& header) {
  std::map<std::string, std::string> out;
  size_t pos = 0;
  while (pos < header.size()) {
    size_t end = header.find(';', pos);
    if (end == std::string::npos) end = header.size();
    std::string item = header.substr(pos, end - pos);
    const size_t b = item.find_first_not_of(' ');
    item = b == std::string::npos ? "" : item.substr(b);
    const size_t eq = item.find('=');
    if (eq != std::string::npos) out[item.substr(0, eq)] = item.substr(eq + 1);
    pos = end + 1;
  }
  return out;
}


const std::vector<Json>& RestApi::ServerProfiles() {
  static const std::vector<Json> profiles = [] {
    std::vector<Json> out;
    struct P { const char* name; const char* label; bool managed; bool worker; };
    for (const P& p : {P{"base_managed_rh7", "Managed Storage Server", true, false},
                       P{"base_monitored", "Monitored Storage Server", false, false},
                       P{"posix_copytool_worker", "POSIX HSM Agent Node", true, true}}) {
      out.push_back({{"name", p.name},
                     {"ui_name", p.label},
                     {"managed", p.managed},
                     {"worker", p.worker},
                     {"initial_state", p.managed ? "managed" : "monitored"},
                     {"resource_uri", std::string("/api/server_profile/") + p.name + "/"}});
    }
    return out;
  }();
  return profiles;
}

RestApi::RestApi(ManagerStore& store, const Users& users, const Clock& clock, Hooks hooks)
    : store_(store), users_(users), clock_(clock), hooks_(std::move(hooks)) {}

void RestApi::Handle(const net::Request& request, const std::string& path, net::Respond respond) {
  const std::vector<std::string> parts = SplitPath(path);
  if (parts.empty()) return respond(JsonError(404, "no such API resource"));
  if (parts[0] == "session") return respond(Session(request));

  const auto cookies = ParseCookies(request.headers.Get("Cookie").value_or(""));
  WebSession session;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto c = cookies.find("sessionid");
    auto it = c == cookies.end() ? sessions_.end() : sessions_.find(c->second);
    if (it == sessions_.end() || it->second.username.empty()) {
      return respond(JsonError(401, "log in first (GET then POST api/session/)"));
    }
    session = it->second;
  }
  if (request.method != "GET" && request.method != "HEAD" &&
      request.headers.Get("X-CSRFToken").value_or("") != session.csrf) {
    return respond(JsonError(403, "CSRF token missing or incorrect"));
  }
  respond(Dispatch(request, parts));
}

net::Response RestApi::Dispatch(const net::Request& request,
                                 const std::vector<std::string>& parts) {
  const std::string& kind = parts[0];
  if (kind == "server_profile") {
    if (parts.size() == 1) return PagedList(request, kind, ServerProfiles());
    for (const Json& p : ServerProfiles()) {
      if (p["name"] == parts[1]) return JsonOk(200, p);
    }
    return JsonError(404, "no server profile " + parts[1]);
  }
  if (kind == "registration_token") return Tokens(request, parts);
  if (kind == "host") {
    // POST host/<id>/action/ {"action", "args"}: one agent action as a command.
    if (request.method == "POST" && parts.size() == 3 && parts[2] == "action" && hooks_.host_action) {
      Result<Json> body = ParseBody(request);
      if (!body.ok()) return JsonError(400, body.status().message());
      if (!body->is_object() || !body->value("action", Json()).is_string()) {
        return JsonError(400, "expected {\"action\": \"start_lnet\", \"args\": {...}}");
      }
      Result<int64_t> command = hooks_.host_action(ParseId(parts[1]), (*body)["action"].get<std::string>(),
                                                   body->value("args", Json::object()));
      if (!command.ok()) return StatusResponse(command.status());
      return JsonOk(202, Json{{"command_id", *command}});
    }
    if (request.method != "GET") return JsonError(405, "hosts register themselves");
    return Hosts(request, parts);
  }
  if (kind == "power_control_type") return PowerTypes(request, parts);
  if (kind == "power_control_device") return PowerDevices(request, parts);
  if (kind == "power_control_device_outlet") return Outlets(request, parts);
  if (kind == "filesystem") return Filesystems(request, parts);
  if (kind == "target") return Targets(request, parts);
  if (kind == "command") return Commands(request, parts);
  if (kind == "session_stats" && parts.size() == 1 && request.method == "GET" && hooks_.session_stats) {
    return PagedList(request, kind, hooks_.session_stats());
  }
  if (kind == "system_status" && hooks_.system_status) {
    if (request.method != "GET") return JsonError(405, "system_status/ is read-only");
    return JsonOk(200, hooks_.system_status());
  }
  if (kind == "volume" && hooks_.list_volumes) return Volumes(request, parts);
  if (kind == "storage_resource_class") return StorageResourceClasses(request, parts);
  if (kind == "storage_resource") return StorageResourcesApi(store_, request, parts);

  if (kind == "copytool" && parts.size() == 1 && hooks_.list_copytools) {
    if (request.method != "GET") return JsonError(405, "copytools are learnt from their events; GET them");
    std::vector<Json> copytools = hooks_.list_copytools();
    for (Json& c : copytools) c["resource_uri"] = Uri("copytool", c["id"].get<int64_t>());
    return PagedList(request, kind, std::move(copytools));
  }
  if (kind == "log" && hooks_.list_logs) {
    if (request.method != "GET") return JsonError(405, "log lines arrive from the agents; GET them");
    Result<Json> page = hooks_.list_logs(request.query);
    return page.ok() ? JsonOk(200, *page) : StatusResponse(page.status());
  }
  return JsonError(404, "no such API resource: " + kind);
}

net::Response RestApi::Session(const net::Request& request) {
  const auto cookies = ParseCookies(request.headers.Get("Cookie").value_or(""));
  auto c = cookies.find("sessionid");
  if (request.method == "GET") {
    std::lock_guard<std::mutex> lock(mu_);
    std::string id = c == cookies.end() ? "" : c->second;
    auto it = sessions_.find(id);
    if (it == sessions_.end()) {
      // Bounded: a client that never sends cookies back cannot fill memory.
      if (sessions_.size() > 10000) sessions_.clear();
      id = RandomHex(16);
      it = sessions_.emplace(id, WebSession{RandomHex(16), ""}).first;
    }
    net::Response r = JsonOk(200, Json{{"user", it->second.username.empty()
                                                    ? Json()
                                                    : Json{{"username", it->second.username}}}});
    r.headers.Add("Set-Cookie", "csrftoken=" + it->second.csrf + "; Path=/");
    r.headers.Add("Set-Cookie", "sessionid=" + id + "; Path=/; HttpOnly; Secure");
    return r;
  }
  WebSession session;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = c == cookies.end() ? sessions_.end() : sessions_.find(c->second);
    if (it == sessions_.end()) return JsonError(403, "no session: GET api/session/ first");
    session = it->second;
  }
  if (request.headers.Get("X-CSRFToken").value_or("") != session.csrf) {
    return JsonError(403, "CSRF token missing or incorrect");
  }
  if (request.method == "DELETE") {
    std::lock_guard<std::mutex> lock(mu_);
    sessions_[c->second].username.clear();
    return net::Response{204, {}, ""};
  }
  if (request.method != "POST") return JsonError(405, "session/ takes GET, POST and DELETE");
  Result<Json> body = ParseBody(request);
  if (!body.ok()) return JsonError(400, body.status().message());
  const Json& b = *body;
  if (!b.value("username", Json()).is_string() || !b.value("password", Json()).is_string()) {
    return JsonError(400, "username and password are required");
  }
  const std::string username = b["username"].get<std::string>();
  if (!users_.Check(username, b["password"].get<std::string>())) {
    return JsonError(401, "wrong username or password");
  }
  std::lock_guard<std::mutex> lock(mu_);
  auto it = sessions_.find(c->second);
  if (it == sessions_.end()) return JsonError(403, "the session ended");
  it->second.username = username;
  return JsonOk(201, Json{{"user", {{"username", username}}}});
}

net::Response RestApi::Tokens(const net::Request& request, const std::vector<std::string>& parts) {
  if (parts.size() == 1 && request.method == "GET") {
    std::vector<Json> out;
    for (const TokenRecord& t : store_.Tokens()) {
      Json j = WithUri(t.ToJson(), "registration_token");
      j["profile"] = "/api/server_profile/" + t.profile + "/";
      out.push_back(j);
    }
    return PagedList(request, "registration_token", std::move(out));
  }
  if (parts.size() == 1 && request.method == "POST") {
    Result<Json> body = ParseBody(request);
    if (!body.ok()) return JsonError(400, body.status().message());
    const Json& b = *body;
    int64_t credits = 1;
    if (b.contains("credits")) {
      if (!b["credits"].is_number_integer() || b["credits"].get<int64_t>() < 0) {
        return JsonError(400, "credits must be a whole number");
      }
      credits = b["credits"].get<int64_t>();
    }
    std::string profile = b.value("profile", Json("base_managed_rh7")).is_string()
                              ? b.value("profile", std::string("base_managed_rh7"))
                              : "";
    const std::vector<std::string> pp = SplitPath(profile);
    if (!pp.empty()) profile = pp.back();  // accepts a resource_uri or a name
    bool known = false;
    for (const Json& p : ServerProfiles()) known = known || p["name"] == profile;
    if (!known) return JsonError(400, "no server profile '" + profile + "'");
    WallTime expiry = clock_.Now() + std::chrono::hours(1);
    if (b.contains("expiry") && !b["expiry"].is_null()) {
      // The original CLI sends isoformat() without a zone: take it as UTC.
      std::string text = b["expiry"].is_string() ? b["expiry"].get<std::string>() : "";
      if (!text.empty() && text.back() != 'Z' && text.find('+', 10) == std::string::npos) {
        text += "Z";
      }
      if (!ParseAgentTime(text, &expiry)) return JsonError(400, "expiry is not an ISO-8601 time");
    }
    Result<TokenRecord> t = store_.CreateToken(credits, profile, expiry);
    if (!t.ok()) return StatusResponse(t.status());
    Json j = WithUri(t->ToJson(), "registration_token");
    j["profile"] = "/api/server_profile/" + profile + "/";
    return JsonOk(201, j);
  }
  if (parts.size() == 2) {
    const int64_t id = ParseId(parts[1]);
    std::optional<TokenRecord> t = store_.TokenById(id);
    if (!t) return JsonError(404, "no token " + parts[1]);
    if (request.method == "GET") return JsonOk(200, WithUri(t->ToJson(), "registration_token"));
    if (request.method == "DELETE" || request.method == "PATCH" || request.method == "PUT") {
      if (request.method != "DELETE") {
        Result<Json> body = ParseBody(request);
        if (!body.ok()) return JsonError(400, body.status().message());
        if (body->value("cancelled", false) != true) {
          return JsonError(400, "only {\"cancelled\": true} can change a token");
        }
      }
      Status s = store_.CancelToken(id);
      if (!s.ok()) return StatusResponse(s);
      t->cancelled = true;
      return JsonOk(200, WithUri(t->ToJson(), "registration_token"));
    }
  }
  return JsonError(405, "unsupported method for registration_token");
}

net::Response RestApi::Hosts(const net::Request& request, const std::vector<std::string>& parts) {
  if (parts.size() == 1) {
    Result<ListPage> page = ParseListPage(request);
    if (!page.ok()) return JsonError(400, page.status().message());
    size_t total = 0;
    std::vector<Json> out;
    for (const HostRecord& h : store_.Hosts(page->offset, page->limit, &total)) out.push_back(HostJson(h));
    return JsonOk(200, PageBody(ListUri("host"), *page, total, std::move(out)));
  }
  std::optional<HostRecord> h = store_.HostById(ParseId(parts[1]));
  if (!h) return JsonError(404, "no host " + parts[1]);
  return JsonOk(200, HostJson(*h));
}

net::Response RestApi::Records(const net::Request& request, const std::string& kind,
                               const std::vector<std::string>& parts) {
  if (parts.size() == 1) {
    Result<ListPage> page = ParseListPage(request);
    if (!page.ok()) return JsonError(400, page.status().message());
    size_t total = 0;
    std::vector<Json> out;
    for (Json& doc : store_.ListRecords(kind, page->offset, page->limit, &total)) {
      out.push_back(WithUri(WithoutSecrets(std::move(doc)), parts[0]));
    }
    return JsonOk(200, PageBody(ListUri(parts[0]), *page, total, std::move(out)));
  }
  std::optional<Json> doc = store_.GetRecord(kind, ParseId(parts[1]));
  if (!doc) return JsonError(404, "no " + parts[0] + " " + parts[1]);
  return JsonOk(200, WithUri(WithoutSecrets(std::move(*doc)), parts[0]));
}

net::Response RestApi::PowerTypes(const net::Request& request,
                                  const std::vector<std::string>& parts) {
  if (request.method == "GET") return Records(request, "power_control_type", parts);
  if (request.method != "POST" || parts.size() != 1) return JsonError(405, "unsupported method");
  Result<Json> body = ParseBody(request);
  if (!body.ok()) return JsonError(400, body.status().message());
  Json t = *body;
  if (!t.value("max_outlets", Json()).is_number_integer() || t["max_outlets"].get<int64_t>() < 0 ||
      t["max_outlets"].get<int64_t>() > 1024) {
    return JsonError(400, "max_outlets must be a whole number from 0 to 1024");
  }
  t["name"] = t.value("make", std::string("")) + " " + t.value("model", std::string(""));
  // The default password is kept for configure_fencing, never echoed.
  Result<int64_t> id = store_.InsertRecord("power_control_type", t);
  if (!id.ok()) return StatusResponse(id.status());
  return JsonOk(201, WithUri(WithoutSecrets(*store_.GetRecord("power_control_type", *id)), "power_control_type"));
}

net::Response RestApi::PowerDevices(const net::Request& request,
                                    const std::vector<std::string>& parts) {
  auto with_outlets = [this](Json device) {
    device = WithUri(WithoutSecrets(std::move(device)), "power_control_device");
    device["outlets"] = Json::array();
    for (Json& o : store_.ListRecords("power_control_device_outlet")) {
      if (o.value("device", std::string()) == device["resource_uri"]) {
        device["outlets"].push_back(WithUri(std::move(o), "power_control_device_outlet"));
      }
    }
    return device;
  };
  if (request.method == "GET") {
    if (parts.size() == 1) {
      std::vector<Json> out;
      for (Json& d : store_.ListRecords("power_control_device")) out.push_back(with_outlets(d));
      return PagedList(request, "power_control_device", std::move(out));
    }
    std::optional<Json> d = store_.GetRecord("power_control_device", ParseId(parts[1]));
    if (!d) return JsonError(404, "no power_control_device " + parts[1]);
    return JsonOk(200, with_outlets(*d));
  }
  if (request.method != "POST" || parts.size() != 1) return JsonError(405, "unsupported method");
  Result<Json> body = ParseBody(request);
  if (!body.ok()) return JsonError(400, body.status().message());
  Json d = *body;
  std::optional<Json> type = store_.GetRecord(
      "power_control_type", IdFromUri(d.value("device_type", std::string())));
  if (!type) return JsonError(400, "device_type must be a power_control_type resource_uri");
  if (!d.value("name", Json()).is_string()) return JsonError(400, "name is required");
  // The password (the type's default when absent) is kept for
  // configure_fencing, never echoed.
  Result<int64_t> id = store_.InsertRecord("power_control_device", d);
  if (!id.ok()) return StatusResponse(id.status());
  const std::string uri = Uri("power_control_device", *id);
  const int64_t outlets = type->value("max_outlets", int64_t{0});
  for (int64_t i = 1; i <= outlets; ++i) {
    Result<int64_t> o = store_.InsertRecord(
        "power_control_device_outlet",
        Json{{"identifier", std::to_string(i)}, {"device", uri}, {"host", nullptr}});
    if (!o.ok()) return StatusResponse(o.status());
  }
  return JsonOk(201, with_outlets(*store_.GetRecord("power_control_device", *id)));
}

net::Response RestApi::Outlets(const net::Request& request, const std::vector<std::string>& parts) {
  if (request.method == "GET") return Records(request, "power_control_device_outlet", parts);
  if ((request.method != "PATCH" && request.method != "PUT") || parts.size() != 2) {
    return JsonError(405, "outlets take GET and PATCH on an id");
  }
  const int64_t id = ParseId(parts[1]);
  std::optional<Json> outlet = store_.GetRecord("power_control_device_outlet", id);
  if (!outlet) return JsonError(404, "no outlet " + parts[1]);
  Result<Json> body = ParseBody(request);
  if (!body.ok()) return JsonError(400, body.status().message());
  std::set<int64_t> changed_hosts;
  if (body->contains("host")) {
    const Json& host = (*body)["host"];
    const Json& before = outlet->value("host", Json());
    if (before.is_string()) changed_hosts.insert(IdFromUri(before.get<std::string>()));
    if (host.is_string()) changed_hosts.insert(IdFromUri(host.get<std::string>()));
    if (host.is_null()) {
      (*outlet)["host"] = nullptr;
    } else if (!host.is_string() || !store_.HostById(IdFromUri(host.get<std::string>()))) {
      return JsonError(400, "host must be a host resource_uri or null");
    } else {
      (*outlet)["host"] = host;
    }
  }
  Status s = store_.PutRecord("power_control_device_outlet", id, *outlet);
  if (!s.ok()) return StatusResponse(s);
  if (hooks_.outlets_changed && !changed_hosts.empty()) hooks_.outlets_changed(changed_hosts);
  return JsonOk(200, WithUri(*outlet, "power_control_device_outlet"));
}

net::Response RestApi::Filesystems(const net::Request& request,
                                   const std::vector<std::string>& parts) {
  if (request.method == "GET") return Records(request, "filesystem", parts);
  // POST filesystem/<id>/conf_param/ {"key", "value"}: value null clears it.
  if (request.method == "POST" && parts.size() == 3 && parts[2] == "conf_param" && hooks_.set_conf_param) {
    Result<Json> body = ParseBody(request);
    if (!body.ok()) return JsonError(400, body.status().message());
    if (!body->is_object() || !body->value("key", Json()).is_string()) {
      return JsonError(400, "expected {\"key\": \"testfs.llite.max_cached_mb\", \"value\": \"16\"}");
    }
    Result<int64_t> command =
        hooks_.set_conf_param(ParseId(parts[1]), (*body)["key"].get<std::string>(), body->value("value", Json()));
    if (!command.ok()) return StatusResponse(command.status());
    return JsonOk(202, Json{{"command_id", *command}});
  }
  if (request.method != "POST" || parts.size() != 1 || !hooks_.create_filesystem) {
    return JsonError(405, "unsupported method");
  }
  Result<Json> body = ParseBody(request);
  if (!body.ok()) return JsonError(400, body.status().message());
  Result<Json> created = hooks_.create_filesystem(*body);
  if (!created.ok()) return StatusResponse(created.status());
  return JsonOk(202, *created);
}

net::Response RestApi::Targets(const net::Request& request, const std::vector<std::string>& parts) {
  if (request.method == "GET") return Records(request, "target", parts);
  if (request.method != "POST" || parts.size() != 3 || !hooks_.target_action) {
    return JsonError(405, "targets take GET, and POST target/<id>/<start|stop|failover|failback>/");
  }
  const int64_t id = ParseId(parts[1]);
  if (!store_.GetRecord("target", id)) return JsonError(404, "no target " + parts[1]);
  Result<int64_t> command = hooks_.target_action(id, parts[2]);
  if (!command.ok()) return StatusResponse(command.status());
  return JsonOk(202, WithUri(*store_.GetRecord("command", *command), "command"));
}

net::Response RestApi::Commands(const net::Request& request, const std::vector<std::string>& parts) {
  if (request.method == "GET") return Records(request, "command", parts);
  if (request.method == "DELETE" && parts.size() == 2 && hooks_.cancel_command) {
    Status s = hooks_.cancel_command(ParseId(parts[1]));
    if (!s.ok()) return StatusResponse(s);
    return JsonOk(200, WithUri(*store_.GetRecord("command", ParseId(parts[1])), "command"));
  }
  if (request.method == "POST" && parts.size() == 1 && hooks_.remove_host) return SubmitJobs(request);
  return JsonError(405, "commands take GET, POST {\"jobs\": [...]}, and DELETE to cancel");
}

net::Response RestApi::SubmitJobs(const net::Request& request) {
  Result<Json> body = ParseBody(request);
  if (!body.ok()) return JsonError(400, body.status().message());
  const Json jobs = body->value("jobs", Json());
  if (!jobs.is_array() || jobs.empty()) return JsonError(400, "expected {\"message\", \"jobs\": [{\"class_name\", \"args\"}]}");
  std::vector<int64_t> hosts;
  for (const Json& job : jobs) {
    if (!job.is_object() || job.value("class_name", Json()) != "ForceRemoveHostJob") {
      return JsonError(400, "this manager runs one job class through command/: ForceRemoveHostJob");
    }
    const Json id = job.value("args", Json::object()).value("host_id", Json());
    if (!id.is_number_integer()) return JsonError(400, "ForceRemoveHostJob needs args.host_id");
    if (!store_.HostById(id.get<int64_t>())) return JsonError(400, "no host " + id.dump());
    hosts.push_back(id.get<int64_t>());
  }
  Json record = {{"message", body->value("message", Json("Force removing hosts"))},
                 {"state", "succeeded"},
                 {"created_at", FormatAgentTime(clock_.Now())},
                 {"finished_at", FormatAgentTime(clock_.Now())},
                 {"errors", Json::array()},
                 {"steps", Json::array()}};
  for (int64_t id : hosts) {
    Status s = hooks_.remove_host(id);
    if (!s.ok()) {
      record["state"] = "failed";
      record["errors"].push_back(s.message());
    }
  }
  Result<int64_t> id = store_.InsertRecord("command", record);
  if (!id.ok()) return StatusResponse(id.status());
  record["id"] = *id;
  return JsonOk(201, WithUri(record, "command"));
}

net::Response RestApi::Volumes(const net::Request& request, const std::vector<std::string>& parts) {
  if (request.method != "GET") return JsonError(405, "volumes are what the hosts report; GET them");
  std::vector<Json> all = hooks_.list_volumes();
  if (parts.size() == 1) return PagedList(request, "volume", std::move(all));
  const int64_t id = ParseId(parts[1]);
  for (Json& v : all) {
    if (v.value("id", int64_t{-1}) == id) return JsonOk(200, v);
  }
  return JsonError(404, "no volume " + parts[1]);
}

}  // namespace cs::manager
