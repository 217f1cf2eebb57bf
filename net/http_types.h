// HTTP message types shared by HttpsServer and HttpsClient: header lists,
// incoming requests, outgoing requests, responses, and what is known about a
// peer's TLS certificate. Plain structs with no Boost in sight, so code that
// uses net/ compiles fast.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cs::net {

// An ordered list of header fields. Names compare case-insensitively; a name
// may repeat (Set-Cookie does).
class Headers {
 public:
  using Field = std::pair<std::string, std::string>;

  // Appends a field, keeping any existing ones of that name.
  void Add(std::string name, std::string value);
  // Replaces every field of that name with one field.
  void Set(std::string name, std::string value);
  void Remove(std::string_view name);

  bool Has(std::string_view name) const;
  // The first value of `name`, if any.
  std::optional<std::string> Get(std::string_view name) const;
  std::vector<std::string> GetAll(std::string_view name) const;

  std::vector<Field>::const_iterator begin() const { return fields_.begin(); }
  std::vector<Field>::const_iterator end() const { return fields_.end(); }
  size_t size() const { return fields_.size(); }
  bool empty() const { return fields_.empty(); }

 private:
  std::vector<Field> fields_;
};

// Decoded query parameters in the order they appeared.
using QueryParams = std::vector<std::pair<std::string, std::string>>;

// The client certificate presented during a TLS handshake, as the server saw
// it. Only `verified` says the certificate chains to the configured client
// CA; a presented but unverified certificate proves nothing.
struct PeerCertificate {
  bool presented = false;
  bool verified = false;
  std::string subject_cn;
  // Upper-case hex, two digits per byte, as `openssl x509 -serial` prints.
  std::string serial_hex;
  // Why verification failed ("unable to get local issuer certificate").
  std::string verify_error;
};

// A request received by HttpsServer.
struct Request {
  std::string method;  // "GET"
  std::string target;  // as sent: "/api/host/?limit=0"
  std::string path;    // percent-decoded path part: "/api/host/"
  QueryParams query;   // decoded query part
  Headers headers;
  std::string body;
  std::string remote_address;  // "127.0.0.1"
  uint16_t remote_port = 0;
  PeerCertificate peer_cert;  // presented == false on plain HTTP

  // The first value of query parameter `key`, if present.
  std::optional<std::string> QueryValue(std::string_view key) const;
};

// A response: sent by a server handler, or received by HttpsClient.
struct Response {
  int status = 200;
  Headers headers;
  std::string body;

  // A response with a Content-Type header set.
  static Response Text(int status, std::string body);
  static Response Json(int status, std::string body);
};

// A request sent by HttpsClient.
struct ClientRequest {
  std::string method = "GET";
  // Path and query relative to the client's base URL, e.g. "api/session/"
  // or "message/?server_boot_time=..." (encode values with PercentEncode).
  std::string target;
  Headers headers;
  std::string body;
  // Whole-request deadline (connect, TLS, send, receive); 0 = the client's
  // default.
  std::chrono::milliseconds timeout{0};
};

}  // namespace cs::net
