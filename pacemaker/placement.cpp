#include "pacemaker/placement.h"

#include <algorithm>

namespace cs::pacemaker {

int AddScores(int a, int b) {
  if (a <= -kInfinity || b <= -kInfinity) return -kInfinity;
  if (a >= kInfinity || b >= kInfinity) return kInfinity;
  const long sum = static_cast<long>(a) + b;
  return static_cast<int>(std::clamp<long>(sum, -kInfinity, kInfinity));
}

namespace {

struct Candidate {
  const PlacementNode* node;
  int score;  // the resource's score there (-INFINITY when unavailable)
  int assigned;
};

std::map<std::string, int> NodeScores(const std::vector<PlacementNode>& nodes, const PlacementResource& r,
                                      const PlacementOptions& options) {
  std::map<std::string, int> scores;
  for (const PlacementNode& n : nodes) scores[n.name] = 0;
  for (const auto& [node, score] : r.location_scores) {
    auto it = scores.find(node);
    if (it != scores.end()) it->second = AddScores(it->second, score);
  }
  if (r.running_on && options.stickiness > 0) {
    auto it = scores.find(*r.running_on);
    if (it != scores.end()) it->second = AddScores(it->second, options.stickiness);
  }
  for (const std::string& node : r.banned) {
    auto it = scores.find(node);
    if (it != scores.end()) it->second = -kInfinity;
  }
  return scores;
}

// compare_nodes() of pcmk_sched_nodes.c: true when a ranks before b.
bool RanksBefore(const Candidate& a, const Candidate& b, const std::optional<std::string>& active) {
  if (a.score != b.score) return a.score > b.score;
  if (a.assigned != b.assigned) return a.assigned < b.assigned;
  if (active) {
    if (a.node->name == *active) return true;
    if (b.node->name == *active) return false;
  }
  return a.node->name < b.node->name;
}

std::optional<std::string> AssignOne(const std::vector<PlacementNode>& nodes, const PlacementResource& r,
                                     const PlacementOptions& options, std::map<std::string, int>& assigned) {
  if (!r.target_started || !options.can_run || nodes.empty()) return std::nullopt;
  const std::map<std::string, int> scores = NodeScores(nodes, r, options);
  std::vector<Candidate> ranked;
  for (const PlacementNode& n : nodes) {
    ranked.push_back({&n, n.available ? scores.at(n.name) : -kInfinity, assigned[n.name]});
  }
  std::stable_sort(ranked.begin(), ranked.end(), [&](const Candidate& a, const Candidate& b) {
    return RanksBefore(a, b, r.running_on);
  });
  const Candidate* chosen = &ranked.front();
  // assign_best_node(): among nodes as good as the best, keep the current one.
  if (chosen->score > 0 && r.running_on) {
    for (const Candidate& c : ranked) {
      if (c.score != chosen->score) break;
      if (c.node->name == *r.running_on && c.node->available) chosen = &c;
    }
  }
  if (chosen->score < 0 || !chosen->node->available) return std::nullopt;
  ++assigned[chosen->node->name];
  return chosen->node->name;
}

}  // namespace

std::vector<std::optional<std::string>> Assign(const std::vector<PlacementNode>& nodes,
                                               const std::vector<PlacementResource>& resources,
                                               const PlacementOptions& options) {
  std::map<std::string, int> assigned;
  std::vector<std::optional<std::string>> out;
  out.reserve(resources.size());
  for (const PlacementResource& r : resources) out.push_back(AssignOne(nodes, r, options, assigned));
  return out;
}

}  // namespace cs::pacemaker
