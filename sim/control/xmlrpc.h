// XML-RPC codec for the control interface.
//
// The Python cluster-sim served its control object over XML-RPC
// (SimpleXMLRPCServer, allow_none=True). Our control API speaks JSON, so this
// file converts between the two: a request body becomes a method name plus a
// JSON array of parameters, and a JSON result becomes a response body that
// Python's xmlrpc.client (and Python 2's xmlrpclib) can load.
//
// Type mapping, XML-RPC -> JSON:
//   int, i4      -> integer (must fit in 32 bits, as the spec says)
//   i8           -> integer (must fit in 64 bits; the Apache extension that
//                   Python 2.7 and 3 both read)
//   boolean      -> bool ("0" or "1" only, as Python insists)
//   string, and a <value> with no type element -> string
//   double       -> number (decimal or exponent form; no nan/inf)
//   dateTime.iso8601 -> string, the text unchanged
//   base64       -> object {"base64": "<text>"}, the text re-encoded without
//                   whitespace after checking it decodes. Not a decoded string:
//                   the bytes need not be UTF-8, and a JSON API cannot carry
//                   arbitrary bytes in a string.
//   struct       -> object (duplicate member names are refused)
//   array        -> array
//   nil          -> null (Python's allow_none extension)
//
// JSON -> XML-RPC (responses and calls):
//   null -> <nil/>; bool -> boolean; string -> string; object -> struct;
//   array -> array; json binary -> base64.
//   Integers in 32-bit range -> <int>. Larger ones -> <i8>: Python refuses to
//   *send* them but reads <i8> exactly, whereas <double> would silently lose
//   precision above 2^53 and turn an int into a float. Unsigned values above
//   INT64_MAX do not fit <i8> and are sent as <double>.
//   Floating point -> <double> in the shortest form that reads back exactly;
//   nan and infinities become <nil/>, as nlohmann::json's dump() turns them
//   into null.
//   Strings are escaped (&, <, >, and \r so it survives end-of-line
//   normalisation). Bytes that are not valid UTF-8 and characters XML 1.0 cannot
//   carry (most control characters) are replaced by U+FFFD: the alternative is
//   a document the peer's parser rejects outright.
//
// Parsing is strict: malformed XML, a DOCTYPE (so no entity expansion of any
// kind), unknown elements, stray text, invalid UTF-8 and out-of-range numbers
// are refused with an InvalidArgument status naming the problem and its line
// and column.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "util/status.h"

namespace cs {

struct XmlRpcLimits {
  // Larger bodies are refused before parsing. Real calls (register_many with a
  // few thousand servers) are well under a megabyte.
  std::size_t max_bytes = 16 * 1024 * 1024;
  // How many <value>s may nest inside each other (a top-level scalar is 1).
  // Conversion recurses, so this also bounds stack use.
  int max_depth = 64;
};

struct XmlRpcCall {
  std::string method;
  nlohmann::json params = nlohmann::json::array();
};

// A decoded methodResponse: either a value or a fault.
struct XmlRpcResponse {
  bool is_fault = false;
  nlohmann::json value;  // the single result; null for a fault
  int fault_code = 0;
  std::string fault_string;
};

// Parses a <methodCall> document.
Result<XmlRpcCall> ParseMethodCall(std::string_view xml, const XmlRpcLimits& limits = {});

// Parses a <methodResponse> document (for clients and tests).
Result<XmlRpcResponse> ParseMethodResponse(std::string_view xml,
                                           const XmlRpcLimits& limits = {});

// A <methodResponse> carrying `value` as its one parameter.
std::string FormatMethodResponse(const nlohmann::json& value);

// A <methodResponse> carrying a fault {faultCode, faultString}.
std::string FormatFault(int code, std::string_view message);

// A <methodCall>; `params` must be an array (anything else is sent as the
// single parameter).
std::string FormatMethodCall(std::string_view method, const nlohmann::json& params);

}  // namespace cs
