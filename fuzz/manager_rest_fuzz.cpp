// The manager's REST handling of what is not the body: the request target
// as its HTTPS server splits it (percent-decoded path, decoded query), the
// path as the REST API routes it (slashes collapsed, segments under /api/,
// record ids), and the query as lists page (limit, offset) and api/log/
// filters it. Properties: ids are -1 or 0..10^15; a page holds what it
// says; the previous/next URIs of a page read back as the neighbouring
// pages.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "manager/list_page.h"
#include "manager/log_query.h"
#include "manager/rest_path.h"
#include "net/url.h"

namespace {

// As net/https_server.cpp fills a Request from its target.
cs::net::Request FromTarget(std::string_view target) {
  cs::net::Request r;
  r.method = "GET";
  r.target = std::string(target);
  const size_t question = target.find('?');
  r.path = cs::net::PercentDecode(target.substr(0, question), false);
  if (question != std::string_view::npos) r.query = cs::net::ParseQuery(target.substr(question + 1));
  return r;
}

void CheckNeighbour(const cs::Json& uri, size_t limit, size_t offset) {
  if (uri.is_null()) return;
  if (!uri.is_string()) __builtin_trap();
  auto page = cs::manager::ParseListPage(FromTarget(uri.get<std::string>()));
  if (!page.ok() || page->limit != limit || page->offset != offset) __builtin_trap();
}

constexpr size_t kMaxList = 97;

// The lists a page is cut from: Lists()[n] holds 0..n-1. Built once, not
// per input (they do not depend on it).
const std::vector<std::vector<cs::Json>>& Lists() {
  static const std::vector<std::vector<cs::Json>> lists = [] {
    std::vector<std::vector<cs::Json>> all(kMaxList);
    for (size_t n = 0; n < kMaxList; ++n) {
      for (size_t i = 0; i < n; ++i) all[n].push_back(static_cast<int64_t>(i));
    }
    return all;
  }();
  return lists;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 1 << 16) return 0;
  const cs::net::Request request = FromTarget(std::string_view(reinterpret_cast<const char*>(data), size));

  const std::string path = cs::manager::CollapseSlashes(request.path);
  if (path.find("//") != std::string::npos) __builtin_trap();
  if (path.rfind("/api/", 0) == 0) {
    for (const std::string& part : cs::manager::SplitPath(path.substr(5))) {
      if (part.empty() || part.find('/') != std::string::npos) __builtin_trap();
      const int64_t id = cs::manager::ParseId(part);
      if (id < -1 || id >= 1000000000000000) __builtin_trap();
    }
    (void)cs::manager::IdFromUri(path);
  }

  auto page = cs::manager::ParseListPage(request);
  if (page.ok()) {
    const size_t total = size % kMaxList;
    const std::vector<cs::Json> slice = cs::manager::Slice(Lists()[total], *page);
    const size_t after = total - std::min(total, page->offset);
    const size_t expected = page->limit == 0 ? after : std::min(after, page->limit);
    if (slice.size() != expected) __builtin_trap();
    if (!slice.empty() && slice.front() != static_cast<int64_t>(page->offset)) __builtin_trap();
    const cs::Json body = cs::manager::PageBody("/api/host/", *page, total, slice);
    const cs::Json& meta = body["meta"];
    if (meta["total_count"] != total) __builtin_trap();
    if (page->limit != 0) {
      CheckNeighbour(meta["previous"], page->limit, page->offset - std::min(page->offset, page->limit));
      CheckNeighbour(meta["next"], page->limit, page->offset + page->limit);
    }
  }

  auto logs = cs::manager::ParseLogQuery(request.query);
  if (logs.ok() && (logs->limit < 0 || logs->offset < 0)) __builtin_trap();
  return 0;
}
