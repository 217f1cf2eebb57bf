// Bad input and broken environments: exit 2, one clear line on stderr, and
// the state left exactly as it was.
#include <sys/stat.h>
#include <unistd.h>

#include <thread>

#include "tests/integration/cli_test_util.h"
#include "tests/time_scale.h"

namespace cs::testing {
namespace {

class ErrorsTest : public CliTest {
 protected:
  // Expects `setup args` to fail with exit 2 and `needle` on stderr, and the
  // existing state to be unchanged (export before == export after).
  void ExpectSetupRefused(const std::vector<std::string>& args, const std::string& needle) {
    const auto before = Export("before");
    std::vector<std::string> all = {"setup"};
    all.insert(all.end(), args.begin(), args.end());
    const CliResult r = Run(all);
    EXPECT_TRUE(IsUsageError(r, needle));
    EXPECT_EQ(r.out, "");
    const auto after = Export("after");
    EXPECT_FALSE(before.empty());
    EXPECT_EQ(before, after) << "a refused setup changed the state";
    ExpectCheckOk();
  }

  // Expects a first setup with `args` to fail and to leave no state behind.
  void ExpectFirstSetupRefused(const std::vector<std::string>& args, const std::string& needle) {
    std::vector<std::string> all = {"setup"};
    all.insert(all.end(), args.begin(), args.end());
    const CliResult r = Run(all);
    EXPECT_TRUE(IsUsageError(r, needle));
    EXPECT_FALSE(PathExists(Config())) << "a refused first setup created " << Config();
    EXPECT_TRUE(IsUsageError(Run({"status"}), "run 'cluster-sim setup' first"));
  }
};

TEST_F(ErrorsTest, UnknownOption) {
  ExpectFirstSetupRefused({"--bogus"}, "--bogus");
  Setup();
  ExpectSetupRefused({"--bogus"}, "--bogus");
  EXPECT_TRUE(IsUsageError(RunCli({"--bogus", "--config", Config(), "status"}), "--bogus"));
}

TEST_F(ErrorsTest, UnknownCommand) {
  EXPECT_TRUE(IsUsageError(Run({"frobnicate"}), "frobnicate"));
  EXPECT_FALSE(PathExists(Config()));
  EXPECT_TRUE(IsUsageError(Run({"state", "frobnicate"})));
  EXPECT_TRUE(IsUsageError(Run({})));  // no command at all
  EXPECT_FALSE(PathExists(Config()));
}

TEST_F(ErrorsTest, NonNumericCount) {
  ExpectFirstSetupRefused({"--server_count", "abc"}, "server_count");
  Setup();
  ExpectSetupRefused({"--server_count", "abc"}, "server_count");
  ExpectSetupRefused({"--volume_count", "12x"}, "volume_count");
}

TEST_F(ErrorsTest, NegativeCount) {
  ExpectFirstSetupRefused({"--server_count", "-3"}, "server_count");
  Setup();
  ExpectSetupRefused({"--server_count", "-3"}, "server_count");
  ExpectSetupRefused({"--nid_count=-1"}, "nid_count");
}

TEST_F(ErrorsTest, ServerCountNotMultipleOfSuSize) {
  ExpectFirstSetupRefused({"--server_count", "10", "--su_size", "4"}, "multiple");
}

TEST_F(ErrorsTest, VolumeCountNotMultipleOfSus) {
  ExpectFirstSetupRefused({"--server_count", "8", "--su_size", "4", "--volume_count", "7"}, "multiple");
}

TEST_F(ErrorsTest, OutOfRangeCounts) {
  ExpectFirstSetupRefused({"--nid_count", "0"}, "nid_count");
  ExpectFirstSetupRefused({"--cluster_size", "0"}, "cluster_size");
}

TEST_F(ErrorsTest, Shrinking) {
  Setup();
  ExpectSetupRefused({"--server_count", "4"}, "only adds");
  ExpectSetupRefused({"--volume_count", "10"}, "only adds");
  ExpectSetupRefused({"--worker_count", "0"}, "only adds");
}

TEST_F(ErrorsTest, ChangingClusterSize) {
  Setup();
  ExpectSetupRefused({"--cluster_size", "2"}, "cluster_size");
  ExpectSetupRefused({"--server_count", "12", "--cluster_size", "6"}, "cluster_size");
}

TEST_F(ErrorsTest, ChangingSuSizeOrNids) {
  Setup({"--server_count", "8", "--su_size", "4"});
  ExpectSetupRefused({"--su_size", "2"}, "su_size");
  ExpectSetupRefused({"--server_count", "12", "--volume_count", "30"}, "volume_count");
  ExpectSetupRefused({"--nid_count", "2"}, "NIDs");
}

TEST_F(ErrorsTest, ConfigUnderARegularFile) {
  WriteFile(Tmp("file"), "not a directory\n");
  const std::string config = Tmp("file") + "/sub";
  const CliResult r = RunIn(config, {"setup"});
  EXPECT_TRUE(IsUsageError(r, config));
  EXPECT_EQ(ReadFile(Tmp("file")), "not a directory\n");
}

TEST_F(ErrorsTest, StateDirectoryNotWritable) {
  if (geteuid() == 0) {
    GTEST_SKIP() << "running as root: directory permissions do not stop root from writing "
                    "(ConfigUnderARegularFile covers an unusable --config)";
  }
  // A new state directory inside a read-only one.
  ASSERT_EQ(mkdir(Tmp("ro").c_str(), 0755), 0);
  ASSERT_EQ(chmod(Tmp("ro").c_str(), 0555), 0);
  const std::string inner = Tmp("ro") + "/state";
  EXPECT_TRUE(IsUsageError(RunIn(inner, {"setup"}), "cannot create"));
  EXPECT_FALSE(PathExists(inner));

  // An existing fleet whose directory became read-only.
  Setup();
  const auto before = Export("before");
  ASSERT_EQ(chmod(Config().c_str(), 0555), 0);
  EXPECT_TRUE(IsUsageError(Run({"setup", "--server_count", "12"}), "not writable"));
  ASSERT_EQ(chmod(Config().c_str(), 0755), 0);
  EXPECT_EQ(before, Export("after"));
}

TEST_F(ErrorsTest, ConfigIsAFile) {
  WriteFile(Config(), "hello\n");
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"setup"}, {"status"}, {"check"}, {"testconfig"},
        {"state", "export", Tmp("export")}}) {
    EXPECT_TRUE(IsUsageError(Run(args), "not a directory")) << args[0];
  }
  EXPECT_EQ(ReadFile(Config()), "hello\n");
  EXPECT_FALSE(PathExists(Tmp("export")));
}

