// TelnetCodec: the server side of the telnet protocol (RFC 854/855) for one
// connection, as pure byte logic. It strips IAC sequences out of what the
// client sends, answers option negotiation, and turns the NVT commands a
// person can type into the control characters a terminal would have sent
// (Interrupt Process becomes Ctrl-C), so the console above it sees one kind
// of input.
//
// Like an APC card it asks for "character at a time" mode: it offers WILL ECHO
// and WILL SUPPRESS-GO-AHEAD, and it agrees to BINARY both ways when asked.
// Then the inetutils telnet that fence_apc drives (after "set binary") sends
// pexpect's "\r\n" as one CR LF and Ctrl-C as a plain 0x03. Without BINARY it
// would send CR NUL CR LF (two Enters); in its line mode, LF LF per Enter and
// IAC IP IAC DO TIMING-MARK per Ctrl-C. Every other option is refused.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace cs {

namespace telnet {
constexpr uint8_t kSe = 240, kNop = 241, kDm = 242, kBrk = 243, kIp = 244,
                  kAo = 245, kAyt = 246, kEc = 247, kEl = 248, kGa = 249,
                  kSb = 250, kWill = 251, kWont = 252, kDo = 253, kDont = 254,
                  kIac = 255, kEof = 236;
constexpr uint8_t kOptBinary = 0, kOptEcho = 1, kOptSga = 3, kOptStatus = 5,
                  kOptTimingMark = 6, kOptTtype = 24, kOptNaws = 31,
                  kOptLinemode = 34;
}  // namespace telnet

class TelnetCodec {
 public:
  TelnetCodec();

  // What to send as soon as the connection opens: our option offers.
  std::string Greeting();

  // Consumes bytes from the client. Appends the application data (commands
  // mapped to control characters) to *data and the protocol answers to
  // *reply. Any byte sequence is accepted; state carries over between calls,
  // so a sequence split across reads is understood.
  void Receive(std::string_view in, std::string* data, std::string* reply);

  // True while the client lets us echo (we offered WILL ECHO and it did not
  // refuse): then the console must echo what is typed.
  bool echoing() const { return local_[telnet::kOptEcho]; }

  // Doubles IAC bytes in application output, as the protocol requires.
  static std::string Escape(std::string_view out);

 private:
  enum class State { kData, kIac, kOption, kSub, kSubIac };

  void Command(uint8_t cmd, std::string* data, std::string* reply);
  void Negotiate(uint8_t verb, uint8_t option, std::string* reply);
  static void Send(uint8_t verb, uint8_t option, std::string* reply);

  State state_ = State::kData;
  uint8_t verb_ = 0;                 // the DO/DONT/WILL/WONT being read
  std::array<bool, 256> local_{};    // options we perform (WILL sent/agreed)
  std::array<bool, 256> remote_{};   // options the client performs
  std::array<bool, 256> offered_{};  // our WILLs still awaiting an answer
};

}  // namespace cs
