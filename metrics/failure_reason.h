// Failure reasons: the short strings failures are counted by ("HTTP 500",
// "connection refused", "timeout", "TLS handshake", ...), so a table of
// failures has a handful of rows, not one per error message. A request's
// own text (URL, query) never becomes a reason.
#pragma once

#include <string>

#include "util/status.h"

namespace cs::metrics {

// A non-2xx answer: "HTTP <status>".
std::string HttpFailure(int status);
// A request that got no answer: what kind of transport failure it was.
std::string TransportFailure(const Status& status);

}  // namespace cs::metrics
