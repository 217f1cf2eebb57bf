// log_ingest_bench: the built-in manager's journal ingestion without the
// network: DATA messages of 64 journal lines (the agents'
// kMaxLogLinesPerMessage) from `--servers` hosts, published by two threads
// (the manager's request threads) into the systemd_journal receive queue
// and consumed into the LogStore (SQLite, WAL), as ManagerServer wires
// them (--per-message: one transaction per message, as before batching). Prints lines per second of wall time and per CPU second (the
// figure that holds on a loaded machine), and the transactions used.
#include <CLI/CLI.hpp>
#include <time.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <thread>
#include <vector>

#include "manager/log_store.h"
#include "manager/rx_queues.h"

namespace {

double CpuSeconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

cs::Json Message(int serial) {
  cs::Json lines = cs::Json::array();
  for (int i = 0; i < 64; ++i) {
    lines.push_back({{"message", "kernel: LustreError: 11-0: lustre-OST0001-osc: operation " + std::to_string(serial * 64 + i)},
                     {"datetime", "2026-12-01T12:00:00.000000+00:00"},
                     {"severity", 6},
                     {"facility", 0},
                     {"source", "kernel"}});
  }
  return cs::Json{{"log_lines", lines}};
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"The manager's journal ingestion: receive queue and LogStore"};
  int messages = 4000, servers = 8;
  std::string dir = "/tmp/cs-log-ingest-bench";
  app.add_option("--messages", messages, "DATA messages of 64 lines")->check(CLI::Range(1, 10000000));
  app.add_option("--servers", servers, "Hosts the messages come from")->check(CLI::Range(1, 100000));
  app.add_option("--dir", dir, "Scratch directory (emptied)");
  bool per_message = false;
  app.add_flag("--per-message", per_message, "One transaction per message (the manager before batching)");
  CLI11_PARSE(app, argc, argv);
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  auto store = cs::manager::LogStore::Open(dir + "/log.db");
  if (!store.ok()) {
    std::fprintf(stderr, "log_ingest_bench: %s\n", store.status().message().c_str());
    return 1;
  }
  cs::manager::LogStore& logs = **store;
  std::vector<cs::Json> bodies;
  for (int i = 0; i < 64; ++i) bodies.push_back(Message(i));
  cs::manager::RxQueues rx;
  const std::string queue = cs::manager::RxQueues::QueueName("systemd_journal");
  if (!per_message) rx.SetFlush(queue, [&logs] { (void)logs.Flush(); });
  const double cpu0 = CpuSeconds();
  const auto wall0 = std::chrono::steady_clock::now();
  std::atomic<int> next{0};
  auto publisher = [&] {
    for (int i = next++; i < messages; i = next++) {
      const std::string fqdn = "server" + std::to_string(i % servers) + ".localdomain";
      rx.Publish(queue, [&logs, per_message, fqdn, body = bodies[static_cast<size_t>(i) % bodies.size()]] {
        (void)(per_message ? logs.Append(fqdn, body) : logs.Stage(fqdn, body));
      });
    }
  };
  std::thread a(publisher), b(publisher);
  a.join();
  b.join();
  rx.Stop();
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
  const double cpu = CpuSeconds() - cpu0;
  const double lines = 64.0 * messages;
  std::printf("log_ingest_bench: %d messages (%.0f lines) from %d servers in %.2f s wall, %.2f s CPU\n", messages, lines,
              servers, wall, cpu);
  std::printf("  %.0f lines/s wall, %.0f lines per CPU second (%.0f messages per CPU second), %lld transactions%s\n",
              lines / wall, lines / cpu, messages / cpu, static_cast<long long>(logs.transactions()),
              per_message ? " (--per-message)" : "");
  std::filesystem::remove_all(dir);
  return 0;
}
