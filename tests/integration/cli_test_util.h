// Shared fixture of the cluster-sim command-line tests: a fresh state
// directory per test and short-hands for the commands.
#pragma once

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/integration/run_cli.h"

namespace cs::testing {

using Json = nlohmann::json;

class CliTest : public ::testing::Test {
 protected:
  // The state directory (--config) of this test: not created yet.
  std::string Config() const { return tmp_.Sub("state"); }
  std::string Tmp(const std::string& name) const { return tmp_.Sub(name); }

  CliResult Run(const std::vector<std::string>& args) { return RunWithConfig(Config(), args); }
  CliResult RunIn(const std::string& config, const std::vector<std::string>& args) {
    return RunWithConfig(config, args);
  }

  // Runs setup (with `args`) and requires success.
  void Setup(const std::vector<std::string>& args = {}, const std::string& config = "") {
    std::vector<std::string> all = {"setup"};
    all.insert(all.end(), args.begin(), args.end());
    const CliResult r = RunIn(config.empty() ? Config() : config, all);
    ASSERT_EQ(r.exit_code, 0) << r.Describe();
    ASSERT_EQ(r.err, "") << r.Describe();
  }

  Json StatusJson(const std::string& config = "") {
    const CliResult r = RunIn(config.empty() ? Config() : config, {"status", "--json"});
    EXPECT_EQ(r.exit_code, 0) << r.Describe();
    Json j = Json::parse(r.out, nullptr, false);
    EXPECT_FALSE(j.is_discarded()) << "status --json printed invalid JSON:\n" << r.out;
    return j;
  }

  // `state export` into a new directory named `name` under the temp dir;
  // returns the files written.
  std::map<std::string, std::string> Export(const std::string& name,
                                            const std::string& config = "") {
    const CliResult r = RunIn(config.empty() ? Config() : config, {"state", "export", Tmp(name)});
    EXPECT_EQ(r.exit_code, 0) << r.Describe();
    return ReadDirFiles(Tmp(name));
  }

  Json ExportedJson(const std::string& name, const std::string& file) {
    const std::string text = ReadFile(Tmp(name) + "/" + file);
    Json j = Json::parse(text, nullptr, false);
    EXPECT_FALSE(j.is_discarded()) << file << " is not JSON: " << text.substr(0, 200);
    return j;
  }

  void ExpectCheckOk(const std::string& config = "") {
    const CliResult r = RunIn(config.empty() ? Config() : config, {"check"});
    EXPECT_EQ(r.exit_code, 0) << r.Describe();
    EXPECT_NE(r.out.find("ok"), std::string::npos) << r.Describe();
    EXPECT_EQ(r.out.find("violation"), std::string::npos) << r.Describe();
  }

  // Runs SQL on <config>/state.db directly (to damage the state on purpose).
  void Sql(const std::string& sql, const std::string& config = "") {
    const std::string path = (config.empty() ? Config() : config) + "/state.db";
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr), SQLITE_OK);
    char* err = nullptr;
    const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
    const std::string message = err ? err : "";
    sqlite3_free(err);
    sqlite3_close(db);
    ASSERT_EQ(rc, SQLITE_OK) << sql << ": " << message;
  }

  TempDir tmp_;
};

// Exit 2, exactly one line on stderr, starting "cluster-sim: " and
// containing `needle` (case-sensitive; empty: anything).
inline ::testing::AssertionResult IsUsageError(const CliResult& r, const std::string& needle = "") {
  if (r.exit_code != 2) return ::testing::AssertionFailure() << "want exit 2; " << r.Describe();
  const auto lines = r.ErrLines();
  if (lines.size() != 1) {
    return ::testing::AssertionFailure() << "want exactly one stderr line; " << r.Describe();
  }
  if (lines[0].rfind("cluster-sim: ", 0) != 0) {
    return ::testing::AssertionFailure() << "stderr must start with 'cluster-sim: '; " << r.Describe();
  }
  if (lines[0].size() <= std::string("cluster-sim: ").size() + 5) {
    return ::testing::AssertionFailure() << "stderr names no problem; " << r.Describe();
  }
  if (!needle.empty() && lines[0].find(needle) == std::string::npos) {
    return ::testing::AssertionFailure() << "stderr lacks '" << needle << "'; " << r.Describe();
  }
  return ::testing::AssertionSuccess();
}

}  // namespace cs::testing
