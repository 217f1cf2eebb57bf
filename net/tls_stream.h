// TlsStream: TLS over a beast::tcp_stream, with OpenSSL reading and writing
// the socket itself. Internal to net/ (https_client.cpp, https_server.cpp).
//
// Why not Asio's ssl::stream: its engine keeps four 17 KiB buffers for the
// life of every connection (a BIO pair of two, and the stream core's input
// and output buffers), 68 KiB per connection even when idle. With two
// connections per simulated agent and two per managed host that alone is
// more than the 64 KiB per server the fleet may use (docs/performance.md).
// Here the SSL object is bound to the socket's descriptor (a socket BIO
// that sends with MSG_NOSIGNAL, the socket non-blocking) and an operation that would block waits for
// readiness with async_wait. With SSL_MODE_RELEASE_BUFFERS an idle
// connection keeps no record buffer at all: what is left is the SSL object
// and its session.
//
// One read and one write may be in flight at once, as with any Asio stream;
// handshake, read and write never complete inside their initiating call.
// expires_after() bounds the operations that follow it, as
// beast::tcp_stream's does (they fail with beast::error::timeout).
#pragma once

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <sys/socket.h>

#include <boost/asio/compose.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/ssl/stream_base.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <cerrno>
#include <chrono>
#include <memory>
#include <vector>

namespace cs::net {

// OpenSSL's own socket BIO writes with write(2), which raises SIGPIPE on a
// connection the peer closed; this one sends with MSG_NOSIGNAL, as Asio
// does, so a hung-up peer is an error code and never a signal.
inline BIO_METHOD* NoSigpipeSocketBio() {
  static BIO_METHOD* const method = [] {
    BIO_METHOD* m = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK | BIO_TYPE_DESCRIPTOR,
                                 "cluster-sim socket");
    BIO_meth_set_write_ex(m, [](BIO* b, const char* data, size_t len, size_t* written) -> int {
      BIO_clear_retry_flags(b);
      const ssize_t n = ::send(static_cast<int>(reinterpret_cast<intptr_t>(BIO_get_data(b))), data, len, MSG_NOSIGNAL);
      if (n >= 0) {
        *written = static_cast<size_t>(n);
        return 1;
      }
      if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) BIO_set_retry_write(b);
      return 0;
    });
    BIO_meth_set_read_ex(m, [](BIO* b, char* data, size_t len, size_t* got) -> int {
      BIO_clear_retry_flags(b);
      const ssize_t n = ::recv(static_cast<int>(reinterpret_cast<intptr_t>(BIO_get_data(b))), data, len, 0);
      if (n > 0) {
        *got = static_cast<size_t>(n);
        return 1;
      }
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) BIO_set_retry_read(b);
      return 0;  // n == 0: the peer closed (OpenSSL reports an unexpected EOF)
    });
    BIO_meth_set_ctrl(m, [](BIO*, int cmd, long, void*) -> long {
      return cmd == BIO_CTRL_FLUSH || cmd == BIO_CTRL_DUP ? 1 : 0;
    });
    return m;
  }();
  return method;
}

class TlsStream {
 public:
  using executor_type = boost::beast::tcp_stream::executor_type;

  // `ctx` is shared (reference counted) by every stream made from it.
  TlsStream(boost::beast::tcp_stream&& tcp, SSL_CTX* ctx) : tcp_(std::move(tcp)), timer_(tcp_.get_executor()) {
    Init(ctx);
  }
  template <typename Executor>
  TlsStream(const Executor& executor, SSL_CTX* ctx) : tcp_(executor), timer_(tcp_.get_executor()) {
    Init(ctx);
  }
  TlsStream(const TlsStream&) = delete;
  TlsStream& operator=(const TlsStream&) = delete;
  ~TlsStream() {
    if (ssl_ != nullptr) SSL_free(ssl_);
  }

  executor_type get_executor() { return tcp_.get_executor(); }
  boost::beast::tcp_stream& next_layer() { return tcp_; }
  // Null only if OpenSSL could not allocate it (every operation then fails).
  SSL* native_handle() { return ssl_; }

  // Deadline for the operations in flight and those that follow.
  void expires_after(std::chrono::steady_clock::duration d) {
    timed_out_ = false;
    timer_.expires_after(d);
    // The handler may run after the stream is gone (it fired just before
    // the owner let go): `alive` says whether `this` still exists.
    timer_.async_wait([this, alive = std::weak_ptr<char>(alive_),
                       generation = ++deadline_generation_](const boost::system::error_code& ec) {
      if (ec || alive.expired() || generation != deadline_generation_) return;
      timed_out_ = true;
      boost::system::error_code ignored;
      tcp_.socket().cancel(ignored);
    });
  }
  void expires_never() {
    ++deadline_generation_;
    timed_out_ = false;
    timer_.cancel();
  }

