// Checks of the load reports against the real tools, shared by the tests
// of the writers (metrics_test) and of `bench --csv/--html`
// (benchmark_test): the header lines of the CSV files Debian's
// python3-locust writes itself, and the DOM of a page rendered by
// headless Chromium (Debian's chromium).
#pragma once

#include <string>
#include <vector>

namespace cs::testing {

// Runs a command line (no user input in it); its exit status, its output
// (stdout and stderr) in *output.
int RunCommand(const std::string& command, std::string* output);
// A file's lines without their line ends ("\r\n" or "\n").
std::vector<std::string> FileLines(const std::string& path);
// The number of comma-separated fields of a CSV line without quotes.
size_t Fields(const std::string& line);

// Locust writes its three files under `prefix` (tests/metrics/locust_reference.py);
// false with the reason in *output when it could not.
bool WriteLocustReference(const std::string& prefix, std::string* output);
// Headless Chromium's DOM of `html_path` after 5 s of virtual time (a
// profile under `scratch_dir`); false with its output when it failed.
bool ChromiumDom(const std::string& html_path, const std::string& scratch_dir, std::string* dom);

}  // namespace cs::testing
