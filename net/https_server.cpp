// Server flow per connection (one strand each, so no locks inside a
// session): [TLS handshake] -> read header -> read body -> handler ->
// (Respond, possibly much later) -> write -> read header ... Every step has
// a deadline (beast::tcp_stream::expires_after, or TlsStream's own for TLS).
#include "net/https_server.h"

#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <mutex>
#include <strings.h>
#include <unordered_map>

#include "net/call_gate.h"
#include "net/tls_peer.h"
#include "net/tls_stream.h"
#include "net/url.h"

namespace cs::net {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;

namespace {

constexpr size_t kHeaderLimit = 64 * 1024;
class Session;

}  // namespace

// State shared by the listener and every session; sessions keep it alive.
class HttpsServer::Impl : public std::enable_shared_from_this<Impl> {
 public:
  Impl(asio::io_context& io, ServerOptions options, Handler handler,
       std::shared_ptr<ssl::context> tls)
      : io_(io),
        options_(std::move(options)),
        handler_(std::move(handler)),
        tls_(std::move(tls)),
        acceptor_(asio::make_strand(io)),
        backoff_(acceptor_.get_executor()) {}

  Status Listen();
  void Accept();
  void Stop();
  void Forget(Session* session);

  const ServerOptions& options() const { return options_; }
  ssl::context* tls() const { return tls_.get(); }
  // Runs the user's handler unless the server stopped; false if it did.
  template <typename F>
  bool CallHandler(F&& call) {
    return gate_.Call([&] { call(handler_); });
  }

  uint16_t port() const { return port_; }
  uint64_t accepted() const { return accepted_.load(); }
  size_t open() const {
    std::lock_guard lock(mu_);
    return sessions_.size();
  }

 private:
  void OnAccept(beast::error_code ec, tcp::socket socket);

  asio::io_context& io_;
  const ServerOptions options_;
  const Handler handler_;
  const std::shared_ptr<ssl::context> tls_;  // null for plain HTTP
  CallGate gate_;
  tcp::acceptor acceptor_;    // used on its own strand only
  asio::steady_timer backoff_;  // after accept errors such as EMFILE
  uint16_t port_ = 0;
  std::atomic<uint64_t> accepted_{0};

  mutable std::mutex mu_;
  bool stopped_ = false;
  std::unordered_map<Session*, std::weak_ptr<Session>> sessions_;
};

namespace {

// One connection. All members are used on the connection's strand, except
// Close() and Deliver(), which post onto it.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(std::shared_ptr<HttpsServer::Impl> server, tcp::socket socket)
      : server_(std::move(server)), executor_(socket.get_executor()) {
    beast::error_code ec;
    tcp::endpoint remote = socket.remote_endpoint(ec);
    if (!ec) {
      remote_address_ = remote.address().to_string();
      remote_port_ = remote.port();
    }
    if (server_->tls() != nullptr) {
      tls_.emplace(beast::tcp_stream(std::move(socket)), server_->tls()->native_handle());
    } else {
      plain_.emplace(std::move(socket));
    }
  }
  ~Session() { server_->Forget(this); }

  void Run() {
    asio::post(executor_, [self = shared_from_this()] { self->Start(); });
  }

  void Close() {
    asio::post(executor_, [self = shared_from_this()] { self->CloseNow(); });
  }

  // The response to request number `seq`, from any thread.
  void Deliver(uint64_t seq, Response response) {
    asio::post(executor_, [self = shared_from_this(), seq, r = std::move(response)]() mutable {
      self->OnDeliver(seq, std::move(r));
    });
  }

 private:
  beast::tcp_stream& Tcp() { return tls_ ? tls_->next_layer() : *plain_; }

  // A deadline for the reads and writes that follow (TLS runs its own).
  void ExpiresAfter(std::chrono::steady_clock::duration d) {
    if (tls_) {
      tls_->expires_after(d);
    } else {
      plain_->expires_after(d);
    }
  }
  void ExpiresNever() {
    if (tls_) {
      tls_->expires_never();
    } else {
      plain_->expires_never();
    }
  }