TEST_F(ErrorsTest, DatabaseLockedByAnotherProcess) {
  Setup();
  const auto before = Export("before");
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open_v2((Config() + "/state.db").c_str(), &db, SQLITE_OPEN_READWRITE, nullptr),
            SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "BEGIN EXCLUSIVE", nullptr, nullptr, nullptr), SQLITE_OK)
      << sqlite3_errmsg(db);
  const auto start = std::chrono::steady_clock::now();
  const CliResult r = Run({"setup", "--server_count", "12"});
  const auto took = std::chrono::steady_clock::now() - start;
  EXPECT_TRUE(IsUsageError(r, "locked"));
  // It gives up after its 2 s busy timeout, not when RunCli kills it at 60 s.
  EXPECT_LT(took, Scaled(std::chrono::seconds(30))) << "gave up only after a long wait";
  EXPECT_FALSE(r.timed_out);
  ASSERT_EQ(sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  EXPECT_EQ(before, Export("after"));
  Setup({"--server_count", "12"});  // works once the lock is gone
  EXPECT_EQ(StatusJson()["summary"]["server_count"], 12);
}

TEST_F(ErrorsTest, CorruptDatabase) {
  Setup();
  for (const char* suffix : {"-wal", "-shm"}) unlink((Config() + "/state.db" + suffix).c_str());
  std::string garbage;
  for (int i = 0; i < 4096; ++i) garbage += static_cast<char>('A' + i % 26);
  WriteFile(Config() + "/state.db", garbage);
  EXPECT_TRUE(IsUsageError(Run({"status"}), "not a valid"));
  EXPECT_TRUE(IsUsageError(Run({"check"}), "not a valid"));
  EXPECT_TRUE(IsUsageError(Run({"setup"}), "not a valid"));
  EXPECT_EQ(ReadFile(Config() + "/state.db"), garbage) << "setup overwrote a corrupt database";
}

