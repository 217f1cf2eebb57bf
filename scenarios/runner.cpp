// Executing a plan (see runner.h).
#include "scenarios/runner.h"

#include <algorithm>
#include <map>
#include <set>
#include <mutex>
#include <thread>

#include "scenarios/world_queries.h"

namespace cs::scenarios {

namespace {

using Clock = std::chrono::steady_clock;

double Seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

const char* OutcomeName(StepOutcome::Type t) {
  switch (t) {
    case StepOutcome::Type::kOk: return "ok";
    case StepOutcome::Type::kFail: return "fail";
    case StepOutcome::Type::kInfo: return "info";
  }
  return "info";
}

bool Cancelled(const RunnerOptions& o) { return o.cancelled && o.cancelled->load(); }

// "s7-power-loss-r2": unique per seed, scenario and repetition, safe in a URL.
std::string Marker(uint64_t seed, const PlannedRun& run) {
  std::string m = "s" + std::to_string(seed) + "-" + run.scenario + "-r" + std::to_string(run.repetition);
  for (char& c : m) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-') c = '-';
  }
  return m;
}

class RunExecutor {
 public:
  RunExecutor(const PlannedRun& run, const WorldHandles& world, const Registry& registry, const RunnerOptions& o,
              uint64_t seed)
      : run_(run), world_(world), registry_(registry), o_(o) {
    state_.marker = Marker(seed, run);
    state_.seed = seed;
    state_.scope = run.scope;
    result_.run = &run;
    result_.executed = true;
    result_.started_at = NowIso();
  }

  RunResult Execute() {
    start_ = Clock::now();
    if (Prepare()) {
      bool steps_ok = true;
      for (const PlannedStep& step : run_.steps) {
        if (!steps_ok || Cancelled(o_)) {
          Skip(step, false);
          continue;
        }
        steps_ok = RunStep(step);
      }
      for (const PlannedStep& check : run_.checks) {
        if (!steps_ok || Cancelled(o_)) {
          Skip(check, true);
          continue;
        }
        RunCheck(check);
      }
    }
    result_.passed = result_.failures.empty() && !Cancelled(o_);
    if (Cancelled(o_) && result_.failures.empty()) Fail("interrupted before the run finished");
    result_.duration_s = Seconds(Clock::now() - start_);
    return std::move(result_);
  }

 private:
  void Record(int step, const std::string& type, const std::string& f, const Json& value) {
    if (o_.history) o_.history->Record(run_.run, run_.scenario, run_.repetition, step, type, f, value);
  }
  void Progress(const std::string& what) {
    if (o_.on_progress) o_.on_progress(run_, what);
  }
  void Fail(const std::string& message) {
    if (result_.failure.empty()) result_.failure = message;
    result_.failures.push_back(message);
  }

  // Fencing is the cluster's doing, not the run's: the attempts the daemon
  // made since the run began (fence_history) go into the history as they
  // are seen, after each step and check, as {"type": "fence", "f":
  // "reboot"} events whose value says which node, by whom, through which
  // outlets and with what outcome. Only attempts on the run's scope count.
  void RecordFencing(int step) {
    Result<Json> attempts = world_.sim->Call("fence_history", Json::object());
    if (!attempts.ok() || !attempts->is_array()) return;  // a daemon down for a moment: seen next time
    for (const Json& a : *attempts) {
      const std::string key = a.value("cluster", Json()).dump() + ":" + a.value("seq", Json()).dump();
      if (!fences_seen_.insert(key).second || !fencing_baseline_taken_) continue;
      if (!InScope(a.value("fqdn", ""))) continue;
      Record(step, "fence", a.value("action", "reboot"), a);
    }
    fencing_baseline_taken_ = true;
  }
  bool InScope(const std::string& fqdn) const {
    return run_.scope.empty() || std::find(run_.scope.begin(), run_.scope.end(), fqdn) != run_.scope.end();
  }

  // Heals the world, then records where it starts from.
  bool Prepare() {
    RecordFencing(0);  // the baseline: attempts before this run are not its own
    Progress("heal");
    Record(0, "invoke", "heal", Json{{"scope", run_.scope}});
    Status healed = Heal(world_, run_.scope, o_.heal_timeout, o_.cancelled);
    Result<Json> before = healed.ok() ? SimStatus(*world_.sim) : Result<Json>(healed);
    Result<int64_t> last = before.ok() ? LastCommandId(*world_.manager) : Result<int64_t>(before.status());
    if (!last.ok()) {
      Record(0, "fail", "heal", Json{{"error", last.status().message()}});
      Fail("the world could not be made healthy before the run: " + last.status().message());
      return false;
    }
    state_.before = *before;
    state_.first_command_id = *last + 1;
    Record(0, "ok", "heal", Json{{"first_command_id", state_.first_command_id}});
    RecordFencing(0);
    return true;
  }

