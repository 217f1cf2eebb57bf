#include "benchmark/live_line.h"

#include <unistd.h>

#include <cstdio>

namespace cs::benchmark {

LiveLine::LiveLine(std::function<LiveFigures()> read) : read_(std::move(read)), enabled_(isatty(STDERR_FILENO) == 1) {
  if (enabled_) thread_ = std::thread([this] { Run(); });
}

LiveLine::~LiveLine() { Stop(); }

void LiveLine::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) {
    thread_.join();
    std::fputs("\r\033[K", stderr);
    std::fflush(stderr);
  }
}

std::string LiveLine::Format(const LiveFigures& f, double requests_per_second, double elapsed_s) {
  char text[160];
  snprintf(text, sizeof text, "fleet %d | %.1f req/s | p95 %.0f ms | %llu failures | %.0f s", f.fleet,
           requests_per_second, f.p95_s * 1000, static_cast<unsigned long long>(f.failures), elapsed_s);
  return text;
}

void LiveLine::Run() {
  const auto started = std::chrono::steady_clock::now();
  uint64_t last_requests = 0;
  auto last = started;
  std::unique_lock<std::mutex> lock(mu_);
  while (!cv_.wait_for(lock, std::chrono::seconds(1), [this] { return stopping_; })) {
    lock.unlock();
    const LiveFigures f = read_();
    const auto now = std::chrono::steady_clock::now();
    const double interval = std::chrono::duration<double>(now - last).count();
    const double rps = interval > 0 ? static_cast<double>(f.requests - last_requests) / interval : 0;
    last_requests = f.requests;
    last = now;
    const std::string line = Format(f, rps, std::chrono::duration<double>(now - started).count());
    std::fprintf(stderr, "\r\033[K%s", line.c_str());
    std::fflush(stderr);
    lock.lock();
  }
}

}  // namespace cs::benchmark
