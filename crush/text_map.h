// crush/text_map: compiles a CRUSH map written in Ceph's text format (what
// `crushtool -d` prints and `crushtool -c` reads) into a crush::Map, with
// Ceph's compiler semantics: legacy tunables unless stated, buckets placed
// after the buckets they contain, unnumbered buckets given the first free
// id, item weights rounded as Ceph rounds them, device classes with their
// shadow trees (built at the first rule, with Ceph's ids, so that
// `step take X class C` maps as in Ceph) and choose_args weight sets and
// ids. Errors name the line and column:
// "map.txt:12:8: item 'osd.9' in bucket 'host3' is not defined".
#pragma once

#include <string>

#include "crush/map.h"
#include "util/status.h"

namespace cs::crush {

// `source` names the text in messages (a file name, or "<stdin>").
Result<Map> CompileText(const std::string& text, const std::string& source);
Result<Map> CompileFile(const std::string& path);

}  // namespace cs::crush
