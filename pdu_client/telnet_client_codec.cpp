#include "pdu_client/telnet_client_codec.h"

#include "fakes/power/telnet.h"

namespace cs {

namespace {

bool ServerMayPerform(uint8_t option) {
  return option == telnet::kOptEcho || option == telnet::kOptSga || option == telnet::kOptBinary;
}

bool WePerform(uint8_t option) { return option == telnet::kOptSga; }

void Send(uint8_t verb, uint8_t option, std::string* reply) {
  reply->push_back(static_cast<char>(telnet::kIac));
  reply->push_back(static_cast<char>(verb));
  reply->push_back(static_cast<char>(option));
}

}  // namespace

std::string TelnetClientCodec::Escape(std::string_view out) { return TelnetCodec::Escape(out); }

void TelnetClientCodec::Receive(std::string_view in, std::string* data, std::string* reply) {
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
          data->push_back(ch);
        } else if (b >= telnet::kWill) {
          verb_ = b;
          state_ = State::kOption;
        } else if (b == telnet::kSb) {
          state_ = State::kSub;
        }  // other commands (NOP, GA, DM...) mean nothing to a dialogue
        break;
      case State::kOption:
        state_ = State::kData;
        Negotiate(verb_, b, reply);
        break;
      case State::kSub:
        if (b == telnet::kIac) state_ = State::kSubIac;
        break;
      case State::kSubIac:
        state_ = (b == telnet::kSe) ? State::kData : State::kSub;
        break;
    }
  }
}

void TelnetClientCodec::Negotiate(uint8_t verb, uint8_t option, std::string* reply) {
  switch (verb) {
    case telnet::kWill:
      if (!ServerMayPerform(option)) {
        Send(telnet::kDont, option, reply);
      } else if (!remote_[option]) {
        remote_[option] = true;
        Send(telnet::kDo, option, reply);
      }
      break;
    case telnet::kWont:
      if (remote_[option]) {
        remote_[option] = false;
        Send(telnet::kDont, option, reply);
      }
      break;
    case telnet::kDo:
      if (!WePerform(option)) {
        Send(telnet::kWont, option, reply);
      } else if (!local_[option]) {
        local_[option] = true;
        Send(telnet::kWill, option, reply);
      }
      break;
    case telnet::kDont:
      if (local_[option]) {
        local_[option] = false;
        Send(telnet::kWont, option, reply);
      }
      break;
    default:
      break;
  }
}

}  // namespace cs
