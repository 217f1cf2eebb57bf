// Package actions: what is available (the fleet's inventory) and installed
// on a server, installing from the inventory, and repository configuration
// (acknowledged only).
#include "sim/actions/action_groups.h"

namespace cs {

namespace {

const PackageSet& Available(const ActionContext& ctx) {
  return ctx.world.settings().packages.For(ThisServer(ctx).worker);
}

// {"external": {name: {"available": [v], "installed": [v] or []}}}, the
// original's scan of its one fake repository.
Json ScanPackages(const ActionContext& ctx) {
  const Server& server = ThisServer(ctx);
  Json packages = Json::object();
  for (const auto& [name, version] : Available(ctx)) {
    Json installed = Json::array();
    if (auto it = server.packages.find(name); it != server.packages.end()) installed.push_back(it->second);
    packages[name] = Json{{"available", Json::array({version})}, {"installed", installed}};
  }
  return Json{{"external", packages}};
}

std::string AvailableNames(const PackageSet& available) {
  std::string out;
  for (const auto& [name, version] : available) out += (out.empty() ? "" : ", ") + name;
  return out;
}

ActionOutcome InstallPackages(ActionContext& ctx, const ActionArgs& args) {
  const PackageSet& available = Available(ctx);
  const std::vector<std::string> names = args.StringList("packages");
  if (names.size() != args.Raw("packages").size()) {
    return ActionOutcome::Failure("install_packages: 'packages' must be a list of package names");
  }
  for (const std::string& name : names) {  // all or nothing
    if (available.count(name) == 0) {
      return ActionOutcome::Failure("install_packages: package '" + name +
                                    "' not found (available: " + AvailableNames(available) + ")");
    }
  }
  Server& server = MutableThisServer(ctx);
  for (const std::string& name : names) server.packages[name] = available.at(name);
  return ActionOutcome::Value(AgentResult(ScanPackages(ctx)));
}

}  // namespace

void AddPackageActions(ActionCatalog& c) {
  using T = ArgType;
  c.Add("scan_packages", {},
        [](ActionContext& ctx, const ActionArgs&) { return ActionOutcome::Value(ScanPackages(ctx)); });
  c.Add("install_packages", {Required("repos", T::kAny), Required("packages", T::kList)},
        InstallPackages);
  c.Add("configure_repo", {Required("filename", T::kString), Required("file_contents", T::kString)},
        [](ActionContext&, const ActionArgs&) { return Null(); });
}

}  // namespace cs
