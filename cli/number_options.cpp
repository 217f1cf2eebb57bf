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

}  // namespace cs::cli
