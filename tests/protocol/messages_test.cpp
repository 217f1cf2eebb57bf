#include "protocol/messages.h"

#include <gtest/gtest.h>

namespace cs::protocol {
namespace {

TEST(MessageTest, SessionCreateRequestHasExactlyTheKeysWithNulls) {
  Json j = Message::SessionCreateRequest("linux", "test000.localdomain").ToJson();
  EXPECT_EQ(j, Json::parse(R"({"type": "SESSION_CREATE_REQUEST", "plugin": "linux", "session_id": null,
                               "session_seq": null, "body": null, "fqdn": "test000.localdomain"})"));
}

TEST(MessageTest, DataRoundTrips) {
  Message m = Message::Data("lustre", "abc", 3, Json{{"x", 1}}, "test001.localdomain");
  Result<Message> back = Message::FromJson(m.ToJson());
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(*back, m);
}

TEST(MessageTest, TerminateAllHasNullPlugin) {
  Json j = Message::SessionTerminateAll("").ToJson();
  EXPECT_TRUE(j["plugin"].is_null());
  EXPECT_TRUE(j["session_id"].is_null());
}

TEST(MessageTest, StrictParsingSaysWhatIsWrong) {
  Json good = Message::Data("linux", "s", 0, Json::object(), "f").ToJson();
  Json missing = good;
  missing.erase("fqdn");
  EXPECT_NE(Message::FromJson(missing).status().message().find("'fqdn'"), std::string::npos);
  Json bad_type = good;
  bad_type["type"] = "HELLO";
  EXPECT_NE(Message::FromJson(bad_type).status().message().find("unknown message type"), std::string::npos);
  Json bad_seq = good;
  bad_seq["session_seq"] = "1";
  EXPECT_FALSE(Message::FromJson(bad_seq).ok());
  EXPECT_FALSE(Message::FromJson(Json::array()).ok());
}

TEST(EnvelopeTest, RoundTripAndErrors) {
  Envelope e{{Message::SessionCreateRequest("linux", "f")}, "2018-01-01T00:00:00+00:00Z", "2018-01-01T00:00:01+00:00Z"};
  Result<Envelope> back = Envelope::FromJson(e.ToJson());
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->messages, e.messages);
  EXPECT_EQ(back->client_start_time, e.client_start_time);
  Json no_times = e.ToJson();
  no_times.erase("client_start_time");
  EXPECT_FALSE(Envelope::FromJson(no_times).ok());
  Json bad_message = e.ToJson();
  bad_message["messages"][0]["type"] = 7;
  EXPECT_NE(Envelope::FromJson(bad_message).status().message().find("message 0"), std::string::npos);
}

TEST(EnvelopeTest, SplitKeepsOrderAndRespectsTheLimit) {
  std::vector<Message> messages;
  for (int i = 0; i < 40; ++i) {
    messages.push_back(Message::Data("linux", "s", i, Json{{"blob", std::string(1000, 'x')}}, "f"));
  }
  const size_t limit = 5000;
  std::vector<Envelope> envelopes = SplitIntoEnvelopes(messages, "b", "c", limit);
  ASSERT_GT(envelopes.size(), 1u);
  int64_t expected_seq = 0;
  for (const Envelope& e : envelopes) {
    EXPECT_LE(e.ToJson().dump().size(), limit);
    for (const Message& m : e.messages) EXPECT_EQ(m.session_seq, expected_seq++);
  }
  EXPECT_EQ(expected_seq, 40) << "nothing dropped";
}

TEST(EnvelopeTest, OversizedMessageTravelsAlone) {
  std::vector<Message> messages = {Message::Data("a", "s", 0, Json(std::string(100, 'x')), "f"),
                                   Message::Data("a", "s", 1, Json(std::string(9000, 'x')), "f"),
                                   Message::Data("a", "s", 2, Json(std::string(100, 'x')), "f")};
  std::vector<Envelope> envelopes = SplitIntoEnvelopes(messages, "b", "c", 5000);
  ASSERT_EQ(envelopes.size(), 3u);
  EXPECT_EQ(envelopes[1].messages.size(), 1u);
}

TEST(ResultWrappingTest, MatchesImlCommon) {
  EXPECT_EQ(AgentResultOk(), Json::parse(R"({"wrapper_version": 1, "result": true})"));
  EXPECT_EQ(AgentResult("test000"), Json::parse(R"({"wrapper_version": 1, "result": "test000"})"));
  EXPECT_EQ(AgentError("boom"), Json::parse(R"({"wrapper_version": 1, "error": "boom"})"));
}

}  // namespace
}  // namespace cs::protocol
