// The history of a scenario run as JSON lines (see history.h).
#include "scenarios/history.h"

#include <chrono>
#include <ctime>

namespace cs::scenarios {

std::string NowIso() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t t = std::chrono::system_clock::to_time_t(now);
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[40];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  char out[48];
  std::snprintf(out, sizeof out, "%s.%03dZ", buf, static_cast<int>(ms));
  return out;
}

Result<std::unique_ptr<History>> History::Open(const std::string& path) {
  std::unique_ptr<History> h(new History());
  if (!path.empty()) {
    h->out_.open(path, std::ios::out | std::ios::trunc);
    if (!h->out_) return Status::IoError("cannot write the history to " + path);
    h->writer_ = std::thread([raw = h.get()] { raw->WriteLoop(); });
  }
  return h;
}

History::~History() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    closing_ = true;
  }
  ready_.notify_all();
  if (writer_.joinable()) writer_.join();
}

void History::WriteLoop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    ready_.wait(lock, [this] { return closing_ || !queue_.empty(); });
    std::deque<std::string> batch;
    batch.swap(queue_);
    const bool last = closing_;
    lock.unlock();
    for (const std::string& line : batch) out_ << line << "\n";
    out_.flush();
    lock.lock();
    if (last && queue_.empty()) return;
  }
}

void History::Record(int run, const std::string& scenario, int repetition, int step, const std::string& type,
                     const std::string& f, const Json& value) {
  const Json line = {{"time", NowIso()}, {"run", run}, {"scenario", scenario}, {"repetition", repetition},
                     {"step", step}, {"type", type}, {"f", f}, {"value", value}};
  std::string text = line.dump();
  {
    std::lock_guard<std::mutex> lock(mu_);
    ++events_;
    if (!writer_.joinable()) return;
    queue_.push_back(std::move(text));
  }
  ready_.notify_one();
}

size_t History::events() const {
  std::lock_guard<std::mutex> lock(mu_);
  return events_;
}

}  // namespace cs::scenarios
