// A registration body as the manager reads it before it signs anything: the
// JSON object, its text fields, and the CSR (PEM parse, signature check,
// common name). Half the inputs are taken as the CSR text itself, so the
// PEM and ASN.1 reading gets input that is not JSON-escaped.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "crypto/csr.h"
#include "util/json_parse.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (data[0] & 1) {
    (void)cs::crypto::ParseAndVerifyCsr(std::string(text));
    return 0;
  }
  nlohmann::json body = cs::ParseUntrustedJsonOrDiscarded(text);
  if (body.is_discarded() || !body.is_object()) return 0;
  for (const char* key : {"fqdn", "nodename", "csr"}) {
    if (!body.contains(key) || !body[key].is_string()) return 0;
  }
  auto csr = cs::crypto::ParseAndVerifyCsr(body["csr"].get<std::string>());
  if (csr.ok()) (void)(csr->common_name() == body["fqdn"].get<std::string>());
  return 0;
}
