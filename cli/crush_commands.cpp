#include "cli/crush_commands.h"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cctype>
#include <iostream>
#include <nlohmann/json.hpp>
#include <vector>

#include <fstream>

#include "crush/fleet_map.h"
#include "crush/placement.h"
#include "crush/text_map.h"
#include "state/store.h"

namespace cs::cli {

std::unique_ptr<CrushCli> AddCrushCommands(CLI::App& app) {
  auto c = std::make_unique<CrushCli>();
  c->crush = app.add_subcommand("crush", "CRUSH maps and placement, computed as Ceph computes them");
  c->crush->require_subcommand(1);
  c->map = c->crush->add_subcommand("map", "Write the fleet's CRUSH map in Ceph's text format (crushtool -c reads it)");
  c->map->add_option("--output,-o", c->output, "File to write (default: standard output)");
  c->test = c->crush->add_subcommand("test", "Map inputs through a CRUSH map's rules; prints what crushtool --test prints");
  CLI::App* t = c->test;
  t->add_option("--map", c->map_file, "A CRUSH map in Ceph's text format (default: the fleet's map)");
  t->add_option("--rule", c->rule, "Rule id or name (default: every rule)");
  t->add_option("--num-rep", c->num_rep, "Replicas to choose (default: each of the rule's min_size..max_size)")
      ->check(CLI::Range(1, 1000));
  t->add_option("--min-x", c->min_x, "First input (with --max-x; default 0)")->check(CLI::Range(0, 0x7fffffff));
  t->add_option("--max-x", c->max_x, "Last input (with --min-x; default 1023)")->check(CLI::Range(0, 0x7fffffff));
  t->add_option("--x", c->x, "One input")->check(CLI::Range(0, 0x7fffffff));
  t->add_flag("--show-mappings", c->options.show_mappings, "Print each input's devices");
  t->add_flag("--show-bad-mappings", c->options.show_bad_mappings, "Print inputs that got fewer devices than asked");
  t->add_flag("--show-statistics", c->options.show_statistics, "Print how often each result size occurred");
  t->add_flag("--show-utilization", c->options.show_utilization, "Print how many inputs each device got");
  t->add_flag("--show-utilization-all", c->options.show_utilization_all, "The same, including idle devices");
  CLI::App* p = c->place = c->crush->add_subcommand(
      "place", "HA pairs from a rule of the fleet's map: a primary and a secondary in one corosync cluster, "
               "in different domains of the rule's type");
  p->add_option("--rule", c->rule, "Rule id or name (by_host, by_rack, by_row; by_controller, by_pdu where the fleet has them)")->required();
  p->add_option("--count", c->count, "How many inputs (default 1)")->check(CLI::Range(1, 100000));
  p->add_option("--first-x", c->first_x, "The first input (default 0)")->check(CLI::Range(0, 0x7fffffff - 100000));
  p->add_flag("--json", c->json, "JSON instead of a table");
  return c;
}

namespace {

using Json = nlohmann::json;

Result<std::string> FleetMap(const GlobalOptions& global) {
  auto store = OpenSavedState(global);
  if (!store.ok()) return store.status();
  return crush::FleetMapText((*store)->world());
}

int RunMap(const GlobalOptions& global, const CrushCli& c) {
  Result<std::string> text = FleetMap(global);
  if (!text.ok()) return Fail(text.status().message());
  if (!c.output) {
    std::cout << *text << std::flush;
    return std::cout ? kExitOk : kExitError;
  }
  std::ofstream out(*c.output, std::ios::binary | std::ios::trunc);
  out << *text;
  out.close();
  if (!out) return Fail("crush map: cannot write " + *c.output);
  return kExitOk;
}

int RunTest(const GlobalOptions& global, const CrushCli& c) {
  crush::TestOptions options = c.options;
  if (!options.show_mappings && !options.show_bad_mappings && !options.show_statistics &&
      !options.show_utilization && !options.show_utilization_all) {
    return Fail("crush test: no output selected; use --show-mappings, --show-bad-mappings, --show-statistics "
                "or --show-utilization");
  }
  if (c.min_x.has_value() != c.max_x.has_value()) return Fail("crush test: give --min-x and --max-x together");
  if (c.min_x && *c.min_x > *c.max_x) return Fail("crush test: --min-x is above --max-x");
  Result<crush::Map> map = [&]() -> Result<crush::Map> {
    if (c.map_file) return crush::CompileFile(*c.map_file);
    Result<std::string> text = FleetMap(global);
    if (!text.ok()) return text.status();
    return crush::CompileText(*text, "the fleet's map");
  }();
  if (!map.ok()) return Fail(map.status().message());
  if (c.rule) {
    std::optional<int> id = map->FindRule(*c.rule);
    if (!id) return Fail("crush test: the map has no rule '" + *c.rule + "'");
    options.rule = *id;
  }
  options.num_rep = c.num_rep;
  if (c.x) {
    options.min_x = options.max_x = *c.x;
  } else if (c.min_x) {
    options.min_x = *c.min_x;
    options.max_x = *c.max_x;
  }
  crush::RunTest(*map, options, std::cout, std::cerr);
  std::cout.flush();
  return std::cout ? kExitOk : kExitError;
}

// Left-aligned columns two spaces apart, the header upper-cased.
void PrintColumns(std::vector<std::vector<std::string>> rows) {
  for (std::string& cell : rows[0]) {
    for (char& ch : cell) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  }
  std::vector<size_t> width(rows[0].size(), 0);
  for (const auto& row : rows) {
    for (size_t i = 0; i < row.size(); ++i) width[i] = std::max(width[i], row[i].size());
  }
  for (const auto& row : rows) {
    std::string line;
    for (size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) line += std::string(width[i] - row[i].size() + 2, ' ');
    }
    std::cout << line << "\n";
  }
}

int RunPlace(const GlobalOptions& global, const CrushCli& c) {
  auto store = OpenSavedState(global);
  if (!store.ok()) return Fail(store.status().message());
  auto placer = crush::HaPlacer::ForFleet((*store)->world(), *c.rule);
  if (!placer.ok()) return Fail("crush place: " + placer.status().message());
  std::vector<crush::HaPair> pairs;
  for (int x = c.first_x; x < c.first_x + c.count; ++x) {
    auto pair = placer->Place(x);
    if (!pair.ok()) return Fail("crush place: " + pair.status().message());
    pairs.push_back(*pair);
  }
  if (c.json) {
    Json out = Json::array();
    for (const auto& p : pairs) {
      out.push_back({{"x", p.x}, {"cluster", p.cluster}, {"primary", p.primary}, {"secondary", p.secondary},
                     {"domain_type", placer->domain_type()}, {"primary_domain", p.primary_domain},
                     {"secondary_domain", p.secondary_domain}});
    }
    std::cout << out.dump(2) << "\n";
  } else {
    std::vector<std::vector<std::string>> rows = {{"X", "CLUSTER", "PRIMARY", "SECONDARY",
                                                   "PRIMARY_" + placer->domain_type(),
                                                   "SECONDARY_" + placer->domain_type()}};
    for (const auto& p : pairs) {
      rows.push_back({std::to_string(p.x), std::to_string(p.cluster), p.primary, p.secondary, p.primary_domain,
                      p.secondary_domain});
    }
    PrintColumns(rows);
  }
  std::cout.flush();
  return std::cout ? kExitOk : kExitError;
}

}  // namespace

int RunCrushCli(const GlobalOptions& global, const CrushCli& c) {
  if (c.test->parsed()) return RunTest(global, c);
  if (c.map->parsed()) return RunMap(global, c);
  if (c.place->parsed()) return RunPlace(global, c);
  return -1;
}

}  // namespace cs::cli