TEST_F(ErrorsTest, DatabaseFromNewerSchema) {
  Setup();
  Export("export");
  Sql("PRAGMA user_version = 99");
  EXPECT_TRUE(IsUsageError(Run({"status"}), "newer"));
  EXPECT_TRUE(IsUsageError(Run({"check"}), "newer"));
  EXPECT_TRUE(IsUsageError(Run({"setup"}), "newer"));
  EXPECT_TRUE(IsUsageError(Run({"state", "export", Tmp("export2")}), "newer"));
  EXPECT_TRUE(IsUsageError(Run({"state", "import", "--replace", Tmp("export")}), "newer"));
}

TEST_F(ErrorsTest, NoStateYet) {
  const std::string needle = "run 'cluster-sim setup' first";
  EXPECT_TRUE(IsUsageError(Run({"status"}), needle));
  EXPECT_TRUE(IsUsageError(Run({"status", "--json"}), needle));
  EXPECT_TRUE(IsUsageError(Run({"check"}), needle));
  EXPECT_TRUE(IsUsageError(Run({"testconfig"}), needle));
  EXPECT_TRUE(IsUsageError(Run({"state", "export", Tmp("export")}), needle));
  // Every table of the saved state opens it the same way (OpenSavedState).
  for (const std::vector<std::string>& table :
       {std::vector<std::string>{"power", "status", "servers"}, {"power", "fencing"}, {"controller", "list"},
        {"crush", "map"}, {"cib", "list"}}) {
    EXPECT_TRUE(IsUsageError(Run(table), needle)) << table[0] << " " << table[1];
  }
  EXPECT_FALSE(PathExists(Config()));
  EXPECT_FALSE(PathExists(Tmp("export")));
  // An existing but empty directory is no state either.
  ASSERT_EQ(mkdir(Config().c_str(), 0755), 0);
  EXPECT_TRUE(IsUsageError(Run({"status"}), needle));
  EXPECT_TRUE(IsUsageError(Run({"check"}), needle));
  EXPECT_FALSE(PathExists(Config() + "/state.db"));
}

}  // namespace
}  // namespace cs::testing

namespace cs::testing {
namespace {

// Every numeric option goes through the shared checker (util/number_check.h):
// NaN, infinity, overflow and garbage are refused before anything runs.
TEST_F(ErrorsTest, NumericOptionsRefuseNanInfinityAndOverflow) {
  ExpectFirstSetupRefused({"--server_count", "99999999999999999999"}, "server_count");
  ExpectFirstSetupRefused({"--server_count", "1e3"}, "server_count");
  ExpectFirstSetupRefused({"--seed", "9223372036854775808"}, "seed");
  Setup();
  for (const char* value : {"nan", "inf", "-inf", "1e400", "0.01", "3601", "5s"}) {
    const CliResult r = Run({"run", "--poll-seconds", value});
    EXPECT_TRUE(IsUsageError(r, "poll-seconds")) << value << ": " << r.err;
    EXPECT_NE(r.err.find("the value must be"), std::string::npos) << value << ": " << r.err;
  }
  const CliResult pause = Run({"power", "pdu", "pdu000", "1", "reboot", "--pause-seconds", "nan"});
  EXPECT_NE(pause.err.find("the value must be"), std::string::npos) << pause.err;
  const CliResult timeout = Run({"manager", "action", "test000", "start_lnet", "--wait", "--timeout", "nan"});
  EXPECT_NE(timeout.err.find("the value must be"), std::string::npos) << timeout.err;
  ExpectCheckOk();
}

// `ctl OPERATION --control-url URL`: the option is ctl's even after the
// operation (it used to become an argument, and ctl talked to the default
// address).
TEST_F(ErrorsTest, CtlOptionsAfterTheOperationAreCtls) {
  const CliResult r = Run({"ctl", "faults", "--control-url", "ftp://nowhere.invalid/"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("ftp"), std::string::npos) << r.err;
  const CliResult twice = Run({"ctl", "get_server", "--fqdn", "a", "--fqdn", "b"});
  EXPECT_NE(twice.err.find("twice"), std::string::npos) << twice.err;
}

}  // namespace
}  // namespace cs::testing