  template <typename Handler>
  auto async_handshake(boost::asio::ssl::stream_base::handshake_type type, Handler&& handler) {
    return boost::asio::async_compose<Handler, void(boost::system::error_code)>(
        Op<HandshakeStep, false>(this, HandshakeStep{type}), handler, tcp_);
  }

  template <typename MutableBuffers, typename Handler>
  auto async_read_some(const MutableBuffers& buffers, Handler&& handler) {
    return boost::asio::async_compose<Handler, void(boost::system::error_code, std::size_t)>(
        Op<ReadStep<MutableBuffers>, true>(this, ReadStep<MutableBuffers>{buffers}), handler, tcp_);
  }

  template <typename ConstBuffers, typename Handler>
  auto async_write_some(const ConstBuffers& buffers, Handler&& handler) {
    return boost::asio::async_compose<Handler, void(boost::system::error_code, std::size_t)>(
        Op<WriteStep, true>(this, WriteStep(buffers)), handler, tcp_);
  }

 private:
  // What one attempt of an SSL call gives: done (with bytes), wait for the
  // socket to be readable or writable, or an error.
  enum class Outcome { kDone, kWantRead, kWantWrite, kFailed };
  struct Attempt {
    Outcome outcome = Outcome::kFailed;
    std::size_t bytes = 0;
    boost::system::error_code ec;
  };

  void Init(SSL_CTX* ctx) {
    ssl_ = SSL_new(ctx);
    if (ssl_ == nullptr) return;
    SSL_set_mode(ssl_, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER |
                           SSL_MODE_RELEASE_BUFFERS);
  }

  // Turns the result of an SSL call (ret > 0: success) into an Attempt.
  Attempt Classify(int ret, std::size_t bytes) {
    Attempt a;
    if (ret > 0) {
      a.outcome = Outcome::kDone;
      a.bytes = bytes;
      return a;
    }
    const int saved_errno = errno;
    const int error = SSL_get_error(ssl_, ret);
    switch (error) {
      case SSL_ERROR_WANT_READ: a.outcome = Outcome::kWantRead; return a;
      case SSL_ERROR_WANT_WRITE: a.outcome = Outcome::kWantWrite; return a;
      case SSL_ERROR_ZERO_RETURN: a.ec = boost::asio::error::eof; return a;  // close_notify
      case SSL_ERROR_SYSCALL: {
        const unsigned long queued = ERR_get_error();
        if (queued != 0) {
          a.ec = boost::system::error_code(static_cast<int>(queued), boost::asio::error::get_ssl_category());
        } else if (saved_errno != 0) {
          a.ec = boost::system::error_code(saved_errno, boost::system::system_category());
        } else {
          a.ec = boost::asio::ssl::error::stream_truncated;  // EOF without close_notify
        }
        return a;
      }
      default: {
        const unsigned long queued = ERR_get_error();
        if (ERR_GET_REASON(queued) == SSL_R_UNEXPECTED_EOF_WHILE_READING) {
          a.ec = boost::asio::ssl::error::stream_truncated;
        } else {
          a.ec = boost::system::error_code(static_cast<int>(queued != 0 ? queued : ERR_PACK(ERR_LIB_SSL, 0, ERR_R_INTERNAL_ERROR)),
                                           boost::asio::error::get_ssl_category());
        }
        return a;
      }
    }
  }

  // A step is one retryable SSL call on behalf of an operation.
  struct HandshakeStep {
    boost::asio::ssl::stream_base::handshake_type type;
    bool started = false;
    Attempt operator()(TlsStream& s) {
      if (!started) {
        started = true;
        BIO* bio = BIO_new(NoSigpipeSocketBio());
        if (bio == nullptr) return Attempt{Outcome::kFailed, 0, boost::asio::error::no_memory};
        BIO_set_data(bio, reinterpret_cast<void*>(static_cast<intptr_t>(s.tcp_.socket().native_handle())));
        BIO_set_init(bio, 1);
        SSL_set_bio(s.ssl_, bio, bio);  // one reference, for both directions
        boost::system::error_code ec;
        s.tcp_.socket().non_blocking(true, ec);
        if (ec) return Attempt{Outcome::kFailed, 0, ec};
        if (type == boost::asio::ssl::stream_base::client) {
          SSL_set_connect_state(s.ssl_);
        } else {
          SSL_set_accept_state(s.ssl_);
        }
      }
      return s.Classify(SSL_do_handshake(s.ssl_), 0);
    }
  };

