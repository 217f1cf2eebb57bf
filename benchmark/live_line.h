// LiveLine: the one line a long benchmark shows on a terminal, rewritten
// in place every second: fleet size, requests per second (the benchmark's
// own REST calls, monitors included), p95 of the monitors' API latencies,
// failures, elapsed time. Nothing at all when stderr is not a terminal.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace cs::benchmark {

struct LiveFigures {
  int fleet = 0;
  uint64_t requests = 0, failures = 0;
  double p95_s = 0;
};

class LiveLine {
 public:
  // `read` is called once a second on the line's thread.
  explicit LiveLine(std::function<LiveFigures()> read);
  ~LiveLine();  // Stop()s
  // Ends the thread and clears the line. Idempotent.
  void Stop();

  // The text of one line (for tests).
  static std::string Format(const LiveFigures& f, double requests_per_second, double elapsed_s);

 private:
  void Run();
  std::function<LiveFigures()> read_;
  const bool enabled_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace cs::benchmark
