// `cluster-sim ctl <operation> [--name value ...]`: one control API call to
// the running daemon, for people. Values are read as JSON when they parse
// (true, 3, ["a","b"], {"mount_path": "..."}) and as plain strings
// otherwise; the answer is printed as JSON. Exit 0 on success, 1 when the
// daemon refused (its message on stderr), 2 on a usage error.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace cs::cli {

struct CtlOptions {
  std::string url = "http://127.0.0.1:8743/";
  std::optional<std::string> token_file;
  std::vector<std::string> words;  // operation, then --name value pairs
};

int RunCtl(const CtlOptions& options);

}  // namespace cs::cli
