// TelnetClientCodec: the client side of the telnet protocol (RFC 854/855)
// for one connection, as pure byte logic. It strips IAC sequences out of what
// the server sends and answers option negotiation the way a terminal that
// lets the server echo would: it accepts the server's ECHO, SUPPRESS-GO-AHEAD
// and BINARY, performs SUPPRESS-GO-AHEAD itself and refuses everything else.
// It answers only requests that change an option's state (RFC 1143's rule),
// so it cannot loop with a server.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace cs {

class TelnetClientCodec {
 public:
  // Consumes bytes from the server: the printable data goes to *data, the
  // protocol answers to *reply. State carries over between calls.
  void Receive(std::string_view in, std::string* data, std::string* reply);

  // Doubles IAC bytes in what we type, as the protocol requires.
  static std::string Escape(std::string_view out);

 private:
  enum class State { kData, kIac, kOption, kSub, kSubIac };
  void Negotiate(uint8_t verb, uint8_t option, std::string* reply);

  State state_ = State::kData;
  uint8_t verb_ = 0;
  std::array<bool, 256> local_{};   // options we perform
  std::array<bool, 256> remote_{};  // options the server performs
};

}  // namespace cs
