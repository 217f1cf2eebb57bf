// The control API's read_proc: a Lustre /proc tunable as a server (through
// its running targets) or a Lustre client (through its mount) would show
// it. Apart from the other world operations because fakes/server_proc.h and
// fakes/lustre_targets.h cannot be included together.
#include "fakes/server_proc.h"
#include "sim/control/operations.h"

namespace cs {

namespace {

using T = ArgType;

std::map<std::string, std::map<std::string, std::string>> ConfParamsByMgt(const World& w) {
  std::map<std::string, std::map<std::string, std::string>> out;
  for (const auto& [key, mgt] : w.mgts.all()) out[key] = mgt.conf_params;
  return out;
}

}  // namespace

void AddProcOperations(OperationTable& t) {
  Add(t, "read_proc", {Required("address", T::kAny), Required("path", T::kString)},
      "Read a Lustre /proc tunable on a server (its running targets) or a client (its mount)",
      [](ControlContext& ctx, const ActionArgs& a) -> Result<Json> {
        std::lock_guard<std::mutex> lock(ctx.sim.store().mutex());
        const World& w = ctx.sim.store().world();
        auto fqdn = ResolveServer(w, a.Raw("address"));
        if (fqdn.ok()) {
          auto value = ReadServerProc(w, *w.servers.Find(*fqdn), a.String("path"));
          if (!value.ok()) return value.status();
          return Json(*value);
        }
        const Json& address = a.Raw("address");
        const LustreClient* client = address.is_string() ? w.clients.Find(address.get<std::string>()) : nullptr;
        if (!client) return Status::NotFound("no server or Lustre client " + address.dump());
        auto value = client->ReadProc(a.String("path"), ConfParamsByMgt(w));
        if (!value.ok()) return value.status();
        return Json(*value);
      });
}

}  // namespace cs
