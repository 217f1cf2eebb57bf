#include "sim/power_service.h"

#include <boost/asio/io_context.hpp>

#include <algorithm>

#include "fakes/power/outlet_bank.h"
#include "sim/pdu_server.h"

namespace cs {

namespace {

// One PDU's outlets as they are in the store. Only on and off reach here:
// reboots and delayed actions are timed by the PDU server.
class FleetOutlets final : public OutletBank {
 public:
  FleetOutlets(Simulator* sim, std::string pdu) : sim_(sim), pdu_(std::move(pdu)) {}

  int OutletCount() const override {
    std::lock_guard<std::mutex> lock(sim_->store().mutex());
    const cs::Pdu* pdu = sim_->store().world().pdus.Find(pdu_);
    int count = 0;
    if (pdu) {
      for (const auto& [outlet, on] : pdu->outlets) count = std::max(count, std::atoi(outlet.c_str()));
    }
    return count;
  }
  bool IsOn(int outlet) const override {
    std::lock_guard<std::mutex> lock(sim_->store().mutex());
    const cs::Pdu* pdu = sim_->store().world().pdus.Find(pdu_);
    return pdu && pdu->OutletOn(std::to_string(outlet));
  }
  std::string Name(int outlet) const override {
    std::lock_guard<std::mutex> lock(sim_->store().mutex());
    if (const Server* s = sim_->store().world().ServerOnOutlet(pdu_, std::to_string(outlet))) return s->nodename;
    return "Outlet " + std::to_string(outlet);
  }
  bool Reachable() const {
    std::lock_guard<std::mutex> lock(sim_->store().mutex());
    const cs::Pdu* pdu = sim_->store().world().pdus.Find(pdu_);
    return pdu && !pdu->unreachable;
  }
  Status Switch(int outlet, OutletAction action) override {
    if (!Reachable()) return Status::Unavailable(pdu_ + " is unreachable");
    if (action != OutletAction::kOn && action != OutletAction::kOff) {
      return Status::InvalidArgument(std::string("outlets are only switched on or off here, not ") +
                                     std::string(OutletActionName(action)));
    }
    return sim_->SetOutlet(pdu_, std::to_string(outlet), action == OutletAction::kOn);
  }

 private:
  Simulator* sim_;
  std::string pdu_;
};

}  // namespace

struct PowerService::Pdu {
  std::string name;
  // A FleetOutlets; held as its interface, since a member's type must not
  // come from an anonymous namespace (-Wsubobject-linkage in a unity build).
  std::unique_ptr<OutletBank> outlets;
  std::unique_ptr<PduServer> server;
};

PowerService::PowerService(Simulator* sim, boost::asio::io_context& io, PowerServiceOptions options)
    : sim_(sim), io_(io), options_(std::move(options)) {}

PowerService::~PowerService() { Stop(); }

Status PowerService::Start() {
  std::vector<std::pair<std::string, int>> pdus;
  {
    std::lock_guard<std::mutex> lock(sim_->store().mutex());
    for (const auto& [name, pdu] : sim_->store().world().pdus.all()) pdus.emplace_back(name, pdu.port);
  }
  static const SystemClock clock;
  std::lock_guard<std::mutex> lock(mu_);  // one Start at a time; no store lock is held here
  if (stopped_) return Status::Ok();
  for (const auto& [name, port] : pdus) {
    if (std::any_of(pdus_.begin(), pdus_.end(), [&](const auto& p) { return p->name == name; })) continue;
    auto pdu = std::make_unique<Pdu>();
    pdu->name = name;
    auto fleet_outlets = std::make_unique<FleetOutlets>(sim_, name);
    PduServerOptions options;
    options.address = options_.address;
    options.port = static_cast<uint16_t>(port + options_.port_offset);
    options.console.user = options_.user;
    options.console.password = options_.password;
    options.console.pdu_name = name;
    options.console.boot_time = clock.Now();
    options.delays.reboot_pause = options_.reboot_pause;
    options.reachable = [outlets = fleet_outlets.get()] { return outlets->Reachable(); };
    pdu->outlets = std::move(fleet_outlets);
    pdu->server = std::make_unique<PduServer>(io_, pdu->outlets.get(), &clock, options);
    Status s = pdu->server->Start();
    if (!s.ok()) return s.Context("PDU " + name + " on " + options.address + ":" + std::to_string(options.port));
    sim_->log().Info(name, "APC console listening on " + options.address + ":" + std::to_string(pdu->server->port()));
    pdus_.push_back(std::move(pdu));
  }
  return Status::Ok();
}

void PowerService::Stop() {
  std::lock_guard<std::mutex> lock(mu_);
  stopped_ = true;
  for (auto& pdu : pdus_) pdu->server->Stop();
}

std::map<std::string, uint16_t> PowerService::Ports() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::map<std::string, uint16_t> out;
  for (const auto& pdu : pdus_) out[pdu->name] = pdu->server->port();
  return out;
}

}  // namespace cs
