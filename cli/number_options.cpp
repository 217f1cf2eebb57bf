#include "cli/number_options.h"

#include <string>

#include "util/number_check.h"

namespace cs::cli {

CLI::Validator RealIn(double min, double max) {
  return CLI::Validator(
      [min, max](std::string& text) -> std::string {
        Result<double> r = ParseReal("the value", text, RealRange{min, max});
        return r.ok() ? "" : r.status().message();
      },
      "NUMBER", "RealIn");
}

CLI::Validator IntegerIn(int64_t min, int64_t max) {
  return CLI::Validator(
      [min, max](std::string& text) -> std::string {
        Result<int64_t> r = ParseInteger("the value", text, IntRange{min, max});
        return r.ok() ? "" : r.status().message();
      },
      "INT", "IntegerIn");
}

void AddCountOption(CLI::App* app, const std::string& name, std::optional<int>* target,
                    const std::string& help, int max) {
  std::string dashed = name;
  for (char& c : dashed) c = c == '_' ? '-' : c;
  app->add_option_function<long long>(
         "--" + name + ",--" + dashed, [target](long long v) { *target = static_cast<int>(v); }, help)
      ->check(IntegerIn(0, max))
      ->type_name("N");
}

}  // namespace cs::cli
