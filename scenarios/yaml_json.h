// Reading scenario files: YAML (yaml-cpp) into JSON values, so the rest of
// the scenario code sees one data model and JSON files are read as the YAML
// subset they are. Plain scalars become numbers, booleans and null where
// YAML 1.2's core schema says so; quoted scalars stay strings. Each value's
// line is kept by its JSON pointer, so errors can name the line.
#pragma once

#include <map>
#include <string>

#include "fakes/json_helpers.h"
#include "util/status.h"

namespace cs::scenarios {

struct SourceDocument {
  std::string path;
  Json value;
  std::map<std::string, int> lines;  // JSON pointer ("/0/steps/1") -> 1-based line

  // The line of `pointer`, or of its nearest parent that has one; 0 if none.
  int LineOf(const std::string& pointer) const;
};

// Reads and parses `path`. Errors name the file (and line for syntax errors).
Result<SourceDocument> ReadYamlFile(const std::string& path);
// Parses `text` as if read from `path`.
Result<SourceDocument> ParseYaml(const std::string& text, const std::string& path);

}  // namespace cs::scenarios
