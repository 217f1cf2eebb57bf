#include "fakes/power/telnet.h"

namespace cs {

using namespace telnet;  // NOLINT: the protocol's byte names

namespace {

// The options we are willing to perform ourselves. BINARY matters most:
// fence_apc's telnet asks for it ("set binary"), and without it an NVT client
// sends each CR as CR NUL, so pexpect's "\r\n" would arrive as two Enters.
bool WeSupport(uint8_t option) {
  return option == kOptEcho || option == kOptSga || option == kOptBinary;
}

// The options we let the client perform.
bool WeAccept(uint8_t option) { return option == kOptSga || option == kOptBinary; }

}  // namespace

TelnetCodec::TelnetCodec() = default;

std::string TelnetCodec::Greeting() {
  std::string out;
  for (uint8_t option : {kOptEcho, kOptSga}) {
    local_[option] = true;
    offered_[option] = true;
    Send(kWill, option, &out);
  }
  return out;
}

void TelnetCodec::Send(uint8_t verb, uint8_t option, std::string* reply) {
  reply->push_back(static_cast<char>(kIac));
  reply->push_back(static_cast<char>(verb));
  reply->push_back(static_cast<char>(option));
}

std::string TelnetCodec::Escape(std::string_view out) {
  std::string escaped;
  escaped.reserve(out.size());
  for (char c : out) {
    escaped.push_back(c);
    if (static_cast<uint8_t>(c) == kIac) escaped.push_back(c);
  }
  return escaped;
}

void TelnetCodec::Receive(std::string_view in, std::string* data, std::string* reply) {
  for (char ch : in) {
    const auto b = static_cast<uint8_t>(ch);
    switch (state_) {
      case State::kData:
        if (b == kIac) {
          state_ = State::kIac;
        } else {
          data->push_back(ch);
        }
        break;
      case State::kIac:
        state_ = State::kData;
        if (b == kIac) {
          data->push_back(ch);  // an escaped 0xFF data byte
        } else if (b >= kWill) {
          verb_ = b;
          state_ = State::kOption;
        } else if (b == kSb) {
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
        if (b == kIac) state_ = State::kSubIac;
        break;
      case State::kSubIac:
        state_ = (b == kSe) ? State::kData : State::kSub;
        break;
    }
  }
}

void TelnetCodec::Command(uint8_t cmd, std::string* data, std::string* reply) {
  switch (cmd) {
    case kIp:
    case kBrk:
      data->push_back('\x03');  // what Ctrl-C would have sent
      break;
    case kEof:
      data->push_back('\x04');
      break;
    case kEc:
      data->push_back('\x08');
      break;
    case kAyt:
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
    case kDo:
      if (option == kOptTimingMark) {
        // The client wants to know when its Ctrl-C took effect; refusing is
        // enough to let it go on (RFC 860), and it is what APC cards do.
        Send(kWont, option, reply);
      } else if (!WeSupport(option)) {
        Send(kWont, option, reply);
      } else if (!local_[option]) {
        local_[option] = true;
        Send(kWill, option, reply);
      }
      offered_[option] = false;
      break;
    case kDont:
      if (local_[option]) {
        local_[option] = false;
        // A refusal of our own offer needs no answer; a change of mind does.
        if (!offered_[option]) Send(kWont, option, reply);
      }
      offered_[option] = false;
      break;
    case kWill:
      if (WeAccept(option)) {
        if (!remote_[option]) {
          remote_[option] = true;
          Send(kDo, option, reply);
        }
      } else {
        Send(kDont, option, reply);
      }
      break;
    case kWont:
      if (remote_[option]) {
        remote_[option] = false;
        Send(kDont, option, reply);
      }
      break;
    default:
      break;
  }
}

}  // namespace cs
