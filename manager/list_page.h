// ListPage: how the REST API pages its lists, as IML's tastypie API did.
// A list GET takes `limit` (default 20; 0: everything) and `offset`
// (default 0) and answers
//   {"meta": {"limit", "offset", "total_count", "previous", "next"},
//    "objects": [...]}
// where previous/next are the URIs of the neighbouring pages, or null
// (tastypie leaves them out when limit is 0, and so do we). A limit or an
// offset that is not a whole number >= 0 is a 400 with tastypie's words.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "fakes/json_helpers.h"
#include "net/http_types.h"
#include "util/status.h"

namespace cs::manager {

struct ListPage {
  static constexpr size_t kDefaultLimit = 20;
  size_t offset = 0;
  size_t limit = kDefaultLimit;  // 0: no limit
};

// The page a list request asks for.
Result<ListPage> ParseListPage(const net::Request& request);

// The answer for one page: `objects` are the page's objects only, `total`
// counts them all; `list_uri` is the list's own URI ("/api/host/").
Json PageBody(const std::string& list_uri, const ListPage& page, size_t total,
              std::vector<Json> objects);

// The objects of `all` that fall on the page.
std::vector<Json> Slice(std::vector<Json> all, const ListPage& page);

}  // namespace cs::manager
