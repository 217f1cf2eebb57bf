// ParseUntrustedJson: depth and size bounds, duplicate keys, and ordinary
// documents read as nlohmann reads them.
#include "util/json_parse.h"

#include <gtest/gtest.h>

namespace cs {
namespace {

TEST(JsonParseTest, OrdinaryDocumentsParse) {
  auto doc = ParseUntrustedJson(R"({"a": [1, 2, {"b": "x\"]]]"}], "c": null})");
  ASSERT_TRUE(doc.ok()) << doc.status().message();
  EXPECT_EQ((*doc)["a"][2]["b"], "x\"]]]");
  EXPECT_TRUE(ParseUntrustedJson("[]").ok());
  EXPECT_TRUE(ParseUntrustedJson("\"[[[[\"").ok());
}

TEST(JsonParseTest, DepthIsBounded) {
  JsonLimits limits;
  limits.max_depth = 4;
  EXPECT_TRUE(ParseUntrustedJson("[[[[]]]]", limits).ok());
  auto deep = ParseUntrustedJson("[[[[[]]]]]", limits);
  ASSERT_FALSE(deep.ok());
  EXPECT_NE(deep.status().message().find("nests deeper than 4"), std::string::npos);
  // Brackets inside strings do not count; escaped quotes do not end them.
  EXPECT_TRUE(ParseUntrustedJson(R"(["[[[[[[\"[[[[["])", limits).ok());
  // The issue's repro, at the default limit: refused, no stack overflow.
  const std::string nested = "{\"fqdn\":" + std::string(100000, '[') + std::string(100000, ']') + "}";
  EXPECT_FALSE(ParseUntrustedJson(nested).ok());
  // Unbalanced and deep: refused before parsing.
  EXPECT_FALSE(ParseUntrustedJson(std::string(1000000, '{')).ok());
}

TEST(JsonParseTest, SizeIsBounded) {
  JsonLimits limits;
  limits.max_bytes = 10;
  EXPECT_TRUE(ParseUntrustedJson("[1,2,3]", limits).ok());
  EXPECT_FALSE(ParseUntrustedJson("[1,2,3,4,5,6]", limits).ok());
}

TEST(JsonParseTest, DuplicateKeysAreRefusedAtAnyDepth) {
  EXPECT_FALSE(ParseUntrustedJson(R"({"a": 1, "a": 2})").ok());
  auto inner = ParseUntrustedJson(R"({"x": [{"k": 1, "b": 2, "k": 3}]})");
  ASSERT_FALSE(inner.ok());
  EXPECT_NE(inner.status().message().find("\"k\""), std::string::npos) << inner.status().message();
  // The same key in sibling objects is fine.
  EXPECT_TRUE(ParseUntrustedJson(R"([{"k": 1}, {"k": 2}, {"o": {"k": 3}}])").ok());
  // A cut-off multibyte key in the message does not throw.
  EXPECT_FALSE(ParseUntrustedJson("{\"" + std::string(39, 'a') + "\xc3\xa9" + "\": 1, \"" + std::string(39, 'a') +
                                  "\xc3\xa9\": 2}")
                   .ok());
}

TEST(JsonParseTest, InvalidTextIsRefused) {
  for (const char* bad : {"", "{", "[1,]", "{\"a\" 1}", "nul", "\"\\ud800\"x"}) {
    EXPECT_FALSE(ParseUntrustedJson(bad).ok()) << bad;
    EXPECT_TRUE(ParseUntrustedJsonOrDiscarded(bad).is_discarded()) << bad;
  }
}

}  // namespace
}  // namespace cs