  // Calls f with the stream HTTP runs on (TLS or plain).
  template <typename F>
  void WithStream(F&& f) {
    if (tls_) {
      f(*tls_);
    } else {
      f(*plain_);
    }
  }

  void Start() {
    if (!tls_) return ReadHeader();
    ExpiresAfter(server_->options().handshake_timeout);
    tls_->async_handshake(ssl::stream_base::server,
                          beast::bind_front_handler(&Session::OnHandshake, shared_from_this()));
  }

  void OnHandshake(beast::error_code ec) {
    if (ec) return CloseNow();
    peer_cert_ = ReadPeerCertificate(tls_->native_handle());
    ReadHeader();
  }

  void ReadHeader() {
    if (closed_) return;
    parser_.emplace();
    parser_->header_limit(kHeaderLimit);
    parser_->body_limit(server_->options().max_body_bytes);
    ExpiresAfter(server_->options().idle_timeout);
    WithStream([this](auto& stream) {
      http::async_read_header(stream, buffer_, *parser_,
                              beast::bind_front_handler(&Session::OnHeader, shared_from_this()));
    });
  }

  void OnHeader(beast::error_code ec, size_t) {
    if (ec) return OnReadError(ec);
    ExpiresAfter(server_->options().body_timeout);
    WithStream([this](auto& stream) {
      http::async_read(stream, buffer_, *parser_,
                       beast::bind_front_handler(&Session::OnBody, shared_from_this()));
    });
  }

  void OnReadError(beast::error_code ec) {
    if (closed_) return;
    if (ec == http::error::body_limit) {
      return WriteError(413, "request body exceeds " +
                                 std::to_string(server_->options().max_body_bytes) + " bytes");
    }
    // A peer that hangs up between or inside requests is not malformed.
    bool hung_up = ec == http::error::end_of_stream || ec == http::error::partial_message;
    if (!hung_up && ec.category() == http::make_error_code(http::error::bad_method).category()) {
      return WriteError(400, "malformed request: " + ec.message());
    }
    CloseNow();  // timeout, reset, TLS failure, Stop()
  }

  void OnBody(beast::error_code ec, size_t) {
    if (ec) return OnReadError(ec);
    ExpiresNever();  // the handler may take its time
    TakeRequest(parser_->release());
    parser_.reset();
    CallHandler();
  }

  void TakeRequest(http::request<http::string_body> msg) {
    request_ = Request{};
    request_.method = std::string(msg.method_string());
    request_.target = std::string(msg.target());
    std::string_view target = msg.target();
    size_t question = target.find('?');
    request_.path = PercentDecode(target.substr(0, question), false);
    if (question != std::string_view::npos) request_.query = ParseQuery(target.substr(question + 1));
    for (const auto& field : msg) {
      request_.headers.Add(std::string(field.name_string()), std::string(field.value()));
    }
    request_.body = std::move(msg.body());
    request_.remote_address = remote_address_;
    request_.remote_port = remote_port_;
    request_.peer_cert = peer_cert_;
    version_ = msg.version();
    keep_alive_ = msg.keep_alive();
  }

  void CallHandler();

  void OnDeliver(uint64_t seq, Response response) {
    if (closed_ || !awaiting_response_ || seq != seq_) return;
    awaiting_response_ = false;
    bool keep_alive = keep_alive_;
    if (auto connection = response.headers.Get("Connection");
        connection && strcasecmp(connection->c_str(), "close") == 0) {
      keep_alive = false;
    }
    Write(std::move(response), keep_alive);
  }

  // Answers a request we could not read, then closes.
  void WriteError(int status, std::string text) {
    awaiting_response_ = false;
    ++seq_;  // a late Respond for an older request must not write now
    version_ = 11;
    Write(Response::Text(status, std::move(text)), false);
  }

