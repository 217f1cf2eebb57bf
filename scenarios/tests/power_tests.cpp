// Tests that switch power through the PDUs, as fence_apc would: power-off,
// power-on and power-cycle of a server (all its outlets, or its outlet on
// one PDU), pdu-off and pdu-on of a whole PDU.
#include "scenarios/tests/test_helpers.h"

namespace cs::scenarios {

namespace {

ParamDef PduOfServerParam() {
  return Optional("pdu", ParamType::kPdu, nullptr,
                  "only the server's outlet on this PDU (draw it with {choice: [pdu000, pdu001]}); default: every PDU");
}

StepOutcome SwitchServer(StepContext& ctx, const std::string& action) {
  const std::string fqdn = ctx.String("server");
  if (!ctx.Has("pdu")) return CallControl(ctx, "power_server", {{"fqdn", fqdn}, {"action", action}});
  Result<Json> pdus = ctx.world.sim->Call("pdu_status", Json::object());
  if (!pdus.ok()) return StepOutcome::From(pdus.status());
  for (const Json& pdu : *pdus) {
    if (pdu.value("name", "") != ctx.String("pdu")) continue;
    for (const auto& [outlet, state] : pdu["outlets"].items()) {
      if (state.value("server", Json()) == fqdn) {
        return CallControl(ctx, "set_outlet", {{"pdu", ctx.String("pdu")}, {"outlet", outlet}, {"action", action}});
      }
    }
    return StepOutcome::Fail(fqdn + " has no outlet on " + ctx.String("pdu"));
  }
  return StepOutcome::Fail("no PDU " + ctx.String("pdu"));
}

StepOutcome SwitchPdu(StepContext& ctx, const std::string& action) {
  Result<Json> pdus = ctx.world.sim->Call("pdu_status", Json::object());
  if (!pdus.ok()) return StepOutcome::From(pdus.status());
  for (const Json& pdu : *pdus) {
    if (pdu.value("name", "") != ctx.String("pdu")) continue;
    Json switched = Json::array();
    for (const auto& [outlet, state] : pdu["outlets"].items()) {
      Result<Json> r = ctx.world.sim->Call("set_outlet", {{"pdu", ctx.String("pdu")}, {"outlet", outlet}, {"action", action}});
      if (!r.ok()) return StepOutcome::From(r.status().Context("outlet " + outlet));
      switched.push_back(outlet);
    }
    return StepOutcome::Ok(Json{{"pdu", ctx.String("pdu")}, {"outlets", switched}, {"action", action}});
  }
  return StepOutcome::Fail("no PDU " + ctx.String("pdu"));
}

}  // namespace

TestDef PowerOffTest() {
  return {"power-off", "Switch a server's PDU outlets off (all, or the one on `pdu`): it loses power at once",
          {ServerParam(), PduOfServerParam()}, false, false, [](StepContext& ctx) { return SwitchServer(ctx, "off"); }};
}

TestDef PowerOnTest() {
  return {"power-on", "Switch a server's PDU outlets on (all, or the one on `pdu`): it boots",
          {ServerParam(), PduOfServerParam()}, false, false, [](StepContext& ctx) { return SwitchServer(ctx, "on"); }};
}

TestDef PowerCycleTest() {
  return {"power-cycle", "Switch a server's outlets off, wait `pause`, switch them on",
          {ServerParam(), WithRange(Optional("pause", ParamType::kDuration, "2s", "time without power"), 0, 600000)},
          false, false, [](StepContext& ctx) {
            StepOutcome off = CallControl(ctx, "power_server", {{"fqdn", ctx.String("server")}, {"action", "off"}});
            if (off.type != StepOutcome::Type::kOk) return off;
            if (!ctx.Sleep(ctx.Duration("pause"))) return StepOutcome::Info("cancelled while the power was off");
            return CallControl(ctx, "power_server", {{"fqdn", ctx.String("server")}, {"action", "on"}});
          }};
}

TestDef PduOffTest() {
  return {"pdu-off", "Switch every outlet of a PDU off (servers with a second PSU keep running)",
          {Required("pdu", ParamType::kPdu, "the PDU: $var of a pdu requirement")}, false, true,
          [](StepContext& ctx) { return SwitchPdu(ctx, "off"); }};
}

TestDef PduOnTest() {
  return {"pdu-on", "Switch every outlet of a PDU on", {Required("pdu", ParamType::kPdu, "the PDU")}, false, true,
          [](StepContext& ctx) { return SwitchPdu(ctx, "on"); }};
}

}  // namespace cs::scenarios
