#include "sim/pdu_session.h"

#include <utility>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>

namespace cs {

namespace asio = boost::asio;

PduSession::PduSession(asio::ip::tcp::socket socket, OutletBank* bank, const Clock* clock,
                       const ApcConsoleOptions& console, PduSessionLimits limits,
                       PduStats* stats, PduSlots* slots)
    : socket_(std::move(socket)),
      idle_timer_(socket_.get_executor()),
      login_timer_(socket_.get_executor()),
      console_(bank, clock, console),
      limits_(limits),
      stats_(stats),
      slots_(slots) {}

bool PduSlots::TryTake() {
  size_t now = taken_.load();
  while (now < max_) {
    if (taken_.compare_exchange_weak(now, now + 1)) return true;
  }
  return false;
}

void PduSlots::Release() { taken_.fetch_sub(1); }

void PduSession::Start() {
  asio::dispatch(socket_.get_executor(), [self = shared_from_this()] {
    self->Send(self->console_.Start());
    self->ArmIdleTimer();
    self->ArmLoginTimer();
    self->Read();
  });
}

void PduSession::Close() {
  asio::post(socket_.get_executor(), [self = shared_from_this()] { self->Shutdown(); });
}

void PduSession::Read() {
  socket_.async_read_some(asio::buffer(buffer_),
                          [self = shared_from_this()](const boost::system::error_code& ec,
                                                      size_t n) { self->OnRead(ec, n); });
}

void PduSession::OnRead(const boost::system::error_code& ec, size_t n) {
  if (ec || shut_) {
    Shutdown();
    return;
  }
  ArmIdleTimer();
  const bool was_logged_in = console_.logged_in();
  const int failures = console_.login_failures();
  std::string reply = console_.Receive(std::string_view(buffer_.data(), n));
  // Counted before sending, so a client that sees the menu sees the count.
  if (!was_logged_in && console_.logged_in()) {
    if (!TakeSlot()) return;
    ++stats_->logins;
  }
  stats_->login_failures += console_.login_failures() - failures;
  Send(std::move(reply));
  if (console_.closed()) {
    // Let "Connection Closed - Bye" reach the client before hanging up.
    hang_up_after_write_ = true;
    if (!writing_) Shutdown();
    return;
  }
  Read();
}

void PduSession::Send(std::string bytes) {
  if (bytes.empty() || shut_) return;
  outbox_bytes_ += bytes.size();
  outbox_.push_back(std::move(bytes));
  if (outbox_bytes_ > limits_.max_pending_output) {
    // A client that sends but never reads would make us buffer forever.
    Shutdown();
    return;
  }
  if (!writing_) Write();
}

void PduSession::Write() {
  writing_ = true;
  asio::async_write(socket_, asio::buffer(outbox_.front()),
                    [self = shared_from_this()](const boost::system::error_code& ec,
                                                size_t) { self->OnWrite(ec); });
}

void PduSession::OnWrite(const boost::system::error_code& ec) {
  writing_ = false;
  if (ec || shut_) {
    Shutdown();
    return;
  }
  outbox_bytes_ -= outbox_.front().size();
  outbox_.pop_front();
  if (!outbox_.empty()) {
    Write();
  } else if (hang_up_after_write_) {
    Shutdown();
  }
}

void PduSession::ArmIdleTimer() {
  idle_timer_.expires_after(limits_.idle_timeout);
  idle_timer_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
    // Cancelled means re-armed or shut. A handler already queued when input
    // re-armed the timer finds the expiry moved into the future.
    if (!ec && self->idle_timer_.expiry() <= asio::steady_timer::clock_type::now()) {
      self->Shutdown();
    }
  });
}

void PduSession::ArmLoginTimer() {
  login_timer_.expires_after(limits_.login_timeout);
  login_timer_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
    if (!ec && !self->console_.logged_in()) self->Shutdown();
  });
}

bool PduSession::TakeSlot() {
  login_timer_.cancel();
  holds_slot_ = slots_->TryTake();
  if (holds_slot_) return true;
  Send("\r\nToo many users are logged in to this PDU: try again later.\r\n");
  hang_up_after_write_ = true;
  if (!writing_) Shutdown();
  return false;
}

void PduSession::Shutdown() {
  if (shut_) return;
  shut_ = true;
  if (holds_slot_) slots_->Release();
  holds_slot_ = false;
  boost::system::error_code ignored;
  idle_timer_.cancel();
  login_timer_.cancel();
  socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  // The outbox stays: a write still in flight refers to its front.
  socket_.close(ignored);
}

}  // namespace cs