  void Write(Response response, bool keep_alive) {
    response_ = {};
    response_.version(version_);
    bool valid = response.status >= 100 && response.status <= 999;
    response_.result(static_cast<unsigned>(valid ? response.status : 500));
    for (const auto& [name, value] : response.headers) {
      if (strcasecmp(name.c_str(), "Connection") != 0) response_.insert(name, value);
    }
    response_.body() = std::move(response.body);
    response_.keep_alive(keep_alive);
    response_.prepare_payload();
    ExpiresAfter(server_->options().write_timeout);
    WithStream([this, keep_alive](auto& stream) {
      http::async_write(
          stream, response_,
          beast::bind_front_handler(&Session::OnWrite, shared_from_this(), keep_alive));
    });
  }

  void OnWrite(bool keep_alive, beast::error_code ec, size_t) {
    if (ec) return CloseNow();
    if (!keep_alive) return LingerThenClose();
    ReleaseIdleMemory();
    ReadHeader();
  }

  // Between requests a kept-alive connection (an agent's long poll or its
  // POST connection: two per managed host) holds no request, response or
  // read buffer; they grow again with the next request.
  // Swapped out, not assigned: assigning an empty std::string keeps the
  // old capacity (a 24 KiB DATA body stayed on every POST connection).
  void ReleaseIdleMemory() {
    Request idle_request;
    std::swap(request_, idle_request);
    http::response<http::string_body> idle_response;
    std::swap(response_, idle_response);
    if (buffer_.size() == 0) buffer_.shrink_to_fit();
  }

  // Closing a socket with unread input makes the kernel send a reset, which
  // can destroy the response we just wrote (a 413 while the body is still
  // arriving). So stop sending, discard input for a moment, then close.
  void LingerThenClose() {
    if (closed_) return;
    beast::error_code ec;
    Tcp().socket().shutdown(tcp::socket::shutdown_send, ec);
    if (ec) return CloseNow();
    ExpiresNever();
    Tcp().expires_after(std::chrono::seconds(1));
    Discard();
  }

  void Discard() {
    drain_.resize(4096);
    Tcp().async_read_some(asio::buffer(drain_),
                          [self = shared_from_this()](beast::error_code ec, size_t) {
                            if (ec) return self->CloseNow();  // EOF, timeout or Stop()
                            self->Discard();
                          });
  }

  void CloseNow() {
    if (closed_) return;
    closed_ = true;
    beast::error_code ec;
    Tcp().socket().shutdown(tcp::socket::shutdown_send, ec);
    Tcp().close();
  }

  std::shared_ptr<HttpsServer::Impl> server_;
  asio::any_io_executor executor_;  // the connection's strand
  std::optional<TlsStream> tls_;
  std::optional<beast::tcp_stream> plain_;
  std::string remote_address_;
  uint16_t remote_port_ = 0;
  PeerCertificate peer_cert_;

  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  Request request_;  // the request being handled; stays put until answered
  unsigned version_ = 11;
  bool keep_alive_ = true;
  uint64_t seq_ = 0;  // numbers requests so late responses can be matched
  bool awaiting_response_ = false;
  bool closed_ = false;
  http::response<http::string_body> response_;
  std::string drain_;  // discarded input while lingering
};

// Shared by all copies of one Respond: makes the first call win and turns
// "every copy dropped" into a 500 so the client is never left hanging.
class ResponseSlot {
 public:
  ResponseSlot(std::shared_ptr<Session> session, uint64_t seq)
      : session_(std::move(session)), seq_(seq) {}
  ~ResponseSlot() {
    if (!used_.exchange(true)) {
      session_->Deliver(seq_, Response::Text(500, "the handler dropped the request"));
    }
  }
  ResponseSlot(const ResponseSlot&) = delete;
  ResponseSlot& operator=(const ResponseSlot&) = delete;

  void Send(Response response) {
    if (!used_.exchange(true)) session_->Deliver(seq_, std::move(response));
  }

