// RunTool's children: our programs ignore SIGPIPE (util/broken_pipe.h), and
// an ignored signal survives exec, so RunTool must hand each tool SIGPIPE's
// default back or a tool writing into a closed pipe would never stop.
#include "pacemaker/crm_tools.h"

#include <gtest/gtest.h>

#include <signal.h>

#include <cstdlib>
#include <sstream>

#include "util/broken_pipe.h"

namespace cs::pacemaker {
namespace {

// The SigIgn mask of /proc/<pid>/status (hex) as a program run by RunTool sees itself.
unsigned long long ChildIgnoredSignals() {
  Result<ToolOutput> r = RunTool({"/bin/grep", "^SigIgn:", "/proc/self/status"});
  EXPECT_TRUE(r.ok()) << r.status().message();
  if (!r.ok()) return ~0ULL;
  EXPECT_EQ(r->exit_code, 0) << r->output;
  std::istringstream line(r->output);
  std::string field, mask;
  line >> field >> mask;
  return std::strtoull(mask.c_str(), nullptr, 16);
}

TEST(CrmToolsTest, AToolStartsWithSigpipesDefaultThoughWeIgnoreIt) {
  IgnoreBrokenPipes();  // as main does
  struct sigaction now {};
  ASSERT_EQ(sigaction(SIGPIPE, nullptr, &now), 0);
  ASSERT_EQ(now.sa_handler, SIG_IGN);
  const unsigned long long sigpipe_bit = 1ULL << (SIGPIPE - 1);
  EXPECT_EQ(ChildIgnoredSignals() & sigpipe_bit, 0u) << "the tool inherited our SIG_IGN for SIGPIPE";
}

}  // namespace
}  // namespace cs::pacemaker
