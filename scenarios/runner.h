// Runner: executes a plan against a world. Each run first heals its part of
// the world (faults lifted, power back, servers and agents up, targets on
// their primaries, the manager in agreement), then runs its tests in order
// after their delays, then polls each check until it holds or its deadline
// passes. Runs on different slots execute side by side, one worker thread
// (with its own clients) per slot; an exclusive run executes alone.
// Everything goes into the history.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "scenarios/history.h"
#include "scenarios/plan.h"
#include "scenarios/registry.h"
#include "scenarios/world_source.h"

namespace cs::scenarios {

struct StepResult {
  int step = 0;
  std::string name;
  bool check = false;
  std::string outcome;  // ok, fail, info, skipped
  std::string message;
  double started_s = 0;  // since the run began
  double duration_s = 0;
  Json value;
};

struct RunResult {
  const PlannedRun* run = nullptr;
  bool passed = false;
  bool executed = false;  // false: not reached (soak time up, interrupted)
  std::string failure;    // the first failure, for JUnit's message
  std::vector<std::string> failures;
  std::vector<StepResult> steps;
  double duration_s = 0;
  std::string started_at;
};

struct RunnerOptions {
  History* history = nullptr;
  const std::atomic<bool>* cancelled = nullptr;
  std::optional<std::chrono::steady_clock::time_point> deadline;  // soak: start no run after it
  // Called from worker threads after each step (for the progress line).
  std::function<void(const PlannedRun&, const std::string& what)> on_progress;
  std::chrono::milliseconds check_poll{1000};
  std::chrono::milliseconds heal_timeout{std::chrono::seconds(180)};
};

// Executes every run of `plan`; results in plan order.
std::vector<RunResult> ExecutePlan(const Plan& plan, WorldSource& world, const Registry& registry,
                                   const RunnerOptions& options);

// One run on one connection (ExecutePlan's unit of work).
RunResult ExecuteRun(const PlannedRun& run, const WorldHandles& world, const Registry& registry,
                     const RunnerOptions& options, uint64_t seed);

// Brings the run's part of the world (scope: fqdns, empty = all) back to
// health; the error says what did not come back.
Status Heal(const WorldHandles& world, const std::vector<std::string>& scope, std::chrono::milliseconds timeout,
            const std::atomic<bool>* cancelled);

}  // namespace cs::scenarios