 private:
  std::shared_ptr<Session> session_;
  uint64_t seq_;
  std::atomic<bool> used_{false};
};

void Session::CallHandler() {
  awaiting_response_ = true;
  ++seq_;
  auto slot = std::make_shared<ResponseSlot>(shared_from_this(), seq_);
  Respond respond = [slot](Response response) { slot->Send(std::move(response)); };
  bool called = server_->CallHandler([&](const Handler& handler) {
    try {
      handler(request_, respond);
    } catch (const std::exception& e) {
      respond(Response::Text(500, std::string("handler failed: ") + e.what()));
    } catch (...) {
      respond(Response::Text(500, "handler failed"));
    }
  });
  if (!called) CloseNow();  // the server is stopping
}

}  // namespace

Status HttpsServer::Impl::Listen() {
  beast::error_code ec;
  asio::ip::address address = asio::ip::make_address(options_.address, ec);
  if (ec) return Status::InvalidArgument("bad listen address '" + options_.address + "'");
  tcp::endpoint endpoint(address, options_.port);
  std::string where = options_.address + ":" + std::to_string(options_.port);
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return Status::Unavailable("listening on " + where + ": " + ec.message());
  port_ = acceptor_.local_endpoint(ec).port();
  return Status::Ok();
}

void HttpsServer::Impl::Accept() {
  // Each connection gets its own strand.
  acceptor_.async_accept(asio::make_strand(io_),
                         beast::bind_front_handler(&Impl::OnAccept, shared_from_this()));
}

void HttpsServer::Impl::OnAccept(beast::error_code ec, tcp::socket socket) {
  if (!acceptor_.is_open()) return;
  if (ec) {
    // Out of file descriptors and the like: back off instead of spinning.
    backoff_.expires_after(std::chrono::milliseconds(100));
    backoff_.async_wait([self = shared_from_this()](beast::error_code wait_ec) {
      if (!wait_ec && self->acceptor_.is_open()) self->Accept();
    });
    return;
  }
  auto session = std::make_shared<Session>(shared_from_this(), std::move(socket));
  {
    std::lock_guard lock(mu_);
    if (stopped_) return;
    sessions_[session.get()] = session;
  }
  accepted_.fetch_add(1);
  session->Run();
  Accept();
}

void HttpsServer::Impl::Stop() {
  std::vector<std::shared_ptr<Session>> live;
  {
    std::lock_guard lock(mu_);
    if (stopped_) return;
    stopped_ = true;
    for (auto& [raw, weak] : sessions_) {
      if (auto session = weak.lock()) live.push_back(std::move(session));
    }
  }
  asio::post(acceptor_.get_executor(), [self = shared_from_this()] {
    beast::error_code ec;
    self->acceptor_.close(ec);
    self->backoff_.cancel();
  });
  for (auto& session : live) session->Close();
  gate_.Close();
}

void HttpsServer::Impl::Forget(Session* session) {
  std::lock_guard lock(mu_);
  sessions_.erase(session);
}

Result<std::unique_ptr<HttpsServer>> HttpsServer::Start(asio::io_context& io,
                                                        ServerOptions options, Handler handler) {
  if (!handler) return Status::InvalidArgument("HttpsServer needs a handler");
  std::shared_ptr<ssl::context> tls;
  if (options.tls) {
    auto made = MakeServerTlsContext(*options.tls);
    if (!made.ok()) return made.status();
    tls = std::move(made).value();
  }
  auto impl = std::make_shared<Impl>(io, std::move(options), std::move(handler), std::move(tls));
  CS_RETURN_IF_ERROR(impl->Listen());
  impl->Accept();
  return std::unique_ptr<HttpsServer>(new HttpsServer(std::move(impl)));
}

HttpsServer::HttpsServer(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}
HttpsServer::~HttpsServer() { Stop(); }
uint16_t HttpsServer::port() const { return impl_->port(); }
void HttpsServer::Stop() { impl_->Stop(); }
uint64_t HttpsServer::accepted_connections() const { return impl_->accepted(); }
size_t HttpsServer::open_connections() const { return impl_->open(); }

}  // namespace cs::net
