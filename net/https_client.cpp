// Client flow for one request (everything on the client's strand):
//   [resolve -> connect -> TLS handshake] -> write -> read -> callback
// The bracketed part is skipped while a kept-alive connection exists. One
// steady_timer bounds the whole request. Every completion handler carries
// the request number (op_) and the connection it ran on, so handlers of an
// aborted request or of a dropped connection recognise themselves as stale
// and do nothing.
#include "net/https_client.h"

#include <strings.h>

#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <list>
#include <map>
#include <mutex>
#include <vector>

#include "net/call_gate.h"
#include "net/tls_peer.h"
#include "net/tls_stream.h"

namespace cs::net {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;

namespace {

using Strand = asio::strand<asio::io_context::executor_type>;

// One TCP (+TLS) connection. Handlers hold a shared_ptr to it so the stream
// outlives its pending operations even after the client dropped it.
struct Connection {
  Connection(const Strand& strand, std::shared_ptr<ssl::context> context,
             std::shared_ptr<const TlsIdentity> who, uint64_t gen)
      : tls_context(std::move(context)), identity(std::move(who)), generation(gen) {
    if (tls_context) {
      tls.emplace(strand, tls_context->native_handle());
    } else {
      plain.emplace(strand);
    }
  }

  beast::tcp_stream& Tcp() { return tls ? tls->next_layer() : *plain; }

  template <typename F>
  void WithStream(F&& f) {
    if (tls) {
      f(*tls);
    } else {
      f(*plain);
    }
  }

  void Close() {
    beast::error_code ec;
    Tcp().socket().shutdown(tcp::socket::shutdown_both, ec);
    Tcp().close();
  }

  std::shared_ptr<ssl::context> tls_context;  // null for http://; shared by many clients
  std::shared_ptr<const TlsIdentity> identity;  // null: no client certificate
  std::optional<TlsStream> tls;
  std::optional<beast::tcp_stream> plain;
  // Holds what was read past a response; emptied and shrunk between
  // requests, so an idle connection keeps no buffer.
  beast::flat_buffer buffer;
  uint64_t generation;  // the client certificate generation it was opened with
};

struct Pending {
  ClientRequest request;
  ResponseCallback done;
};

// The messages of one request. Like Connection, handlers hold it: an
// aborted read may still be touching the parser after the client moved on.
struct Exchange {
  http::request<http::string_body> message;
  std::optional<http::response_parser<http::string_body>> parser;
};

std::string Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return std::string(s);
}

// True when a Set-Cookie header asks to delete the cookie (Max-Age <= 0).
bool ExpiresNow(std::string_view attributes) {
  while (!attributes.empty()) {
    size_t semi = attributes.find(';');
    std::string attribute = Trim(attributes.substr(0, semi));
    attributes = semi == std::string_view::npos ? "" : attributes.substr(semi + 1);
    if (strncasecmp(attribute.c_str(), "max-age=", 8) == 0) {
      return std::atol(attribute.c_str() + 8) <= 0;
    }
  }
  return false;
}

}  // namespace

class HttpsClient::Impl : public std::enable_shared_from_this<Impl> {
 public:
  Impl(asio::io_context& io, Url base, ClientOptions options, std::shared_ptr<ssl::context> tls,
       std::shared_ptr<const TlsIdentity> identity)
      : strand_(asio::make_strand(io)),
        base_(std::move(base)),
        options_(std::move(options)),
        resolver_(strand_),
        timer_(strand_),
        tls_context_(std::move(tls)),
        identity_(std::move(identity)) {}

  void Send(ClientRequest request, ResponseCallback done) {
    asio::post(strand_, [self = shared_from_this(),
                         pending = Pending{std::move(request), std::move(done)}]() mutable {
      self->queue_.push_back(std::move(pending));
      self->MaybeStartNext();
    });
  }

  Status SetClientCertificate(std::string cert_pem, std::string key_pem) {
    auto made = TlsIdentity::FromPem(cert_pem, key_pem);
    if (!made.ok()) return made.status();
    asio::post(strand_, [self = shared_from_this(), identity = std::move(made).value()] {
      self->identity_ = identity;
      ++self->generation_;  // Begin() will not reuse an older connection
    });
    return Status::Ok();
  }

  void Close() {
    asio::post(strand_, [self = shared_from_this()] { self->Abort(); });
  }

  // From ~HttpsClient: no callback after this returns.
  void Detach() {
    gate_.Close();
    Close();
  }

