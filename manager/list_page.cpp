#include "manager/list_page.h"

#include <algorithm>

namespace cs::manager {

namespace {

// A whole number >= 0 (at most 15 digits), or nullopt.
std::optional<size_t> WholeNumber(const std::string& text) {
  if (text.empty() || text.size() > 15) return std::nullopt;
  size_t v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<size_t>(c - '0');
  }
  return v;
}

Json PageUri(const std::string& list_uri, size_t limit, size_t offset) {
  return list_uri + "?limit=" + std::to_string(limit) + "&offset=" + std::to_string(offset);
}

}  // namespace

Result<ListPage> ParseListPage(const net::Request& request) {
  ListPage page;
  if (std::optional<std::string> limit = request.QueryValue("limit")) {
    std::optional<size_t> v = WholeNumber(*limit);
    if (!v) {
      return Status::InvalidArgument("Invalid limit '" + *limit +
                                     "' provided. Please provide a positive integer >= 0.");
    }
    page.limit = *v;
  }
  if (std::optional<std::string> offset = request.QueryValue("offset")) {
    std::optional<size_t> v = WholeNumber(*offset);
    if (!v) {
      return Status::InvalidArgument("Invalid offset '" + *offset +
                                     "' provided. Please provide a positive integer >= 0.");
    }
    page.offset = *v;
  }
  return page;
}

Json PageBody(const std::string& list_uri, const ListPage& page, size_t total,
              std::vector<Json> objects) {
  Json meta = {{"limit", page.limit}, {"offset", page.offset}, {"total_count", total}};
  if (page.limit != 0) {
    meta["previous"] = page.offset < page.limit ? Json() : PageUri(list_uri, page.limit, page.offset - page.limit);
    meta["next"] = page.offset + page.limit >= total ? Json() : PageUri(list_uri, page.limit, page.offset + page.limit);
  }
  return Json{{"meta", std::move(meta)}, {"objects", std::move(objects)}};
}

std::vector<Json> Slice(std::vector<Json> all, const ListPage& page) {
  if (page.offset >= all.size()) return {};
  const size_t end = page.limit == 0 ? all.size() : std::min(all.size(), page.offset + page.limit);
  return std::vector<Json>(std::make_move_iterator(all.begin() + static_cast<std::ptrdiff_t>(page.offset)),
                           std::make_move_iterator(all.begin() + static_cast<std::ptrdiff_t>(end)));
}

}  // namespace cs::manager
