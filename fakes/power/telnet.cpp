#include "fakes/power/telnet.h"

namespace cs {

namespace {

// The options we are willing to perform ourselves. BINARY matters most:
// fence_apc's telnet asks for it ("set binary"), and without it an NVT client
// sends each CR as CR NUL, so pexpect's "\r\n" would arrive as two Enters.
bool WeSupport(uint8_t option) {
  return option == telnet::kOptEcho || option == telnet::kOptSga || option == telnet::kOptBinary;
}

// The options we let the client perform.
bool WeAccept(uint8_t option) { return option == telnet::kOptSga || option == telnet::kOptBinary; }

}  // namespace

TelnetCodec::TelnetCodec() = default;

std::string TelnetCodec::Greeting() {
  std::string out;
  for (uint8_t option : {telnet::kOptEcho, telnet::kOptSga}) {
    local_[option] = true;
    offered_[option] = true;
    Send(telnet::kWill, option, &out);
  }
  return out;
}

void TelnetCodec::Send(uint8_t verb, uint8_t option, std::string* reply) {
  reply->push_back(static_cast<char>(telnet::kIac));
  reply->push_back(static_cast<char>(verb));
  reply->push_back(static_cast<char>(option));
}

std::string TelnetCodec::Escape(std::string_view out) {
  std::string escaped;
  escaped.reserve(out.size());
  for (char c : out) {
    escaped.push_back(c);
    if (static_cast<uint8_t>(c) == telnet::kIac) escaped.push_back(c);
  }
  return escaped;
}

void TelnetCodec::Receive(std::string_view in, std::string* data, std::string* reply) {
  for (char ch : in) {
    const auto b = static_cast<uint8_t>(ch);
    switch (state_) {
      case State::kData:
        if (b == telnet::kIac) {
          state_ = State::kIac;
        } else {
          data->push_back(ch);
        }
        break;
      case State::kIac:
        state_ = State::kData;
        if (b == telnet::kIac) {
          data->push_back(ch);  // an escaped 0xFF data byte
        } else if (b >= telnet::kWill) {
          verb_ = b;
          state_ = State::kOption;
        } else if (b == telnet::kSb) {
          state_ = State::kSub;
        } else {
          Command(b, data, reply);
        }
        break;
      case State::kOption:
        state_ = State::kData;
        Negotiate(verb_, b, reply);
        break;
      case State::kSub:
        // Subnegotiations only follow options we refused: skip them without
        // buffering, so a client cannot make us hold memory.
        if (b == telnet::kIac) state_ = State::kSubIac;
        break;
      case State::kSubIac:
        state_ = (b == telnet::kSe) ? State::kData : State::kSub;
        break;
    }
  }
}

void TelnetCodec::Command(uint8_t cmd, std::string* data, std::string* reply) {
  switch (cmd) {
    case telnet::kIp:
    case telnet::kBrk:
      data->push_back('\x03');  // what Ctrl-C would have sent
      break;
    case telnet::kEof:
      data->push_back('\x04');
      break;
    case telnet::kEc:
      data->push_back('\x08');
      break;
    case telnet::kAyt:
      reply->append("\r\n[Yes]\r\n");
      break;
    default:
      break;  // NOP, DM, GA, AO, EL: nothing to do for a menu console
  }
}

// A small form of RFC 1143: answer only requests that would change an
// option's state, so two sides can never loop on each other.
void TelnetCodec::Negotiate(uint8_t verb, uint8_t option, std::string* reply) {
  switch (verb) {
    case telnet::kDo:
      if (option == telnet::kOptTimingMark) {
        // The client wants to know when its Ctrl-C took effect; refusing is
        // enough to let it go on (RFC 860), and it is what APC cards do.
        Send(telnet::kWont, option, reply);
      } else if (!WeSupport(option)) {
        Send(telnet::kWont, option, reply);
      } else if (!local_[option]) {
        local_[option] = true;
        Send(telnet::kWill, option, reply);
      }
      offered_[option] = false;
      break;
    case telnet::kDont:
      if (local_[option]) {
        local_[option] = false;
        // A refusal of our own offer needs no answer; a change of mind does.
        if (!offered_[option]) Send(telnet::kWont, option, reply);
      }
      offered_[option] = false;
      break;
    case telnet::kWill:
      if (WeAccept(option)) {
        if (!remote_[option]) {
          remote_[option] = true;
          Send(telnet::kDo, option, reply);
        }
      } else {
        Send(telnet::kDont, option, reply);
      }
      break;
    case telnet::kWont:
      if (remote_[option]) {
        remote_[option] = false;
        Send(telnet::kDont, option, reply);
      }
      break;
    default:
      break;
  }
}

}  // namespace cs
