// `cluster-sim manager`: serves on a loopback port with a fresh state
// directory, answers the client subcommands, stops cleanly on SIGTERM, and
// keeps its CA and tokens across a restart.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "tests/integration/run_cli.h"

namespace cs::testing {
namespace {

// A port that was free a moment ago (the manager binds it right after).
int FreePort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

// Sends SIGTERM and waits at most 10 s; returns the exit code (-1: none).
int TermAndWait(pid_t pid) {
  kill(pid, SIGTERM);
  for (int i = 0; i < 200; ++i) {
    int status = 0;
    if (waitpid(pid, &status, WNOHANG) == pid) return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  KillAndReap(pid);
  return -1;
}

class ManagerCliTest : public ::testing::Test {
 protected:
  pid_t Start() {
    pid_t pid = SpawnCli({"manager", "--listen", "127.0.0.1:" + std::to_string(port_), "--dir", dir_.Sub("m")});
    // Up when a client command gets through (at most 10 s).
    for (int i = 0; i < 100; ++i) {
      if (PathExists(dir_.Sub("m/users.json")) && Client({"hosts"}).exit_code == 0) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return pid;
  }
  CliResult Client(std::vector<std::string> args) {
    args.insert(args.begin(), "manager");
    for (const std::string& a : {std::string("--manager-url"), "https://localhost:" + std::to_string(port_) + "/",
                                 std::string("--dir"), dir_.Sub("m")}) {
      args.push_back(a);
    }
    return RunCli(args, std::chrono::seconds(30));
  }
  TempDir dir_;
  int port_ = FreePort();
};

TEST_F(ManagerCliTest, ServesTokensAndHostsAndStopsOnSigterm) {
  pid_t pid = Start();
  CliResult token = Client({"token", "create", "--credits", "3"});
  ASSERT_EQ(token.exit_code, 0) << token.Describe();
  ASSERT_FALSE(token.out.empty());
  for (char c : token.out.substr(0, token.out.size() - 1)) EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c)) || c == '_');
  CliResult hosts = Client({"hosts", "--json"});
  ASSERT_EQ(hosts.exit_code, 0) << hosts.Describe();
  EXPECT_EQ(nlohmann::json::parse(hosts.out), nlohmann::json::array());
  CliResult wrong = Client({"hosts", "--password", "nope"});
  EXPECT_EQ(wrong.exit_code, 2);
  EXPECT_NE(wrong.err.find("401"), std::string::npos) << wrong.Describe();
  CliResult missing = Client({"failover", "testfs-OST0000"});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("no target 'testfs-OST0000'"), std::string::npos) << missing.Describe();
  CliResult malformed = Client({"fs", "create", "--name", "testfs", "--mgt", "test000", "--mdt", "test000:1",
                                "--ost", "test001:2"});
  EXPECT_EQ(malformed.exit_code, 2);
  EXPECT_NE(malformed.err.find("not HOST:DEVICE"), std::string::npos) << malformed.Describe();
  CliResult unknown = Client({"fs", "create", "--name", "testfs", "--mgt", "test000:0", "--mdt", "test000:1",
                              "--ost", "test001:/dev/sdb"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.err.find("no registered host 'test000'"), std::string::npos) << unknown.Describe();
  CliResult commands = Client({"commands"});
  EXPECT_EQ(commands.exit_code, 0) << commands.Describe();
  EXPECT_NE(commands.out.find("state"), std::string::npos);
  EXPECT_EQ(TermAndWait(pid), 0);

  const std::string ca = ReadFile(dir_.Sub("m/ca.crt"));
  pid = Start();
  EXPECT_EQ(ReadFile(dir_.Sub("m/ca.crt")), ca);  // reused, not replaced
  CliResult again = Client({"hosts"});
  EXPECT_EQ(again.exit_code, 0) << again.Describe();
  EXPECT_EQ(TermAndWait(pid), 0);
  EXPECT_EQ(ReadFile(dir_.Sub("m/users.json")).find("lustre"), std::string::npos);
}

}  // namespace
}  // namespace cs::testing
