// IoPool: the process's one boost::asio::io_context and the few threads that
// run it. Servers and clients are created on pool.context(); their handlers
// and callbacks run on the pool's threads. A work guard keeps run() going
// while nothing is pending, until Stop().
#pragma once

#include <memory>
#include <thread>
#include <vector>

namespace boost::asio {
class io_context;
}

namespace cs::net {

class IoPool {
 public:
  explicit IoPool(int threads = 2);
  // Stops and joins. Destroy every server and client using the context first.
  ~IoPool();
  IoPool(const IoPool&) = delete;
  IoPool& operator=(const IoPool&) = delete;

  boost::asio::io_context& context() { return *context_; }
  int threads() const { return thread_count_; }

  // Starts the threads. Call once.
  void Start();
  // Makes run() return on every thread as soon as the handler it is running
  // finishes; pending operations are abandoned (destroyed with the pool).
  // For a clean shutdown Stop() servers and Close() clients first.
  // Safe from any thread, including a pool thread. Idempotent.
  void Stop();
  // Waits for the threads to exit. Must not be called from a pool thread.
  void Join();

 private:
  struct Guard;
  int thread_count_;
  std::unique_ptr<boost::asio::io_context> context_;
  std::unique_ptr<Guard> guard_;
  std::vector<std::thread> threads_;
};

}  // namespace cs::net