  template <typename MutableBuffers>
  struct ReadStep {
    MutableBuffers buffers;
    Attempt operator()(TlsStream& s) {
      // Into the first non-empty buffer, as Asio's own streams read.
      for (auto it = boost::asio::buffer_sequence_begin(buffers); it != boost::asio::buffer_sequence_end(buffers);
           ++it) {
        boost::asio::mutable_buffer b(*it);
        if (b.size() == 0) continue;
        std::size_t got = 0;
        const int ret = SSL_read_ex(s.ssl_, b.data(), b.size(), &got);  // before `got` is read
        return s.Classify(ret, got);
      }
      return Attempt{Outcome::kDone, 0, {}};
    }
  };

  // Writes gather a sequence of small pieces (an HTTP header is many) into
  // one record of at most 16 KiB; the copy lives only as long as the write.
  struct WriteStep {
    static constexpr std::size_t kGather = 16 * 1024;
    boost::asio::const_buffer first;
    std::shared_ptr<std::vector<unsigned char>> gathered;

    template <typename ConstBuffers>
    explicit WriteStep(const ConstBuffers& buffers) {
      std::size_t pieces = 0, total = 0;
      for (auto it = boost::asio::buffer_sequence_begin(buffers); it != boost::asio::buffer_sequence_end(buffers);
           ++it) {
        boost::asio::const_buffer b(*it);
        if (b.size() == 0) continue;
        if (pieces++ == 0) first = b;
        total += b.size();
      }
      if (pieces < 2 || first.size() >= kGather) return;
      gathered = std::make_shared<std::vector<unsigned char>>();
      gathered->reserve(std::min(total, kGather));
      for (auto it = boost::asio::buffer_sequence_begin(buffers); it != boost::asio::buffer_sequence_end(buffers);
           ++it) {
        boost::asio::const_buffer b(*it);
        const std::size_t take = std::min(b.size(), kGather - gathered->size());
        const auto* data = static_cast<const unsigned char*>(b.data());
        gathered->insert(gathered->end(), data, data + take);
        if (gathered->size() == kGather) break;
      }
      first = boost::asio::const_buffer(gathered->data(), gathered->size());
    }

    Attempt operator()(TlsStream& s) {
      if (first.size() == 0) return Attempt{Outcome::kDone, 0, {}};
      std::size_t put = 0;
      const int ret = SSL_write_ex(s.ssl_, first.data(), first.size(), &put);  // before `put` is read
      return s.Classify(ret, put);
    }
  };

  // The composed operation: attempt, wait for readiness, attempt again.
  // A result known at once is delivered through a post, so no handler runs
  // inside its initiating call.
  template <typename Step, bool kWithBytes>
  struct Op {
    Op(TlsStream* stream, Step first) : s(stream), step(std::move(first)) {}
    TlsStream* s;
    Step step;
    enum { kStart, kWaited, kDeliver } state = kStart;
    Attempt result;

    template <typename Self>
    void operator()(Self& self, boost::system::error_code wait_ec = {}) {
      switch (state) {
        case kStart:
          result = Try();
          if (result.outcome == Outcome::kDone || result.outcome == Outcome::kFailed) {
            state = kDeliver;
            return boost::asio::post(s->tcp_.get_executor(), std::move(self));
          }
          return Wait(self);
        case kWaited:
          if (wait_ec) {
            result = Attempt{Outcome::kFailed, 0, s->timed_out_ ? boost::beast::error::timeout : wait_ec};
            return Complete(self);
          }
          result = Try();
          if (result.outcome == Outcome::kDone || result.outcome == Outcome::kFailed) return Complete(self);
          return Wait(self);
        case kDeliver:
          return Complete(self);
      }
    }

    Attempt Try() {
      if (s->ssl_ == nullptr) return Attempt{Outcome::kFailed, 0, boost::asio::error::no_memory};
      if (s->timed_out_) return Attempt{Outcome::kFailed, 0, boost::beast::error::timeout};
      // Closed: the descriptor number may already belong to another socket.
      if (!s->tcp_.socket().is_open()) return Attempt{Outcome::kFailed, 0, boost::asio::error::bad_descriptor};
      ERR_clear_error();  // SSL_get_error reads this thread's queue
      errno = 0;
      return step(*s);
    }

    template <typename Self>
    void Wait(Self& self) {
      state = kWaited;
      auto what = result.outcome == Outcome::kWantRead ? boost::asio::socket_base::wait_read
                                                       : boost::asio::socket_base::wait_write;
      s->tcp_.socket().async_wait(what, std::move(self));
    }

    template <typename Self>
    void Complete(Self& self) {
      if constexpr (kWithBytes) {
        self.complete(result.ec, result.bytes);
      } else {
        self.complete(result.ec);
      }
    }
  };

  boost::beast::tcp_stream tcp_;
  SSL* ssl_ = nullptr;
  boost::asio::steady_timer timer_;
  uint64_t deadline_generation_ = 0;
  bool timed_out_ = false;
  std::shared_ptr<char> alive_ = std::make_shared<char>();
};

}  // namespace cs::net
