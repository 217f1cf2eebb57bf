#include "fakes/stats/stat_templates.h"

#include <array>
#include <cstdio>
#include <cstdlib>

namespace cs {

// In the file CMake generates from templates/*.json (stat_templates_data.cpp.in).
namespace stat_template_data {
extern const std::string_view kMdt;
extern const std::string_view kOst;
extern const std::string_view kNode;
}  // namespace stat_template_data

std::string_view StatTemplateText(StatTemplate which) {
  switch (which) {
    case StatTemplate::kMdt: return stat_template_data::kMdt;
    case StatTemplate::kOst: return stat_template_data::kOst;
    case StatTemplate::kNode: return stat_template_data::kNode;
  }
  return {};
}

Result<Json> ParseStatTemplate(std::string_view text) {
  Json doc = Json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return Status::InvalidArgument("a statistics template is not JSON");
  if (!doc.is_object()) return Status::InvalidArgument("a statistics template is not a JSON object");
  auto report = doc.find("report");
  if (report == doc.end() || !report->is_object()) {
    return Status::InvalidArgument("a statistics template has no \"report\" object");
  }
  return doc;
}

namespace {
Json ReportOrDie(StatTemplate which) {
  Result<Json> doc = ParseStatTemplate(StatTemplateText(which));
  if (!doc.ok()) {
    // CMake refused to configure with a template like this and the unit
    // tests parse each one: only a hand-edited build tree gets here.
    std::fprintf(stderr, "cluster-sim: built with a broken statistics template: %s\n",
                 doc.status().message().c_str());
    std::abort();
  }
  return std::move((*doc)["report"]);
}
}  // namespace

const Json& StatTemplateReport(StatTemplate which) {
  static const std::array<Json, 3> reports = {ReportOrDie(StatTemplate::kMdt), ReportOrDie(StatTemplate::kOst),
                                              ReportOrDie(StatTemplate::kNode)};
  return reports[static_cast<size_t>(which)];
}

}  // namespace cs
