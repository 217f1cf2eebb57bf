// RestPath: how the manager reads the path of a request to its REST API:
// repeated slashes collapsed (the original CLI joins "<url>/api/..." with a
// --url that already ends in '/'), the part under /api/ split into its
// segments ("host/3/" -> {"host", "3"}), and a segment read as a record id.
// Pure functions of untrusted text (fuzz/manager_rest_fuzz.cpp).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace cs::manager {

// "//api//host/" -> "/api/host/".
std::string CollapseSlashes(const std::string& path);
// The non-empty segments between slashes, in order.
std::vector<std::string> SplitPath(const std::string& path);
// A record id: 1 to 15 decimal digits; -1 for anything else.
int64_t ParseId(const std::string& text);
// The id at the end of a resource URI ("/api/host/3/" -> 3), or -1.
int64_t IdFromUri(const std::string& uri);

}  // namespace cs::manager
