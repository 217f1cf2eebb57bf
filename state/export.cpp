#include "state/export.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace cs {

namespace {

namespace fs = std::filesystem;

Status WriteJsonFile(const std::string& dir, const std::string& name, const Json& body) {
  const std::string path = dir + "/" + name;
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    if (!out) return Status::IoError("cannot write " + tmp + ": " + std::strerror(errno));
    out << body.dump(4) << "\n";
    if (!out.flush()) return Status::IoError("cannot write " + tmp + ": " + std::strerror(errno));
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    return Status::IoError("cannot rename " + tmp + ": " + std::strerror(errno));
  }
  return Status::Ok();
}

Result<Json> ReadJsonFile(const fs::path& path) {
  std::ifstream in(path);
  if (!in) return Status::IoError("cannot read " + path.string() + ": " + std::strerror(errno));
  std::stringstream ss;
  ss << in.rdbuf();
  Json body = Json::parse(ss.str(), nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded()) return Status::Corruption(path.string() + " is not valid JSON");
  return body;
}

Json DevicesJson(const World& world) {
  Json devices = Json::object(), local = Json::object(), targets = Json::object(),
       mgts = Json::object(), presentations = Json::object();
  for (const auto& [serial, v] : world.volumes.all()) {
    Json body = v;
    body.erase("local_filesystem");
    devices[serial] = body;
    if (v.local_filesystem) local[serial] = *v.local_filesystem;
  }
  for (const auto& [serial, t] : world.targets.all()) targets[serial] = t;
  for (const auto& [key, m] : world.mgts.all()) mgts[key] = m;
  for (const auto& [fqdn, p] : world.presentations.all()) presentations[fqdn] = p;
  return Json{{"devices", devices},     {"presentations", presentations}, {"targets", targets},
              {"mgts", mgts},           {"local_filesystems", local}};
}

Json PowerControlJson(const World& world) {
  // The original's two maps assume one outlet number per server on every
  // PDU; with per-rack PDUs the numbers repeat across racks, so the wiring
  // per PDU is written too (pdu_outlets: PDU -> outlet -> fqdn).
  Json server_outlets = Json::object(), outlet_servers = Json::object(), pdu_outlets = Json::object();
  for (const auto& [fqdn, s] : world.servers.all()) {
    if (!s.outlet) continue;
    server_outlets[fqdn] = *s.outlet;
    if (s.pdus.empty()) outlet_servers[*s.outlet] = fqdn;
  }
  const auto wiring = world.OutletWiring();
  for (const auto& [name, pdu] : world.pdus.all()) {
    auto it = wiring.find(name);
    pdu_outlets[name] = it == wiring.end() ? Json::object() : Json(it->second);
  }
  return Json{{"server_outlets", server_outlets}, {"outlet_servers", outlet_servers}, {"pdu_outlets", pdu_outlets}};
}

// Loads one object, turning a JSON type mismatch into a Status naming the file.
Status LoadObject(World& world, Kind kind, const std::string& key, const Json& body,
                  const std::string& file) {
  return world.Deserialize(kind, key, body).Context(file);
}

Status ImportDevices(const Json& d, World& world) {
  try {
    const Json volumes = d.value("devices", Json::object());
    const Json local = d.value("local_filesystems", Json::object());
    const Json presentations = d.value("presentations", Json::object());
    const Json targets = d.value("targets", Json::object());
    const Json mgts = d.value("mgts", Json::object());
    for (const auto& [serial, body] : volumes.items()) {
      Json v = body;
      v["local_filesystem"] = local.contains(serial) ? local.at(serial) : Json(nullptr);
      CS_RETURN_IF_ERROR(LoadObject(world, Kind::kVolume, serial, v, "devices.json"));
    }
    for (const auto& [fqdn, body] : presentations.items()) {
      CS_RETURN_IF_ERROR(LoadObject(world, Kind::kPresentations, fqdn, body, "devices.json"));
    }
    for (const auto& [serial, body] : targets.items()) {
      CS_RETURN_IF_ERROR(LoadObject(world, Kind::kTarget, serial, body, "devices.json"));
    }
    for (const auto& [key, body] : mgts.items()) {
      CS_RETURN_IF_ERROR(LoadObject(world, Kind::kMgt, key, body, "devices.json"));
    }
  } catch (const Json::exception& e) {
    return Status::Corruption(std::string("devices.json: ") + e.what());
  }
  return Status::Ok();
}

bool StartsWith(const std::string& s, const std::string& prefix) {
  return s.rfind(prefix, 0) == 0;
}

