#include "pdu_client/apc_session.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace cs {

namespace {

using Clock = std::chrono::steady_clock;

class Socket {
 public:
  explicit Socket(int fd) : fd_(fd) {}
  ~Socket() {
    if (fd_ >= 0) close(fd_);
  }
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  int fd() const { return fd_; }

 private:
  int fd_;
};

int MillisLeft(Clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
  return left < 0 ? 0 : static_cast<int>(left);
}

// Waits for `events` on fd until the deadline; false when the time is up.
bool WaitFor(int fd, short events, Clock::time_point deadline) {
  for (;;) {
    pollfd p{fd, events, 0};
    const int n = poll(&p, 1, MillisLeft(deadline));
    if (n > 0) return true;
    if (n == 0) return false;
    if (errno != EINTR) return false;
  }
}

Status Connect(const Socket& s, const std::string& host, int port, Clock::time_point deadline) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  if (inet_pton(AF_INET, host.c_str(), &addr.sin_addr) != 1) {
    return Status::InvalidArgument("'" + host + "' is not an IPv4 address");
  }
  fcntl(s.fd(), F_SETFL, fcntl(s.fd(), F_GETFL) | O_NONBLOCK);
  if (connect(s.fd(), reinterpret_cast<const sockaddr*>(&addr), sizeof addr) == 0) return Status::Ok();
  if (errno != EINPROGRESS) return Status::Unavailable(std::strerror(errno));
  if (!WaitFor(s.fd(), POLLOUT, deadline)) return Status::Unavailable("connection timed out");
  int error = 0;
  socklen_t len = sizeof error;
  getsockopt(s.fd(), SOL_SOCKET, SO_ERROR, &error, &len);
  return error == 0 ? Status::Ok() : Status::Unavailable(std::strerror(error));
}

Status SendAll(const Socket& s, const std::string& bytes, Clock::time_point deadline) {
  size_t sent = 0;
  while (sent < bytes.size()) {
    const ssize_t n = send(s.fd(), bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n > 0) {
      sent += static_cast<size_t>(n);
    } else if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
      if (!WaitFor(s.fd(), POLLOUT, deadline)) return Status::Unavailable("timed out sending");
    } else {
      return Status::Unavailable(std::string("sending: ") + std::strerror(errno));
    }
  }
  return Status::Ok();
}

// `idle`: how long the PDU may stay silent before we give up.
Status Converse(const Socket& s, ApcDialogue& dialogue, std::chrono::milliseconds idle) {
  char buf[4096];
  while (!dialogue.finished()) {
    const Clock::time_point deadline = Clock::now() + idle;
    if (!WaitFor(s.fd(), POLLIN, deadline)) {
      return Status::Unavailable("no answer in time while " + dialogue.Doing());
    }
    const ssize_t n = recv(s.fd(), buf, sizeof buf, 0);
    if (n == 0) return dialogue.Closed();
    if (n < 0) {
      if (errno == EAGAIN || errno == EINTR) continue;
      if (errno == ECONNRESET) return dialogue.Closed();
      return Status::Unavailable(std::string("reading: ") + std::strerror(errno));
    }
    const std::string reply = dialogue.Receive(std::string_view(buf, static_cast<size_t>(n)));
    if (!reply.empty()) CS_RETURN_IF_ERROR(SendAll(s, reply, deadline));
  }
  return dialogue.status();
}

}  // namespace

Result<ApcSessionResult> RunApcSession(const std::string& host, int port, const ApcPlan& plan,
                                       std::chrono::milliseconds timeout) {
  const std::string where = host + ":" + std::to_string(port);
  const Clock::time_point deadline = Clock::now() + timeout;
  Socket s(socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (s.fd() < 0) return Status::Unavailable(where + ": " + std::strerror(errno));
  Status connected = Connect(s, host, port, deadline);
  if (!connected.ok()) return connected.Context(where);
  ApcDialogue dialogue(plan);
  Status done = Converse(s, dialogue, timeout);
  if (!done.ok()) return done.Context(where);
  return ApcSessionResult{dialogue.outlets(), dialogue.switched()};
}

}  // namespace cs
