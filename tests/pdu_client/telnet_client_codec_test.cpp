// The client side of telnet negotiation: what it accepts, what it refuses,
// and that it never answers twice (no negotiation loops).
#include "pdu_client/telnet_client_codec.h"

#include <gtest/gtest.h>

namespace cs {
namespace {

std::string Bytes(std::initializer_list<int> b) {
  std::string s;
  for (int c : b) s.push_back(static_cast<char>(c));
  return s;
}

TEST(TelnetClientCodec, AcceptsServerEchoOnceAndRefusesTheRest) {
  TelnetClientCodec codec;
  std::string data, reply;
  codec.Receive(Bytes({255, 251, 1, 255, 251, 3, 'h', 'i'}), &data, &reply);
  EXPECT_EQ(data, "hi");
  EXPECT_EQ(reply, Bytes({255, 253, 1, 255, 253, 3}));
  reply.clear();
  codec.Receive(Bytes({255, 251, 1}), &data, &reply);
  EXPECT_EQ(reply, "") << "no second answer to an option already on";
  codec.Receive(Bytes({255, 253, 24, 255, 251, 31}), &data, &reply);
  EXPECT_EQ(reply, Bytes({255, 252, 24, 255, 254, 31}));
}

TEST(TelnetClientCodec, SplitSequencesEscapedIacAndSubnegotiation) {
  TelnetClientCodec codec;
  std::string data, reply;
  codec.Receive(Bytes({255}), &data, &reply);
  codec.Receive(Bytes({255, 'a', 255, 250, 24, 1, 255, 240, 'b'}), &data, &reply);
  EXPECT_EQ(data, Bytes({255, 'a', 'b'}));
  EXPECT_EQ(reply, "");
  EXPECT_EQ(TelnetClientCodec::Escape(Bytes({'x', 255})), Bytes({'x', 255, 255}));
}

}  // namespace
}  // namespace cs