// The key of a per-object file: fake_server_<key>.json -> <key>.
bool KeyOfFile(const std::string& name, const std::string& prefix, std::string* key) {
  const std::string suffix = ".json";
  if (!StartsWith(name, prefix) || name.size() <= prefix.size() + suffix.size()) return false;
  if (name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0) return false;
  *key = name.substr(prefix.size(), name.size() - prefix.size() - suffix.size());
  return true;
}

struct PerObjectFile {
  const char* prefix;
  Kind kind;
};
const PerObjectFile kPerObjectFiles[] = {
    {"fake_server_", Kind::kServer},   {"fake_cluster_", Kind::kCluster},
    {"pdu_sim_", Kind::kPdu},          {"fake_controller_", Kind::kController},
    {"fake_client_", Kind::kClient},   {"fake_hsm_copytool-", Kind::kCopytool},
    {"fake_hsm_coordinator-", Kind::kHsmCoordinator},
};

}  // namespace

Status ExportOriginalLayout(const World& world, const std::string& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return Status::IoError("cannot create " + dir + ": " + ec.message());
  CS_RETURN_IF_ERROR(WriteJsonFile(dir, "simulator.json", Json(world.settings())));
  CS_RETURN_IF_ERROR(WriteJsonFile(dir, "devices.json", DevicesJson(world)));
  CS_RETURN_IF_ERROR(WriteJsonFile(dir, "fake_power_control.json", PowerControlJson(world)));
  for (const auto& [fqdn, s] : world.servers.all()) {
    CS_RETURN_IF_ERROR(WriteJsonFile(dir, "fake_server_" + fqdn + ".json", Json(s)));
  }
  for (const auto& [id, c] : world.clusters.all()) {
    CS_RETURN_IF_ERROR(WriteJsonFile(dir, "fake_cluster_" + id + ".json", Json(c)));
  }
  for (const auto& [name, p] : world.pdus.all()) {
    CS_RETURN_IF_ERROR(WriteJsonFile(dir, "pdu_sim_" + name + ".json", Json(p)));
  }
  for (const auto& [id, c] : world.controllers.all()) {
    // The original's layout has no `failed`: a working controller exports
    // as it did; a failed one keeps its state (our import reads it back).
    Json body = c;
    if (!c.failed) body.erase("failed");
    CS_RETURN_IF_ERROR(WriteJsonFile(dir, "fake_controller_" + id + ".json", body));
  }
  for (const auto& [address, c] : world.clients.all()) {
    CS_RETURN_IF_ERROR(WriteJsonFile(dir, "fake_client_" + address + ".json", Json(c)));
  }
  for (const auto& [id, c] : world.copytools.all()) {
    CS_RETURN_IF_ERROR(WriteJsonFile(dir, "fake_hsm_copytool-" + id + ".json", Json(c)));
  }
  for (const auto& [fsname, c] : world.hsm_coordinators.all()) {
    CS_RETURN_IF_ERROR(WriteJsonFile(dir, "fake_hsm_coordinator-" + fsname + ".json", Json(c)));
  }
  return Status::Ok();
}

Status ImportOriginalLayout(const std::string& dir, World& world) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return Status::NotFound(dir + " is not a directory");
  Result<Json> settings = ReadJsonFile(fs::path(dir) / "simulator.json");
  if (!settings.ok()) return settings.status();
  CS_RETURN_IF_ERROR(LoadObject(world, Kind::kSettings, kSettingsKey, *settings, "simulator.json"));
  Result<Json> devices = ReadJsonFile(fs::path(dir) / "devices.json");
  if (!devices.ok()) return devices.status();
  CS_RETURN_IF_ERROR(ImportDevices(*devices, world));

  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    for (const PerObjectFile& f : kPerObjectFiles) {
      std::string key;
      if (!KeyOfFile(name, f.prefix, &key)) continue;
      Result<Json> body = ReadJsonFile(entry.path());
      if (!body.ok()) return body.status();
      CS_RETURN_IF_ERROR(LoadObject(world, f.kind, key, *body, name));
    }
  }
  if (ec) return Status::IoError("cannot list " + dir + ": " + ec.message());

  // The original kept outlets only in fake_power_control.json.
  if (fs::exists(fs::path(dir) / "fake_power_control.json")) {
    Result<Json> power = ReadJsonFile(fs::path(dir) / "fake_power_control.json");
    if (!power.ok()) return power.status();
    const Json server_outlets = power->value("server_outlets", Json::object());
    for (const auto& [fqdn, outlet] : server_outlets.items()) {
      Server* s = world.servers.Mutable(fqdn);
      if (s && !s->outlet && outlet.is_string()) s->outlet = outlet.get<std::string>();
    }
    world.TakeChanges();
  }
  return Status::Ok();
}

}  // namespace cs
