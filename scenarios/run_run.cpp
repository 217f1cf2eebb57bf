// scenario run: load, plan, bring the world up, execute, report, tear down
// (see run_command.h). Every bad input is refused before anything starts.
#include <signal.h>

#include <atomic>
#include <fstream>
#include <iostream>
#include <mutex>

#include "scenarios/loader.h"
#include "scenarios/reports.h"
#include "scenarios/run_command.h"
#include "scenarios/runner.h"
#include "scenarios/world_source.h"

namespace cs::scenarios {

namespace {

using Clock = std::chrono::steady_clock;

std::atomic<bool> g_interrupted{false};

extern "C" void OnStopSignal(int) { g_interrupted.store(true); }

// SIGINT/SIGTERM end the run after the current step, then tear down.
void CatchStopSignals() {
  struct sigaction sa {};
  sa.sa_handler = OnStopSignal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
}

int PrintAndFail(std::ostream& err, const Status& s) {
  err << "cluster-sim: " << s.message() << "\n";
  return 2;
}

Status WriteFile(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::trunc);
  out << text;
  out.close();
  if (!out) return Status::IoError("cannot write " + path);
  return Status::Ok();
}

// Each report path must be writable before the world comes up.
Status CheckWritable(const std::string& path) {
  if (path.empty()) return Status::Ok();
  std::ofstream out(path, std::ios::app);
  if (!out) return Status::IoError("cannot write " + path);
  return Status::Ok();
}

class ProgressLine {
 public:
  ProgressLine(std::ostream& err, bool terminal, size_t total) : err_(err), terminal_(terminal), total_(total) {}
  void Update(const PlannedRun& run, const std::string& what) {
    if (!terminal_) return;
    std::lock_guard<std::mutex> lock(mu_);
    std::string line = "[" + std::to_string(run.run) + "/" + std::to_string(total_) + "] " + run.scenario + " #" +
                       std::to_string(run.repetition) + ": " + what;
    if (line.size() > 100) line.resize(100);
    err_ << "\r" << line << std::string(line.size() < width_ ? width_ - line.size() : 0, ' ') << std::flush;
    width_ = line.size();
  }
  void Done() {
    if (terminal_ && width_ > 0) err_ << "\r" << std::string(width_, ' ') << "\r" << std::flush;
  }

 private:
  std::ostream& err_;
  bool terminal_;
  size_t total_;
  size_t width_ = 0;
  std::mutex mu_;
};

}  // namespace

Status CheckOwnership(const std::vector<ScenarioSpec>& specs, const Registry& registry, bool owned) {
  if (owned) return Status::Ok();
  for (const ScenarioSpec& s : specs) {
    for (size_t i = 0; i < s.steps.size(); ++i) {
      if (registry.FindTest(s.steps[i].test)->needs_owner) {
        return s.Error(s.steps[i].pointer.substr(s.pointer.size()) + "/test", "steps[" + std::to_string(i) + "].test",
                       s.steps[i].test + " needs a world the runner owns; it cannot run with --control-url");
      }
    }
  }
  return Status::Ok();
}

namespace {

// One world's share of a run: its source, its plan, then its results.
struct WorldRun {
  const WorldGroup* group = nullptr;
  std::unique_ptr<WorldSource> source;
  Plan plan;
  std::vector<RunResult> results;
};

// Brings one world up, plans again for it as it came up (saying so when the
// prediction differed), executes its plan, tears it down; false when it
// could not be brought up (the message is on `err`).
bool RunOneWorld(WorldRun& w, int first_run, const Registry& registry, const RunnerOptions& ro, bool keep,
                 std::vector<std::string>& notes, std::ostream& err) {
  WorldSource& world = *w.source;
  if (!w.group->world.empty()) err << "scenario run: " << DescribeWorld(*w.group) << "\n";
  Status up = world.BringUp(err);
  if (!up.ok()) {
    world.TearDown(true, err);
    err << "cluster-sim: " << up.Context("the world could not be brought up").message() << "\n";
    return false;
  }
  if (world.owner() != nullptr) {
    // The plan was made for the predicted fleet; make it again for the
    // world as it came up, and say so if the two differ.
    Result<FleetModel> live = world.Fleet();
    Result<Plan> replanned = live.ok() ? MakePlanFor(w.group->options, w.group->specs, *live, registry) : Result<Plan>(live.status());
    if (!replanned.ok()) {
      world.TearDown(true, err);
      err << "cluster-sim: " << replanned.status().Context("planning for the world as it came up").message() << "\n";
      return false;
    }
    NumberRunsFrom(*replanned, first_run);
    if (replanned->ToJson().dump() != w.plan.ToJson().dump()) {
      notes.push_back("the world came up with a different target layout than predicted (fleet " +
                      replanned->fleet.dump() + "); the runs follow the world as it is, so `scenario plan` does not show them exactly");
      w.plan = std::move(*replanned);
    }
  }
  w.results = ExecutePlan(w.plan, world, registry, ro);
  bool passed = !g_interrupted.load();
  for (const RunResult& r : w.results) passed = passed && (r.passed || !r.executed);
  world.TearDown(keep || !passed, err);
  return true;
}

}  // namespace

