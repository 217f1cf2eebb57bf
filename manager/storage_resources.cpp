#include "manager/storage_resources.h"

#include "manager/agent_endpoints.h"
#include "manager/list_page.h"
#include "util/json_parse.h"

namespace cs::manager {

namespace {

constexpr const char* kPlugin = "simulator_controller";
constexpr const char* kClass = "Couplet";

bool Matches(const net::Request& request, const char* key, const std::string& value) {
  const std::optional<std::string> wanted = request.QueryValue(key);
  return !wanted || *wanted == value;
}

net::Response Paged(const net::Request& request, const std::string& uri, std::vector<Json> all) {
  Result<ListPage> page = ParseListPage(request);
  if (!page.ok()) return JsonError(400, page.status().message());
  const size_t total = all.size();
  return net::Response::Json(200, PageBody(uri, *page, total, Slice(std::move(all), *page)).dump());
}

int64_t IdOf(const std::string& text) {
  if (text.empty() || text.size() > 15 || text.find_first_not_of("0123456789") != std::string::npos) return -1;
  return std::stoll(text);
}

std::string ResourceUri(int64_t id) { return "/api/storage_resource/" + std::to_string(id) + "/"; }

net::Response Create(ManagerStore& store, const net::Request& request) {
  Result<Json> body = ParseUntrustedJson(request.body);
  if (!body.ok()) return JsonError(400, body.status().message());
  if (!body->is_object() || body->value("plugin_name", Json()) != kPlugin || body->value("class_name", Json()) != kClass) {
    return JsonError(400, std::string("this manager has one storage resource class: plugin_name ") + kPlugin +
                              ", class_name " + kClass);
  }
  const Json attrs = body->value("attrs", Json::object());
  if (!attrs.is_object() || !attrs.value("controller_id", Json()).is_number_integer()) {
    return JsonError(400, "attrs.controller_id (a whole number) is required");
  }
  const int64_t controller = attrs["controller_id"].get<int64_t>();
  for (const Json& r : store.ListRecords("storage_resource")) {
    if (r.value("attrs", Json::object()).value("controller_id", Json()) == controller) {
      return JsonError(400, "a Couplet for controller " + std::to_string(controller) + " exists");
    }
  }
  Json doc = {{"plugin_name", kPlugin},
              {"class_name", kClass},
              {"attrs", {{"controller_id", controller}}},
              {"alias", "Couplet " + std::to_string(controller)}};
  Result<int64_t> id = store.InsertRecord("storage_resource", doc);
  if (!id.ok()) return JsonError(500, id.status().message());
  doc["id"] = *id;
  doc["resource_uri"] = ResourceUri(*id);
  return net::Response::Json(201, doc.dump());
}

}  // namespace

net::Response StorageResourceClasses(const net::Request& request, const std::vector<std::string>& parts) {
  if (request.method != "GET") return JsonError(405, "storage_resource_class/ is read-only");
  Json couplet = {{"id", 1},
                  {"plugin_name", kPlugin},
                  {"class_name", kClass},
                  {"label", std::string(kPlugin) + "-" + kClass},
                  {"user_creatable", true},
                  {"resource_uri", "/api/storage_resource_class/1/"}};
  if (parts.size() == 2) {
    return parts[1] == "1" ? net::Response::Json(200, couplet.dump()) : JsonError(404, "no class " + parts[1]);
  }
  std::vector<Json> all;
  if (Matches(request, "plugin_name", kPlugin) && Matches(request, "class_name", kClass)) all.push_back(couplet);
  return Paged(request, "/api/storage_resource_class/", std::move(all));
}

net::Response StorageResourcesApi(ManagerStore& store, const net::Request& request,
                                  const std::vector<std::string>& parts) {
  if (parts.size() == 1 && request.method == "POST") return Create(store, request);
  if (parts.size() == 1 && request.method == "GET") {
    std::vector<Json> all;
    for (Json& r : store.ListRecords("storage_resource")) {
      if (!Matches(request, "plugin_name", r.value("plugin_name", "")) ||
          !Matches(request, "class_name", r.value("class_name", ""))) {
        continue;
      }
      r["resource_uri"] = ResourceUri(r.value("id", int64_t{0}));
      all.push_back(std::move(r));
    }
    return Paged(request, "/api/storage_resource/", std::move(all));
  }
  if (parts.size() != 2) return JsonError(404, "no such storage resource path");
  const int64_t id = IdOf(parts[1]);
  if (request.method == "DELETE") {
    Status s = store.DeleteRecord("storage_resource", id);
    if (!s.ok()) return JsonError(s.code() == Status::Code::kNotFound ? 404 : 500, s.message());
    return net::Response::Json(204, "");
  }
  if (request.method != "GET") return JsonError(405, "storage resources take GET, POST and DELETE");
  std::optional<Json> doc = store.GetRecord("storage_resource", id);
  if (!doc) return JsonError(404, "no storage resource " + parts[1]);
  (*doc)["resource_uri"] = ResourceUri(id);
  return net::Response::Json(200, doc->dump());
}

}  // namespace cs::manager
