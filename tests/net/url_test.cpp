#include "net/url.h"

#include <gtest/gtest.h>

namespace cs::net {
namespace {

TEST(UrlTest, ParsesSchemeHostPortAndPath) {
  auto url = Url::Parse("https://manager.example:8000/prefix/");
  ASSERT_TRUE(url.ok()) << url.status().ToString();
  EXPECT_EQ(url->scheme, "https");
  EXPECT_EQ(url->host, "manager.example");
  EXPECT_EQ(url->port, 8000);
  EXPECT_EQ(url->path, "/prefix/");
  EXPECT_TRUE(url->tls());
  EXPECT_EQ(url->HostHeader(), "manager.example:8000");
  EXPECT_EQ(url->ToString(), "https://manager.example:8000/prefix/");
}

TEST(UrlTest, DefaultsPortsAndPath) {
  auto https = Url::Parse("https://localhost");
  ASSERT_TRUE(https.ok());
  EXPECT_EQ(https->port, 443);
  EXPECT_EQ(https->path, "/");
  EXPECT_EQ(https->HostHeader(), "localhost");
  auto http = Url::Parse("http://10.0.0.1/api/");
  ASSERT_TRUE(http.ok());
  EXPECT_EQ(http->port, 80);
  EXPECT_FALSE(http->tls());
}

TEST(UrlTest, ParsesBracketedIpv6) {
  auto url = Url::Parse("https://[::1]:9443/");
  ASSERT_TRUE(url.ok()) << url.status().ToString();
  EXPECT_EQ(url->host, "::1");
  EXPECT_EQ(url->port, 9443);
  EXPECT_EQ(url->HostHeader(), "[::1]:9443");
}

TEST(UrlTest, RejectsBadUrls) {
  for (const char* bad : {"localhost:8000", "ftp://x/", "https://:80/", "https://h:0/",
                          "https://h:70000/", "https://h:8a/", "https://u@h/", "https://h/?q=1",
                          "https://[::1/",
                          // Found by fuzz/url_fuzz.cpp: they would not print back as read.
                          "http://[[1\251]", "http://[127.0.0.1]/", "http://h]/", "http://[a]b:1/"}) {
    auto url = Url::Parse(bad);
    EXPECT_FALSE(url.ok()) << bad;
    EXPECT_EQ(url.status().code(), Status::Code::kInvalidArgument) << bad;
  }
}

TEST(UrlTest, JoinPathPutsExactlyOneSlash) {
  EXPECT_EQ(JoinPath("/", "api/session/"), "/api/session/");
  EXPECT_EQ(JoinPath("/prefix/", "/api/x/?a=1"), "/prefix/api/x/?a=1");
  EXPECT_EQ(JoinPath("/prefix", "api"), "/prefix/api");
  EXPECT_EQ(JoinPath("/", ""), "/");
  EXPECT_EQ(JoinPath("", "message/"), "/message/");
}

TEST(UrlTest, PercentEncodeKeepsOnlyUnreserved) {
  EXPECT_EQ(PercentEncode("2018-03-23T01:02:03.123456+00:00"),
            "2018-03-23T01%3A02%3A03.123456%2B00%3A00");
  EXPECT_EQ(PercentEncode("a b&c=d/e~_"), "a%20b%26c%3Dd%2Fe~_");
  EXPECT_EQ(PercentEncode("\xC3\xA9"), "%C3%A9");
  EXPECT_EQ(PercentEncode(""), "");
}

TEST(UrlTest, PercentDecodeHandlesPlusAndBadEscapes) {
  EXPECT_EQ(PercentDecode("a%2Bb+c", true), "a+b c");
  EXPECT_EQ(PercentDecode("a%2Bb+c", false), "a+b+c");
  EXPECT_EQ(PercentDecode("100%", true), "100%");
  EXPECT_EQ(PercentDecode("%zz%4", true), "%zz%4");
}

TEST(UrlTest, ParseQueryDecodesPairsInOrder) {
  QueryParams q = ParseQuery("b=x%2By&a=1&flag&&c=two+words&a=2");
  QueryParams want = {{"b", "x+y"}, {"a", "1"}, {"flag", ""}, {"c", "two words"}, {"a", "2"}};
  EXPECT_EQ(q, want);
  EXPECT_TRUE(ParseQuery("").empty());
}

TEST(UrlTest, BuildQueryRoundTrips) {
  QueryParams params = {{"server_boot_time", "2018-03-23T01:02:03+00:00"}, {"k y", "a&b"}};
  std::string text = BuildQuery(params);
  EXPECT_EQ(text, "server_boot_time=2018-03-23T01%3A02%3A03%2B00%3A00&k%20y=a%26b");
  EXPECT_EQ(ParseQuery(text), params);
}

}  // namespace
}  // namespace cs::net
