// The text compiler: Ceph's numbering and weights, and clear errors with the
// line and column of the offending word.
#include <gtest/gtest.h>

#include "crush/text_map.h"

namespace cs::crush {
namespace {

const char* kTypes = "device 0 osd.0\ndevice 1 osd.1\ntype 0 osd\ntype 1 host\ntype 2 root\n";

std::string ErrorOf(const std::string& text) {
  Result<Map> m = CompileText(text, "m.txt");
  EXPECT_FALSE(m.ok());
  return m.ok() ? "" : m.status().message();
}

TEST(TextMap, NumbersBucketsAfterTheBucketsTheyContain) {
  // root is written first but holds h0, so Ceph compiles h0 first: h0 gets
  // -1, the root -2 (the first free ids), whatever the file order.
  Result<Map> m = CompileText(std::string(kTypes) +
                                  "root r {\n alg straw2\n item h0 weight 2\n}\n"
                                  "host h0 {\n alg straw2\n item osd.0\n item osd.1 weight 0.5\n}\n",
                              "m.txt");
  ASSERT_TRUE(m.ok()) << m.status().message();
  EXPECT_EQ(m->FindItem("h0"), -1);
  EXPECT_EQ(m->FindItem("r"), -2);
  EXPECT_EQ(m->bucket(-1)->weight, 0x18000u);
  EXPECT_EQ(m->max_buckets(), 8);
  EXPECT_EQ(m->max_devices, 2);
  EXPECT_EQ(m->tunables.choose_total_tries, 19u);  // legacy unless stated
}

TEST(TextMap, WeightsRoundAsCephsFloatArithmetic) {
  Result<Map> m = CompileText(std::string(kTypes) + "host h {\n alg straw2\n item osd.0 weight 0.3\n}\n", "m.txt");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->bucket(-1)->item_weights[0], 19660u);  // 0.3f * 65536.0f truncated
}

TEST(TextMap, ParseErrorsNameLineAndColumn) {
  EXPECT_EQ(ErrorOf("device 0 osd.0\ntype 0 osd\nhost h {\n  alg straw2\n  item osd.0 weight heavy\n}\n"),
            "m.txt:5:21: parse error: expected a weight, found 'heavy'");
  EXPECT_EQ(ErrorOf("device x osd.0\n"), "m.txt:1:8: parse error: expected a device id, found 'x'");
  EXPECT_EQ(ErrorOf(std::string(kTypes) + "host h {\n alg straw2\n"),
            "m.txt:7:6: parse error: expected '}', found the end of the map");
}

TEST(TextMap, MeaningErrorsNameTheItem) {
  EXPECT_EQ(ErrorOf(std::string(kTypes) + "rack k {\n alg straw2\n}\n"), "m.txt:6:1: bucket type 'rack' is not defined");
  EXPECT_EQ(ErrorOf(std::string(kTypes) + "host h {\n alg straw2\n item osd.7\n}\n"),
            "m.txt:8:7: item 'osd.7' in bucket 'h' is not defined");
  EXPECT_EQ(ErrorOf(std::string(kTypes) + "host h {\n alg fancy\n}\n"), "m.txt:7:6: unknown bucket alg 'fancy'");
  EXPECT_EQ(ErrorOf(std::string(kTypes) +
                    "host h {\n alg straw2\n item osd.0\n}\nrule r {\n id 0\n type replicated\n min_size 1\n"
                    " max_size 3\n step take h\n step chooseleaf firstn 0 type rack\n step emit\n}\n"),
            "m.txt:16:32: in rule 'r' type 'rack' not defined");
  // A root written before two of its hosts: Ceph's reordering still leaves
  // one host after it (crushtool -c says the same).
  EXPECT_EQ(ErrorOf(std::string(kTypes) + "root r {\n alg straw2\n item a\n item b\n}\nhost a {\n alg straw2\n}\n"
                    "host b {\n alg straw2\n}\n"),
            "m.txt:8:7: item 'a' in bucket 'r' is not defined");
  EXPECT_EQ(ErrorOf(std::string(kTypes) + "host a {\n alg straw2\n item b\n}\nhost b {\n alg straw2\n item a\n}\n"),
            "m.txt:6:6: bucket 'a' and bucket 'b' are included each other");
}

// Classes are read now (tests/crush/classes_compare_test.cpp checks them
// against crushtool); a missing file is still said plainly.
TEST(TextMap, DeviceClassesAreReadAndAMissingFileIsSaidPlainly) {
  Result<Map> m = CompileText("device 0 osd.0 class hdd\ndevice 1 osd.1 class ssd\ndevice 2 osd.2 class hdd\n", "m.txt");
  ASSERT_TRUE(m.ok()) << m.status().message();
  EXPECT_EQ(m->class_names, (std::map<int, std::string>{{0, "hdd"}, {1, "ssd"}}));
  EXPECT_EQ(m->item_class.at(2), 0);
  EXPECT_NE(CompileFile("/nonexistent/map.txt").status().message().find("cannot read"), std::string::npos);
}

}  // namespace
}  // namespace cs::crush

// The front end: a bad map or an unknown rule is one line on stderr and exit 2.
#include "tests/crush/crushtool.h"

namespace cs::crush {
namespace {

TEST(CrushCli, BadInputExitsTwoWithTheReason) {
  const auto dir = testing::ScratchDir("cli");
  testing::WriteFile(dir / "bad.txt", "device 0 osd.0\ntype 0 osd\nhost h {\n alg straw9\n}\n");
  testing::WriteFile(dir / "good.txt", std::string(kTypes) +
                                           "host h {\n alg straw2\n item osd.0\n item osd.1\n}\nrule r {\n id 0\n"
                                           " type replicated\n min_size 1\n max_size 3\n step take h\n"
                                           " step choose firstn 0 type osd\n step emit\n}\n");
  const std::string cli = std::string(CS_BINARY_DIR) + "/cluster-sim crush test --show-mappings --map ";
  auto bad = testing::RunCommand(cli + (dir / "bad.txt").string() + " 2>&1");
  EXPECT_EQ(WEXITSTATUS(bad.status), 2);
  EXPECT_NE(bad.out.find("bad.txt:3:1: bucket type 'host' is not defined"), std::string::npos) << bad.out;
  auto unknown = testing::RunCommand(cli + (dir / "good.txt").string() + " --rule nosuch 2>&1");
  EXPECT_EQ(WEXITSTATUS(unknown.status), 2);
  EXPECT_NE(unknown.out.find("the map has no rule 'nosuch'"), std::string::npos) << unknown.out;
  auto good = testing::RunCommand(cli + (dir / "good.txt").string() + " --rule r --num-rep 2 --x 7 2>&1");
  EXPECT_EQ(WEXITSTATUS(good.status), 0);
  EXPECT_EQ(good.out.rfind("CRUSH rule 0 x 7 [", 0), 0u) << good.out;
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace cs::crush
