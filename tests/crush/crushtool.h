// Test helpers around Debian's crushtool (package ceph-base, installed by
// scripts/setup-deps): compile a text map and run --test on it, capturing
// standard output. A missing crushtool fails the test that needs it.
#pragma once

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace cs::crush::testing {

struct CommandResult {
  int status = -1;
  std::string out;
};

inline CommandResult RunCommand(const std::string& command) {
  CommandResult r;
  FILE* p = popen(command.c_str(), "r");
  if (!p) return r;
  std::array<char, 65536> buf;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) r.out.append(buf.data(), n);
  r.status = pclose(p);
  return r;
}

inline std::filesystem::path ScratchDir(const std::string& name) {
  std::filesystem::path dir = std::filesystem::temp_directory_path() /
                              ("cs-crush-" + name + "-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  return dir;
}

inline void WriteFile(const std::filesystem::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

// Lines that differ between our output and crushtool's (a missing line
// counts); the first difference is described in *first.
inline int CountMismatches(const std::string& ours, const std::string& theirs, std::string* first) {
  std::istringstream a(ours), b(theirs);
  std::string la, lb;
  int mismatches = 0;
  while (true) {
    const bool ga = static_cast<bool>(std::getline(a, la));
    const bool gb = static_cast<bool>(std::getline(b, lb));
    if (!ga && !gb) break;
    if (!ga || !gb || la != lb) {
      if (mismatches++ == 0) *first = "ours '" + (ga ? la : "<none>") + "' crushtool '" + (gb ? lb : "<none>") + "'";
    }
  }
  return mismatches;
}

inline bool HaveCrushtool() { return RunCommand("command -v crushtool >/dev/null 2>&1").status == 0; }

}  // namespace cs::crush::testing