int RunRunCommand(const RunCommandOptions& given, std::ostream& out, std::ostream& err) {
  RunCommandOptions o = given;
  const Registry& registry = Registry::Builtin();
  Result<std::vector<ScenarioSpec>> specs = LoadScenarioFiles(o.files, registry);
  if (!specs.ok()) return PrintAndFail(err, specs.status());
  std::optional<Clock::time_point> deadline;
  if (!o.soak.empty()) {
    Result<Millis> d = ParseDuration(o.soak);
    if (!d.ok()) return PrintAndFail(err, d.status().Context("--soak"));
    deadline = Clock::now() + *d;
    o.soak_plan_runs = 10000;  // bounded: more than any soak gets through
  }
  Result<std::vector<WorldGroup>> groups = GroupByWorld(o, *specs);
  if (!groups.ok()) return PrintAndFail(err, groups.status());
  // Every world's plan before anything starts, so bad input changes nothing.
  std::vector<WorldRun> worlds;
  int numbered = 0;
  for (const WorldGroup& g : *groups) {
    WorldRun w;
    w.group = &g;
    Result<std::unique_ptr<WorldSource>> source = OpenWorldSource(g.options);
    if (!source.ok()) return PrintAndFail(err, source.status());
    w.source = std::move(*source);
    Result<FleetModel> fleet = w.source->Fleet();
    if (!fleet.ok()) return PrintAndFail(err, fleet.status().Context(DescribeWorld(g)));
    Result<Plan> plan = MakePlanFor(g.options, g.specs, *fleet, registry);
    if (!plan.ok()) return PrintAndFail(err, plan.status());
    NumberRunsFrom(*plan, numbered);
    numbered += static_cast<int>(plan->runs.size());
    w.plan = std::move(*plan);
    Status owned = CheckOwnership(g.specs, registry, w.source->owner() != nullptr);
    if (!owned.ok()) return PrintAndFail(err, owned);
    worlds.push_back(std::move(w));
  }
  for (const std::string& path : {o.junit, o.report}) {
    Status s = CheckWritable(path);
    if (!s.ok()) return PrintAndFail(err, s);
  }
  Result<std::unique_ptr<History>> history = History::Open(o.history);
  if (!history.ok()) return PrintAndFail(err, history.status());

  CatchStopSignals();
  const auto started = Clock::now();
  err << "scenario run: seed " << o.seed << ", " << numbered << " planned run(s)" << (deadline ? " (soak)" : "")
      << (worlds.size() > 1 ? ", on " + std::to_string(worlds.size()) + " worlds in turn" : "") << "\n";
  std::vector<std::string> notes;
  ProgressLine progress(err, o.terminal, static_cast<size_t>(numbered));
  RunnerOptions ro;
  ro.history = history->get();
  ro.cancelled = &g_interrupted;
  ro.deadline = deadline;
  ro.on_progress = [&](const PlannedRun& run, const std::string& what) { progress.Update(run, what); };
  int first_run = 0;
  bool world_failed = false;  // a world did not come up: the rest are not reached, the reports still written
  for (WorldRun& w : worlds) {
    if (g_interrupted.load() || world_failed) {
      w.results.assign(w.plan.runs.size(), RunResult());  // not reached
      continue;
    }
    if (!RunOneWorld(w, first_run, registry, ro, o.keep, notes, err)) {
      world_failed = true;
      notes.push_back(DescribeWorld(*w.group) + " could not be brought up; its runs and those after it were not reached");
      w.results.assign(w.plan.runs.size(), RunResult());
      if (worlds.size() == 1) return 2;  // nothing ran: no reports, as before
    }
    first_run += static_cast<int>(w.plan.runs.size());
  }
  progress.Done();
  std::vector<Plan> plans;
  for (const WorldRun& w : worlds) plans.push_back(w.plan);
  const Plan plan = CombinePlans(plans, *groups);
  std::vector<RunResult> results;
  for (const WorldRun& w : worlds) results.insert(results.end(), w.results.begin(), w.results.end());
  // The results point at their world's plan; point them at the combined one.
  for (size_t i = 0; i < results.size() && i < plan.runs.size(); ++i) results[i].run = &plan.runs[i];
  RunSummary summary = Summarize(plan, results, std::chrono::duration<double>(Clock::now() - started).count(), o.replay);
  summary.notes = notes;
  if (g_interrupted.load()) summary.notes.push_back("interrupted by a signal");
  const bool passed = summary.failed == 0 && summary.executed > 0 && !g_interrupted.load();
  int status = world_failed ? 2 : passed ? 0 : 1;
  if (!o.junit.empty()) {
    Status s = WriteFile(o.junit, JunitXml(plan, results, summary));
    if (!s.ok()) status = PrintAndFail(err, s);
  }
  if (!o.report.empty()) {
    Status s = WriteFile(o.report, JsonReport(plan, results, summary).dump(2) + "\n");
    if (!s.ok()) status = PrintAndFail(err, s);
  }
  PrintSummary(out, results, summary);
  return status;
}

}  // namespace cs::scenarios
