// The statistics templates: what an MDT, an OST and a server report the
// first time their agent reads them, as the original simulator started
// them. The values are data (fakes/stats/templates/*.json, each a
// {about, source, report} document); CMake checks that each parses and
// compiles its text into the library, so an installed daemon needs no data
// directory. docs/statistics.md says where they come from.
#pragma once

#include <string_view>

#include "fakes/json_helpers.h"
#include "util/status.h"

namespace cs {

enum class StatTemplate { kMdt, kOst, kNode };

// The template file's text, as shipped.
std::string_view StatTemplateText(StatTemplate which);

// The document a template's text holds: an object whose "report" is an
// object. Anything else is refused, naming what is wrong.
Result<Json> ParseStatTemplate(std::string_view text);

// The template's "report": the statistics as first reported. Parsed once.
const Json& StatTemplateReport(StatTemplate which);

}  // namespace cs