  std::optional<std::string> GetCookie(std::string_view name) const {
    std::lock_guard lock(cookie_mu_);
    auto it = cookies_.find(std::string(name));
    if (it == cookies_.end()) return std::nullopt;
    return it->second;
  }
  void SetCookie(std::string name, std::string value) {
    std::lock_guard lock(cookie_mu_);
    cookies_[std::move(name)] = std::move(value);
  }
  void ClearCookies() {
    std::lock_guard lock(cookie_mu_);
    cookies_.clear();
  }

  const Url& base() const { return base_; }
  uint64_t connections_opened() const { return connections_opened_.load(); }

 private:
  // A handler for step `op` on connection `conn` that should be ignored.
  bool Stale(uint64_t op, const std::shared_ptr<Connection>& conn) const {
    return op != op_ || conn != conn_;
  }

  void MaybeStartNext() {
    if (current_ || queue_.empty()) return;
    if (gate_.closed()) return queue_.clear();
    current_ = std::move(queue_.front());
    queue_.pop_front();
    retried_ = false;
    std::chrono::milliseconds timeout = current_->request.timeout.count() > 0
                                            ? current_->request.timeout
                                            : options_.default_timeout;
    timer_.expires_after(timeout);
    timer_.async_wait([self = shared_from_this(), op = op_, timeout](beast::error_code ec) {
      if (ec || op != self->op_) return;
      self->Fail("timed out after " + std::to_string(timeout.count()) + " ms");
    });
    exchange_ = std::make_shared<Exchange>();
    BuildMessage(current_->request, exchange_->message);
    Begin();
  }

  void BuildMessage(ClientRequest& request, http::request<http::string_body>& message) {
    message.version(11);
    message.method_string(request.method);
    message.target(JoinPath(base_.path, request.target));
    message.set(http::field::host, base_.HostHeader());
    message.set(http::field::user_agent, options_.user_agent);
    for (const auto& [name, value] : request.headers) message.insert(name, value);
    if (options_.use_cookies && !request.headers.Has("Cookie")) {
      std::string cookie = CookieHeader();
      if (!cookie.empty()) message.set(http::field::cookie, cookie);
    }
    message.body() = std::move(request.body);
    message.keep_alive(true);
    message.prepare_payload();
  }

  void Begin() {
    if (conn_ && conn_->generation != generation_) DropConnection();
    reusing_ = conn_ != nullptr;
    if (reusing_) return Write();
    Resolve();
  }

  void Resolve() {
    beast::error_code ec;
    asio::ip::address address = asio::ip::make_address(base_.host, ec);
    if (!ec) return Connect({tcp::endpoint(address, base_.port)});  // no resolver needed
    resolver_.async_resolve(
        base_.host, std::to_string(base_.port),
        [self = shared_from_this(), op = op_](beast::error_code resolve_ec,
                                              tcp::resolver::results_type results) {
          if (op != self->op_) return;
          if (resolve_ec) return self->Fail("resolving " + self->base_.host, resolve_ec);
          // "localhost" may give ::1 and 127.0.0.1: try each in turn.
          std::vector<tcp::endpoint> endpoints;
          for (const auto& entry : results) endpoints.push_back(entry.endpoint());
          self->Connect(endpoints);
        });
  }

  void Connect(const std::vector<tcp::endpoint>& endpoints) {
    conn_ = std::make_shared<Connection>(strand_, base_.tls() ? tls_context_ : nullptr, identity_,
                                         generation_);
    connections_opened_.fetch_add(1);
    conn_->Tcp().async_connect(
        endpoints, [self = shared_from_this(), op = op_, conn = conn_](beast::error_code ec,
                                                                       const tcp::endpoint&) {
          if (self->Stale(op, conn)) return;
          if (ec) return self->Fail("connecting", ec);
          self->Handshake();
        });
  }

  void Handshake() {
    if (!conn_->tls) return Write();
    SSL* ssl = conn_->tls->native_handle();
    if (ssl == nullptr) return Fail("TLS: out of memory");
    if (!ExpectPeerName(ssl, base_.host)) return Fail("bad TLS host name " + base_.host);
    if (conn_->identity) {
      Status applied = conn_->identity->ApplyTo(ssl);
      if (!applied.ok()) return Fail(applied.message());
    }
    conn_->tls->async_handshake(
        ssl::stream_base::client,
        [self = shared_from_this(), op = op_, conn = conn_](beast::error_code ec) {
          if (self->Stale(op, conn)) return;
          if (!ec) return self->Write();
          std::string reason = VerifyFailure(conn->tls->native_handle());
          if (reason.empty()) return self->Fail("TLS handshake", ec);
          self->Fail("TLS handshake: server certificate verify failed: " + reason);
        });
  }

