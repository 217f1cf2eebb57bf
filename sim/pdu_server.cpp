#include "sim/pdu_server.h"

#include <algorithm>
#include <utility>

#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>

namespace cs {

namespace asio = boost::asio;
using asio::ip::tcp;

PduServer::PduServer(asio::io_context& io, OutletBank* outlets, const Clock* clock,
                     PduServerOptions options)
    : io_(io),
      clock_(clock),
      options_(std::move(options)),
      bank_(io.get_executor(), outlets, options_.delays),
      acceptor_(asio::make_strand(io)),
      accept_retry_(acceptor_.get_executor()),
      slots_(options_.max_sessions) {}

PduServer::~PduServer() { Stop(); }

Status PduServer::Start() {
  boost::system::error_code ec;
  const asio::ip::address address = asio::ip::make_address(options_.address, ec);
  if (ec) return Status::InvalidArgument("bad PDU address " + options_.address);
  const tcp::endpoint endpoint(address, options_.port);
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) acceptor_.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return Status::Unavailable("PDU cannot listen on " + options_.address + ":" +
                               std::to_string(options_.port) + ": " + ec.message());
  }
  port_ = acceptor_.local_endpoint().port();
  {
    std::lock_guard<std::mutex> lock(mu_);
    started_ = true;
  }
  Accept();
  return Status::Ok();
}

void PduServer::Accept() {
  // Each connection gets a strand of its own: its handlers never run
  // concurrently, while other connections proceed on other threads.
  acceptor_.async_accept(asio::make_strand(io_),
                         [this](const boost::system::error_code& ec, tcp::socket socket) {
                           OnAccept(ec, std::move(socket));
                         });
}

void PduServer::OnAccept(const boost::system::error_code& ec, tcp::socket socket) {
  if (ec == asio::error::operation_aborted || !acceptor_.is_open()) return;
  if (ec) {
    // Errors such as running out of file descriptors tend to repeat: pause
    // instead of spinning, then try again.
    accept_retry_.expires_after(std::chrono::milliseconds(100));
    accept_retry_.async_wait([this](const boost::system::error_code& wait_ec) {
      if (!wait_ec && acceptor_.is_open()) Accept();
    });
    return;
  }
  AddSession(std::move(socket));
  Accept();
}

void PduServer::AddSession(tcp::socket socket) {
  if (options_.reachable && !options_.reachable()) return;  // `socket` closes
  std::lock_guard<std::mutex> lock(mu_);
  std::erase_if(sessions_, [](const std::weak_ptr<PduSession>& s) { return s.expired(); });
  // When stopped or full, `socket` just closes as it goes out of scope.
  const size_t pending = sessions_.size() - std::min(sessions_.size(), slots_.taken());
  if (stopped_ || pending >= options_.max_pending_logins) return;
  auto session = std::make_shared<PduSession>(std::move(socket), &bank_, clock_,
                                              options_.console, options_.limits, &stats_, &slots_);
  sessions_.push_back(session);
  session->Start();
}

void PduServer::Stop() {
  std::vector<std::shared_ptr<PduSession>> live;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopped_) return;
    stopped_ = true;
    // A server that never listened has nothing queued on the io_context, and
    // must not queue anything now: it may be destroyed before the next run.
    if (!started_) return;
    for (const auto& weak : sessions_) {
      if (auto s = weak.lock()) live.push_back(std::move(s));
    }
  }
  asio::post(acceptor_.get_executor(), [this] {
    boost::system::error_code ignored;
    acceptor_.close(ignored);
    accept_retry_.cancel();
  });
  for (const auto& s : live) s->Close();
  bank_.CancelAll();
}

size_t PduServer::SessionCount() const {
  std::lock_guard<std::mutex> lock(mu_);
  return static_cast<size_t>(std::count_if(
      sessions_.begin(), sessions_.end(),
      [](const std::weak_ptr<PduSession>& s) { return !s.expired(); }));
}

}  // namespace cs
