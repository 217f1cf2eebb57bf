// The scenario file loader: any text, as YAML (or JSON), against the
// registry of tests and checks that ships. It loads into scenarios or is
// refused with a message that names the file, as every loader error must;
// loaded scenarios survive a second load of their own kind (their names
// are unique).
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>

#include "scenarios/loader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 1 << 16) return 0;
  const std::string text(reinterpret_cast<const char*>(data), size);
  const auto& registry = cs::scenarios::Registry::Builtin();
  auto specs = cs::scenarios::LoadScenarioText(text, "fuzz.yaml", registry);
  if (!specs.ok()) {
    if (specs.status().message().find("fuzz.yaml") == std::string::npos) __builtin_trap();
    return 0;
  }
  std::set<std::string> names;
  for (const auto& spec : *specs) {
    if (!names.insert(spec.name).second) __builtin_trap();  // names are unique within a file
    for (const auto& step : spec.steps) {
      if (!registry.FindTest(step.test)) __builtin_trap();
    }
  }
  return 0;
}