  bool RunStep(const PlannedStep& step) {
    const TestDef* def = registry_.FindTest(step.name);
    StepResult r{step.step, step.name, false, "", "", 0, 0, nullptr};
    if (step.delay.count() > 0) {
      Progress("step " + std::to_string(step.step) + " " + step.name + " (in " + FormatDuration(step.delay) + ")");
      StepContext waiter{world_, state_, step.params, o_.cancelled};
      waiter.Sleep(step.delay);
    }
    Progress("step " + std::to_string(step.step) + " " + step.name);
    const auto started = Clock::now();
    r.started_s = Seconds(started - start_);
    Record(step.step, "invoke", step.name, step.params);
    state_.step = step.step;
    StepContext ctx{world_, state_, step.params, o_.cancelled};
    StepOutcome out = def->run(ctx);
    r.duration_s = Seconds(Clock::now() - started);
    r.outcome = OutcomeName(out.type);
    r.value = out.value;
    Record(step.step, r.outcome, step.name, out.value);
    RecordFencing(step.step);
    if (out.type == StepOutcome::Type::kFail) {
      r.message = out.value.value("error", out.value.dump());
      Fail("step " + std::to_string(step.step) + " " + step.name + " failed: " + r.message);
    } else if (out.type == StepOutcome::Type::kInfo) {
      r.message = out.value.value("unknown", "");
    }
    result_.steps.push_back(r);
    return out.type != StepOutcome::Type::kFail;
  }

  void RunCheck(const PlannedStep& check) {
    const CheckDef* def = registry_.FindCheck(check.name);
    StepResult r{check.step, check.name, true, "", "", 0, 0, nullptr};
    Progress("check " + check.name + " (within " + FormatDuration(check.within) + ")");
    const auto started = Clock::now();
    r.started_s = Seconds(started - start_);
    Record(check.step, "invoke", check.name, Json{{"params", check.params}, {"within", FormatDuration(check.within)}});
    const auto deadline = started + check.within;
    StepContext ctx{world_, state_, check.params, o_.cancelled};
    Verdict v;
    int attempts = 0;
    while (true) {
      v = def->evaluate(ctx);
      ++attempts;
      if (v.passed || Clock::now() >= deadline || Cancelled(o_)) break;
      std::this_thread::sleep_for(std::min<Clock::duration>(o_.check_poll, deadline - Clock::now()));
    }
    r.duration_s = Seconds(Clock::now() - started);
    r.outcome = v.passed ? "ok" : "fail";
    r.message = v.message;
    r.value = v.seen;
    Json value = {{"attempts", attempts}, {"seen", v.seen}};
    if (!v.passed) value["message"] = v.message;
    Record(check.step, r.outcome, check.name, value);
    RecordFencing(check.step);
    if (!v.passed) {
      Fail("check " + check.name + " (step " + std::to_string(check.step) + ", within " + FormatDuration(check.within) +
           ") failed: " + v.message);
    }
    result_.steps.push_back(r);
  }

  void Skip(const PlannedStep& step, bool check) {
    result_.steps.push_back({step.step, step.name, check, "skipped", "an earlier step failed", 0, 0, nullptr});
  }

  const PlannedRun& run_;
  WorldHandles world_;
  const Registry& registry_;
  const RunnerOptions& o_;
  RunState state_;
  RunResult result_;
  Clock::time_point start_;
  std::set<std::string> fences_seen_;  // "cluster:seq" of every attempt seen
  bool fencing_baseline_taken_ = false;
};

RunResult NotReached(const PlannedRun& run) {
  RunResult r;
  r.run = &run;
  r.executed = false;
  return r;
}

bool TimeUp(const RunnerOptions& o) { return Cancelled(o) || (o.deadline && Clock::now() >= *o.deadline); }

}  // namespace

RunResult ExecuteRun(const PlannedRun& run, const WorldHandles& world, const Registry& registry,
                     const RunnerOptions& options, uint64_t seed) {
  return RunExecutor(run, world, registry, options, seed).Execute();
}

std::vector<RunResult> ExecutePlan(const Plan& plan, WorldSource& world, const Registry& registry,
                                   const RunnerOptions& options) {
  std::vector<RunResult> results;
  for (const PlannedRun& run : plan.runs) results.push_back(NotReached(run));
  // One connection per slot; slot 0's also runs the exclusive runs.
  std::vector<WorldConnection> connections(static_cast<size_t>(std::max(1, plan.parallel)));
  auto handles = [&](size_t slot) -> Result<WorldHandles> {
    if (!connections[slot].sim) {
      Result<WorldConnection> c = world.Connect();
      if (!c.ok()) return c.status();
      connections[slot] = std::move(*c);
    }
    return WorldHandles{connections[slot].sim.get(), connections[slot].manager.get(), world.owner()};
  };
  auto run_on = [&](size_t slot, size_t index) {
    if (TimeUp(options)) return;
    Result<WorldHandles> h = handles(slot);
    if (!h.ok()) {
      results[index].executed = true;
      results[index].failure = "cannot connect to the world: " + h.status().message();
      results[index].failures.push_back(results[index].failure);
      return;
    }
    results[index] = ExecuteRun(plan.runs[index], *h, registry, options, plan.seed);
  };
  size_t i = 0;
  while (i < plan.runs.size() && !TimeUp(options)) {
    if (plan.runs[i].slot < 0) {
      run_on(0, i++);
      continue;
    }
    // A wave: the following non-exclusive runs, each slot's in order on its thread.
    std::map<int, std::vector<size_t>> by_slot;
    for (; i < plan.runs.size() && plan.runs[i].slot >= 0; ++i) by_slot[plan.runs[i].slot].push_back(i);
    std::vector<std::thread> workers;
    for (auto& [slot, indexes] : by_slot) {
      workers.emplace_back([&, slot = slot, indexes = indexes] {
        for (size_t index : indexes) run_on(static_cast<size_t>(slot), index);
      });
    }
    for (std::thread& t : workers) t.join();
  }
  return results;
}

}  // namespace cs::scenarios