  void Write() {
    conn_->WithStream([this](auto& stream) {
      http::async_write(stream, exchange_->message,
                        [self = shared_from_this(), op = op_, conn = conn_, ex = exchange_](
                            beast::error_code ec, size_t) {
                          if (self->Stale(op, conn)) return;
                          if (ec) return self->RetryOrFail("sending", ec);
                          self->Read();
                        });
    });
  }

  void Read() {
    exchange_->parser.emplace();
    exchange_->parser->body_limit(options_.max_response_body_bytes);
    // A response to HEAD announces a body it does not carry.
    if (exchange_->message.method() == http::verb::head) exchange_->parser->skip(true);
    conn_->WithStream([this](auto& stream) {
      http::async_read(stream, conn_->buffer, *exchange_->parser,
                       [self = shared_from_this(), op = op_, conn = conn_, ex = exchange_](
                           beast::error_code ec, size_t) {
                         if (self->Stale(op, conn)) return;
                         if (ec) return self->RetryOrFail("reading the response", ec);
                         self->OnResponse();
                       });
    });
  }

  void OnResponse() {
    http::response<http::string_body> message = exchange_->parser->release();
    Response response;
    response.status = static_cast<int>(message.result_int());
    for (const auto& field : message) {
      response.headers.Add(std::string(field.name_string()), std::string(field.value()));
    }
    response.body = std::move(message.body());
    if (options_.use_cookies) StoreCookies(response.headers);
    if (!message.keep_alive()) {
      DropConnection();
    } else if (conn_->buffer.size() == 0) {
      conn_->buffer.shrink_to_fit();  // idle until the next request: keep no buffer
    }
    Finish(std::move(response));
  }

  // A kept-alive connection may have been closed by the server while idle;
  // that shows as EOF/reset before any byte of the response. Retry such a
  // request once on a fresh connection (the server never saw it whole).
  void RetryOrFail(const std::string& what, beast::error_code ec) {
    bool nothing_received = !exchange_->parser || !exchange_->parser->got_some();
    bool hangup = ec == http::error::end_of_stream || ec == asio::error::eof ||
                  ec == asio::error::connection_reset || ec == asio::error::broken_pipe ||
                  ec == ssl::error::stream_truncated;
    DropConnection();
    if (reusing_ && !retried_ && nothing_received && hangup) {
      retried_ = true;
      reusing_ = false;
      exchange_->parser.reset();
      return Resolve();
    }
    Fail(what, ec);
  }

  void Fail(const std::string& what, beast::error_code ec) { Fail(what + ": " + ec.message()); }

  void Fail(const std::string& what) {
    DropConnection();
    const auto& message = exchange_->message;
    Finish(Status::Unavailable(std::string(message.method_string()) + " " + base_.ToString() +
                               " (" + std::string(message.target()) + "): " + what));
  }

  void Finish(Result<Response> result) {
    ++op_;  // every handler of this request is stale from now on
    timer_.cancel();
    exchange_.reset();
    Pending done = std::move(*current_);
    current_.reset();
    gate_.Call([&] { done.done(std::move(result)); });
    MaybeStartNext();
  }

  void Abort() {
    resolver_.cancel();
    DropConnection();
    std::list<Pending> queued = std::move(queue_);
    queue_.clear();
    if (current_) Fail("client closed");
    for (Pending& pending : queued) {
      gate_.Call([&] { pending.done(Status::Unavailable("client closed")); });
    }
  }

  void DropConnection() {
    if (!conn_) return;
    conn_->Close();  // pending operations finish with operation_aborted
    conn_.reset();
  }

  std::string CookieHeader() const {
    std::lock_guard lock(cookie_mu_);
    std::string out;
    for (const auto& [name, value] : cookies_) {
      if (!out.empty()) out += "; ";
      out += name + "=" + value;
    }
    return out;
  }

