// The APC telnet console, both dialects, with its telnet codec and line
// editor: any byte stream, split into reads where the input says, gets
// answers and never a crash; outlets are only switched by number within the
// bank. The first byte picks the dialect and whether to log in first.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fakes/power/apc_console.h"
#include "fakes/power/outlet_bank.h"
#include "util/clock.h"

namespace {

class Outlets final : public cs::OutletBank {
 public:
  int OutletCount() const override { return 8; }
  bool IsOn(int outlet) const override { return on_.at(static_cast<size_t>(outlet - 1)); }
  std::string Name(int outlet) const override { return "node" + std::to_string(outlet); }
  cs::Status Switch(int outlet, cs::OutletAction action) override {
    if (outlet < 1 || outlet > 8) __builtin_trap();  // the console must check first
    on_[static_cast<size_t>(outlet - 1)] = action == cs::OutletAction::kOn;
    return cs::Status::Ok();
  }

 private:
  std::vector<bool> on_ = std::vector<bool>(8, true);
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  Outlets outlets;
  cs::ManualClock clock(cs::WallTime{});
  cs::ApcConsoleOptions options;
  options.dialect = (data[0] & 1) ? cs::ApcDialect::kCommandLineV5 : cs::ApcDialect::kMenuV3;
  options.max_line = 64;
  cs::ApcConsole console(&outlets, &clock, options);
  (void)console.Start();
  if (data[0] & 2) (void)console.Receive("apc\r\napc\r\n");
  // 0xfe splits reads, so sequences cut across reads are covered too.
  std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  while (!rest.empty() && !console.closed()) {
    const size_t cut = rest.find('\xfe');
    (void)console.Receive(rest.substr(0, cut));
    rest = cut == std::string_view::npos ? std::string_view() : rest.substr(cut + 1);
  }
  return 0;
}
