// The placement rules on their own, case by case (the property test checks
// them against crm_simulate at random).
#include "pacemaker/placement.h"

#include <gtest/gtest.h>

namespace cs::pacemaker {
namespace {

PlacementResource Target(const std::string& id, std::map<std::string, int> scores) {
  PlacementResource r;
  r.id = id;
  r.location_scores = std::move(scores);
  return r;
}

TEST(PlacementTest, ScoresSaturateAndMinusInfinityWins) {
  EXPECT_EQ(AddScores(kInfinity, 5), kInfinity);
  EXPECT_EQ(AddScores(kInfinity, -kInfinity), -kInfinity);
  EXPECT_EQ(AddScores(999999, 999999), kInfinity);
  EXPECT_EQ(AddScores(20, 1000), 1020);
}

TEST(PlacementTest, PrimaryThenSecondaryThenAnyOtherNode) {
  std::vector<PlacementNode> nodes = {{"a", true}, {"b", true}, {"c", true}};
  auto r = Target("t", {{"a", 20}, {"b", 10}});
  EXPECT_EQ(Assign(nodes, {r}, {})[0], "a");
  nodes[0].available = false;
  EXPECT_EQ(Assign(nodes, {r}, {})[0], "b");
  nodes[1].available = false;
  EXPECT_EQ(Assign(nodes, {r}, {})[0], "c") << "symmetric-cluster=true: score 0 is enough";
  nodes[2].available = false;
  EXPECT_EQ(Assign(nodes, {r}, {})[0], std::nullopt);
}

TEST(PlacementTest, StickinessKeepsAResourceOffItsPrimary) {
  std::vector<PlacementNode> nodes = {{"a", true}, {"b", true}};
  auto r = Target("t", {{"a", 20}, {"b", 10}});
  r.running_on = "b";
  EXPECT_EQ(Assign(nodes, {r}, {})[0], "b");
}

TEST(PlacementTest, EqualNodesGoToTheLeastLoadedThenByName) {
  std::vector<PlacementNode> nodes = {{"a", true}, {"b", true}, {"c", true}};
  std::vector<PlacementResource> rs = {Target("r1", {}), Target("r2", {}), Target("r3", {}), Target("r4", {})};
  auto placed = Assign(nodes, rs, {});
  EXPECT_EQ(placed[0], "a");
  EXPECT_EQ(placed[1], "b");
  EXPECT_EQ(placed[2], "c");
  EXPECT_EQ(placed[3], "a");
}

TEST(PlacementTest, BannedTargetRoleStoppedAndNoQuorumStop) {
  std::vector<PlacementNode> nodes = {{"a", true}, {"b", true}};
  auto r = Target("t", {{"a", 20}, {"b", 10}});
  r.banned = {"a"};
  EXPECT_EQ(Assign(nodes, {r}, {})[0], "b");
  r.banned = {"a", "b"};
  EXPECT_EQ(Assign(nodes, {r}, {})[0], std::nullopt);
  r.banned.clear();
  r.target_started = false;
  EXPECT_EQ(Assign(nodes, {r}, {})[0], std::nullopt);
  r.target_started = true;
  PlacementOptions no_quorum;
  no_quorum.can_run = false;
  EXPECT_EQ(Assign(nodes, {r}, no_quorum)[0], std::nullopt);
}

}  // namespace
}  // namespace cs::pacemaker