  void StoreCookies(const Headers& headers) {
    std::lock_guard lock(cookie_mu_);
    for (const std::string& set_cookie : headers.GetAll("Set-Cookie")) {
      std::string_view text = set_cookie;
      size_t semi = text.find(';');
      std::string_view pair = text.substr(0, semi);
      size_t eq = pair.find('=');
      if (eq == std::string_view::npos) continue;
      std::string name = Trim(pair.substr(0, eq));
      std::string value = Trim(pair.substr(eq + 1));
      bool expired = semi != std::string_view::npos && ExpiresNow(text.substr(semi + 1));
      if (name.empty()) continue;
      if (expired || value.empty()) {
        cookies_.erase(name);
      } else {
        cookies_[name] = value;
      }
    }
  }

  Strand strand_;
  const Url base_;
  const ClientOptions options_;
  tcp::resolver resolver_;
  asio::steady_timer timer_;
  CallGate gate_;
  std::atomic<uint64_t> connections_opened_{0};

  // Used on the strand only.
  std::shared_ptr<ssl::context> tls_context_;
  std::shared_ptr<const TlsIdentity> identity_;
  uint64_t generation_ = 0;  // bumped by SetClientCertificate
  std::shared_ptr<Connection> conn_;
  std::list<Pending> queue_;  // a list: an empty one allocates nothing
  std::optional<Pending> current_;
  uint64_t op_ = 0;
  bool reusing_ = false;
  bool retried_ = false;
  std::shared_ptr<Exchange> exchange_;  // of the current request

  mutable std::mutex cookie_mu_;
  std::map<std::string, std::string> cookies_;
};

bool RequestNeverSent(const Status& failure) {
  if (failure.ok() || failure.code() != Status::Code::kUnavailable) return false;
  const std::string& m = failure.message();
  // The phrases are Fail's and RetryOrFail's "what" (above), after the
  // request's "METHOD base (target): ".
  if (m.find("): TLS handshake: server certificate verify failed") != std::string::npos) return false;
  for (const char* phase : {"): resolving ", "): connecting: ", "): TLS handshake: ", "): sending: "}) {
    if (m.find(phase) != std::string::npos) return true;
  }
  return false;
}

Result<std::unique_ptr<HttpsClient>> HttpsClient::Create(asio::io_context& io,
                                                         std::string_view base_url,
                                                         ClientOptions options) {
  auto url = Url::Parse(base_url);
  if (!url.ok()) return url.status();
  std::shared_ptr<ssl::context> tls = options.shared_tls_context;
  std::shared_ptr<const TlsIdentity> identity = options.identity;
  if (url->tls() && !identity &&
      (!options.tls.client_cert_pem.empty() || !options.tls.client_key_pem.empty())) {
    auto parsed = TlsIdentity::FromPem(options.tls.client_cert_pem, options.tls.client_key_pem);
    if (!parsed.ok()) return parsed.status();
    identity = std::move(parsed).value();
  }
  if (url->tls() && !tls) {
    TlsClientConfig verification = options.tls;  // the identity goes on each connection instead
    verification.client_cert_pem.clear();
    verification.client_key_pem.clear();
    auto made = MakeClientTlsContext(verification);
    if (!made.ok()) return made.status();
    tls = std::move(made).value();
  }
  options.tls.client_key_pem.clear();  // parsed: the secret text is not kept
  auto impl = std::make_shared<Impl>(io, std::move(url).value(), std::move(options), std::move(tls),
                                     std::move(identity));
  return std::unique_ptr<HttpsClient>(new HttpsClient(std::move(impl)));
}

HttpsClient::HttpsClient(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}
HttpsClient::~HttpsClient() { impl_->Detach(); }

void HttpsClient::Send(ClientRequest request, ResponseCallback done) {
  impl_->Send(std::move(request), std::move(done));
}
Status HttpsClient::SetClientCertificate(std::string cert_pem, std::string key_pem) {
  return impl_->SetClientCertificate(std::move(cert_pem), std::move(key_pem));
}
void HttpsClient::Close() { impl_->Close(); }
std::optional<std::string> HttpsClient::GetCookie(std::string_view name) const {
  return impl_->GetCookie(name);
}
void HttpsClient::SetCookie(std::string name, std::string value) {
  impl_->SetCookie(std::move(name), std::move(value));
}
void HttpsClient::ClearCookies() { impl_->ClearCookies(); }
const Url& HttpsClient::base_url() const { return impl_->base(); }
uint64_t HttpsClient::connections_opened() const { return impl_->connections_opened(); }

}  // namespace cs::net
