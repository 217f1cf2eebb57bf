#include "net/io_pool.h"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

namespace cs::net {

struct IoPool::Guard {
  explicit Guard(boost::asio::io_context& io) : work(io.get_executor()) {}
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work;
};

IoPool::IoPool(int threads)
    : thread_count_(threads < 1 ? 1 : threads),
      context_(std::make_unique<boost::asio::io_context>(thread_count_)),
      guard_(std::make_unique<Guard>(*context_)) {}

IoPool::~IoPool() {
  Stop();
  Join();
}

void IoPool::Start() {
  for (int i = 0; i < thread_count_; ++i) {
    threads_.emplace_back([this] { context_->run(); });
  }
}

void IoPool::Stop() {
  guard_->work.reset();
  context_->stop();
}

void IoPool::Join() {
  for (std::thread& t : threads_) {
    if (t.joinable()) t.join();
  }
  threads_.clear();
}

}  // namespace cs::net
