// Writing the reports of a run (see reports.h).
#include "scenarios/reports.h"

#include <pugixml.hpp>

#include <iomanip>
#include <map>
#include <sstream>

namespace cs::scenarios {

namespace {

std::string Fixed(double v, int digits = 3) {
  std::ostringstream s;
  s << std::fixed << std::setprecision(digits) << v;
  return s.str();
}

std::string FailureText(const RunResult& r, const RunSummary& summary) {
  std::string text;
  for (const std::string& f : r.failures) text += f + "\n";
  return text + "seed: " + std::to_string(summary.seed) + "\nreplay: " + summary.replay + "\n";
}

}  // namespace

RunSummary Summarize(const Plan& plan, const std::vector<RunResult>& results, double duration_s,
                     const std::string& replay) {
  RunSummary s;
  s.seed = plan.seed;
  s.replay = replay;
  s.duration_s = duration_s;
  for (const RunResult& r : results) {
    if (!r.executed) {
      ++s.not_reached;
    } else if (r.passed) {
      ++s.executed, ++s.passed;
    } else {
      ++s.executed, ++s.failed;
    }
  }
  return s;
}

std::string JunitXml(const Plan& plan, const std::vector<RunResult>& results, const RunSummary& summary) {
  pugi::xml_document doc;
  pugi::xml_node decl = doc.append_child(pugi::node_declaration);
  decl.append_attribute("version") = "1.0";
  decl.append_attribute("encoding") = "UTF-8";
  pugi::xml_node suites = doc.append_child("testsuites");
  suites.append_attribute("name") = "cluster-sim scenarios";
  suites.append_attribute("tests") = static_cast<unsigned long long>(summary.executed);
  suites.append_attribute("failures") = static_cast<unsigned long long>(summary.failed);
  suites.append_attribute("time") = Fixed(summary.duration_s).c_str();
  // Suites in the order their scenarios first appear in the plan.
  std::vector<std::string> order;
  std::map<std::string, std::vector<const RunResult*>> by_scenario;
  for (const RunResult& r : results) {
    if (!r.executed) continue;
    if (!by_scenario.count(r.run->scenario)) order.push_back(r.run->scenario);
    by_scenario[r.run->scenario].push_back(&r);
  }
  for (const std::string& name : order) {
    const auto& runs = by_scenario[name];
    size_t failures = 0;
    double time = 0;
    for (const RunResult* r : runs) {
      failures += !r->passed;
      time += r->duration_s;
    }
    pugi::xml_node suite = suites.append_child("testsuite");
    suite.append_attribute("name") = name.c_str();
    suite.append_attribute("tests") = static_cast<unsigned long long>(runs.size());
    suite.append_attribute("failures") = static_cast<unsigned long long>(failures);
    suite.append_attribute("errors") = 0;
    suite.append_attribute("time") = Fixed(time).c_str();
    suite.append_attribute("timestamp") = runs.front()->started_at.c_str();
    suite.append_attribute("file") = runs.front()->run->file.c_str();
    pugi::xml_node props = suite.append_child("properties");
    for (const auto& [key, value] : {std::pair<std::string, std::string>{"seed", std::to_string(plan.seed)},
                                     {"replay", summary.replay}}) {
      pugi::xml_node p = props.append_child("property");
      p.append_attribute("name") = key.c_str();
      p.append_attribute("value") = value.c_str();
    }
    for (const RunResult* r : runs) {
      pugi::xml_node tc = suite.append_child("testcase");
      tc.append_attribute("name") = ("repetition " + std::to_string(r->run->repetition)).c_str();
      tc.append_attribute("classname") = ("scenarios." + name).c_str();
      tc.append_attribute("time") = Fixed(r->duration_s).c_str();
      if (!r->passed) {
        pugi::xml_node f = tc.append_child("failure");
        f.append_attribute("message") = (r->failure + " (seed " + std::to_string(plan.seed) + ")").c_str();
        f.append_attribute("type") = "ScenarioFailure";
        f.append_child(pugi::node_pcdata).set_value(FailureText(*r, summary).c_str());
      }
      std::string out;
      for (const StepResult& s : r->steps) {
        out += std::to_string(s.step) + " " + (s.check ? "check " : "test ") + s.name + ": " + s.outcome +
               (s.message.empty() ? "" : " (" + s.message + ")") + " " + Fixed(s.duration_s, 1) + " s\n";
      }
      tc.append_child("system-out").append_child(pugi::node_pcdata).set_value(out.c_str());
    }
  }
  std::ostringstream text;
  doc.save(text, "  ");
  return text.str();
}

Json JsonReport(const Plan& plan, const std::vector<RunResult>& results, const RunSummary& summary) {
  Json runs = Json::array();
  for (const RunResult& r : results) {
    Json steps = Json::array();
    for (const StepResult& s : r.steps) {
      steps.push_back({{"step", s.step}, {s.check ? "check" : "test", s.name}, {"outcome", s.outcome},
                       {"message", s.message}, {"started_s", s.started_s}, {"duration_s", s.duration_s}});
    }
    runs.push_back({{"run", r.run->run}, {"scenario", r.run->scenario}, {"file", r.run->file},
                    {"repetition", r.run->repetition}, {"slot", r.run->slot < 0 ? Json() : Json(r.run->slot)},
                    {"executed", r.executed}, {"passed", r.passed}, {"failure", r.failure},
                    {"failures", r.failures}, {"started_at", r.started_at}, {"duration_s", r.duration_s},
                    {"bindings", r.run->bindings}, {"steps", steps}});
  }
  return {{"seed", summary.seed},
          {"replay", summary.replay},
          {"passed", summary.failed == 0 && summary.executed > 0},
          {"summary", {{"runs", summary.executed}, {"passed", summary.passed}, {"failed", summary.failed},
                       {"not_reached", summary.not_reached}, {"duration_s", summary.duration_s}}},
          {"notes", summary.notes},
          {"plan", plan.ToJson()},
          {"runs", runs}};
}

void PrintSummary(std::ostream& out, const std::vector<RunResult>& results, const RunSummary& summary) {
  out << "scenario run: seed " << summary.seed << ", " << summary.executed << " run(s): " << summary.passed
      << " passed, " << summary.failed << " failed";
  if (summary.not_reached) out << ", " << summary.not_reached << " not reached";
  out << " (" << Fixed(summary.duration_s, 1) << " s)\n";
  for (const RunResult& r : results) {
    if (!r.executed) continue;
    out << "  " << (r.passed ? "PASS " : "FAIL ") << r.run->scenario << " #" << r.run->repetition << "  "
        << Fixed(r.duration_s, 1) << " s\n";
    for (const std::string& f : r.failures) out << "       " << f << "\n";
  }
  for (const std::string& n : summary.notes) out << "note: " << n << "\n";
  out << "replay: " << summary.replay << "\n";
}

}  // namespace cs::scenarios
