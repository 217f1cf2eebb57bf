#include "fakes/power/telnet.h"

#include <gtest/gtest.h>

#include "fakes/power/line_editor.h"

namespace cs {
namespace {

std::string Bytes(std::initializer_list<int> bytes) {
  std::string s;
  for (int b : bytes) s.push_back(static_cast<char>(b));
  return s;
}

TEST(TelnetCodec, GreetingOffersEchoAndSuppressGoAhead) {
  TelnetCodec codec;
  EXPECT_EQ(codec.Greeting(), Bytes({255, 251, 1, 255, 251, 3}));
  EXPECT_TRUE(codec.echoing());
}

// Found by fuzz/line_editor_fuzz.cpp: a stream of "Are You There" is
// answered once each, so the reply stays within 5 bytes per byte received
// (the fuzz target's bound had assumed 3).
TEST(TelnetCodec, EveryAreYouThereIsAnsweredOnceAndNothingElseGrows) {
  TelnetCodec codec;
  (void)codec.Greeting();
  std::string in;
  for (int i = 0; i < 10; ++i) in += std::string("\xff\xf6", 2);
  in += std::string("\xff\xff", 2);  // an escaped 255: one data byte
  std::string text;
  std::string reply;
  codec.Receive(in, &text, &reply);
  EXPECT_EQ(text, std::string("\xff", 1));
  std::string expected;
  for (int i = 0; i < 10; ++i) expected += "\r\n[Yes]\r\n";
  EXPECT_EQ(reply, expected);
  EXPECT_LE(reply.size(), 5 * in.size());
}

// What inetutils telnet sent fence_apc's way when we recorded it.
TEST(TelnetCodec, AnswersTheNegotiationOfARealClient) {
  TelnetCodec codec;
  codec.Greeting();
  std::string data, reply;
  codec.Receive(Bytes({255, 253, 0, 255, 251, 0, 255, 253, 3, 255, 251, 24, 255, 251, 31,
                       255, 253, 5, 255, 253, 1}) + "apc\r\n",
                &data, &reply);
  EXPECT_EQ(data, "apc\r\n");
  // DO BINARY -> WILL, WILL BINARY -> DO, DO SGA (already on) -> nothing,
  // WILL TTYPE/NAWS -> DONT, DO STATUS -> WONT, DO ECHO (already on) -> nothing.
  EXPECT_EQ(reply, Bytes({255, 251, 0, 255, 253, 0, 255, 254, 24, 255, 254, 31, 255, 252, 5}));
  // Asked again: no answer, or two agreeing sides would loop.
  reply.clear();
  codec.Receive(Bytes({255, 253, 0, 255, 251, 0}), &data, &reply);
  EXPECT_EQ(reply, "");
  EXPECT_TRUE(codec.echoing());
}

TEST(TelnetCodec, InterruptProcessBecomesCtrlCAndTimingMarkIsRefused) {
  TelnetCodec codec;
  std::string data, reply;
  codec.Receive(Bytes({255, 244, 255, 253, 6}), &data, &reply);
  EXPECT_EQ(data, "\x03");
  EXPECT_EQ(reply, Bytes({255, 252, 6}));
}

TEST(TelnetCodec, SequencesSplitAcrossReadsAreUnderstood) {
  TelnetCodec codec;
  std::string data, reply;
  codec.Receive(Bytes({255}), &data, &reply);
  codec.Receive(Bytes({253}), &data, &reply);
  codec.Receive(Bytes({6}) + "x", &data, &reply);
  EXPECT_EQ(data, "x");
  EXPECT_EQ(reply, Bytes({255, 252, 6}));
}

TEST(TelnetCodec, SubnegotiationIsSkippedAndEscapedIacIsData) {
  TelnetCodec codec;
  std::string data, reply;
  codec.Receive(Bytes({'a', 255, 250, 24, 0, 'x', 'y', 255, 255, 255, 240, 'b', 255, 255}),
                &data, &reply);
  EXPECT_EQ(data, "ab\xff");
  EXPECT_EQ(reply, "");
}

TEST(TelnetCodec, ClientRefusingEchoTurnsEchoOffWithoutAnAnswer) {
  TelnetCodec codec;
  codec.Greeting();
  std::string data, reply;
  codec.Receive(Bytes({255, 254, 1}), &data, &reply);
  EXPECT_FALSE(codec.echoing());
  EXPECT_EQ(reply, "");
  codec.Receive(Bytes({255, 253, 1}), &data, &reply);  // changed its mind
  EXPECT_TRUE(codec.echoing());
  EXPECT_EQ(reply, Bytes({255, 251, 1}));
}

TEST(TelnetCodec, EscapeDoublesIac) {
  EXPECT_EQ(TelnetCodec::Escape(Bytes({'a', 255, 'b'})), Bytes({'a', 255, 255, 'b'}));
}

TEST(LineEditor, EveryKindOfLineEndEndsOneLine) {
  LineEditor editor(100);
  std::string echo;
  int lines = 0;
  for (char c : std::string("a\r\nb\r") + std::string(1, '\0') + "c\rd\ne\n") {
    if (editor.Put(c, false, false, &echo) == LineEditor::Key::kEnter) ++lines;
  }
  EXPECT_EQ(lines, 5);
  EXPECT_EQ(editor.line(), "e");
  EXPECT_EQ(echo, "");
}

TEST(LineEditor, EchoesMasksAndErases) {
  LineEditor editor(100);
  std::string echo;
  for (char c : std::string("ab\x7f" "c\r")) editor.Put(c, true, true, &echo);
  EXPECT_EQ(editor.line(), "ac");
  EXPECT_EQ(echo, "**\b \b*\r\n");
}

TEST(LineEditor, OverlongLinesAreTruncatedAndFlagged) {
  LineEditor editor(8);
  std::string echo;
  for (int i = 0; i < 5000; ++i) editor.Put('x', true, false, &echo);
  EXPECT_EQ(editor.Put('\r', true, false, &echo), LineEditor::Key::kEnter);
  EXPECT_TRUE(editor.overlong());
  EXPECT_EQ(editor.line(), "xxxxxxxx");
  EXPECT_EQ(echo, "xxxxxxxx\r\n");
  editor.Put('y', true, false, &echo);
  editor.Put('\n', true, false, &echo);
  EXPECT_FALSE(editor.overlong());
}

TEST(LineEditor, ControlKeysAndBinaryGarbage) {
  LineEditor editor(100);
  std::string echo;
  EXPECT_EQ(editor.Put('\x1b', true, false, &echo), LineEditor::Key::kEscape);
  editor.Put('q', true, false, &echo);
  EXPECT_EQ(editor.Put('\x03', true, false, &echo), LineEditor::Key::kInterrupt);
  for (int b = 128; b < 256; ++b) editor.Put(static_cast<char>(b), true, false, &echo);
  editor.Put('\r', true, false, &echo);
  EXPECT_EQ(editor.line(), "");  // the q went with Ctrl-C, the rest was not text
  EXPECT_EQ(echo, "q\r\n");
}

}  // namespace
}  // namespace cs
