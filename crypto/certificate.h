// Certificate: a parsed X.509 certificate (a server's, the manager's, or a CA
// certificate) with the few facts the simulator needs, and verification of a
// certificate against a CA certificate.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "crypto/openssl_util.h"
#include "util/clock.h"
#include "util/status.h"

namespace cs::crypto {

class Certificate {
 public:
  // Parses the first certificate of a PEM text.
  static Result<Certificate> Parse(const std::string& pem);
  static Result<Certificate> Load(const std::string& path);
  // Takes ownership of an OpenSSL certificate (for the CA code).
  static Certificate Adopt(X509Ptr x509);

  std::string ToPem() const;

  // The subject's commonName ("" when there is none).
  std::string common_name() const;
  std::string issuer_common_name() const;
  // Upper-case hex, two digits a byte, as `openssl x509 -serial` prints it.
  std::string serial_hex() const;
  WallTime not_before() const;
  WallTime not_after() const;
  // subjectAltName entries: DNS names, and IP addresses in text form.
  std::vector<std::string> dns_names() const;
  std::vector<std::string> ip_addresses() const;
  bool is_ca() const;

  // Whether `key` is the private key of this certificate's public key.
  bool MatchesKey(EVP_PKEY* key) const;

  X509* get() const { return x509_.get(); }

  // Copies share the same immutable OpenSSL certificate.
  Certificate(const Certificate& other);
  Certificate& operator=(const Certificate& other);
  Certificate(Certificate&&) = default;
  Certificate& operator=(Certificate&&) = default;

 private:
  explicit Certificate(X509Ptr x509) : x509_(std::move(x509)) {}
  X509Ptr x509_;
};

struct VerifyOptions {
  enum class Purpose { kAny, kTlsClient, kTlsServer };
  Purpose purpose = Purpose::kAny;
  // The time to check validity at; the system time when unset.
  std::optional<WallTime> at;
};

// Verifies that `cert` chains to the trusted `ca` (signature, validity
// period, CA constraints, and purpose when asked). The error message carries
// OpenSSL's reason, e.g. "unable to get local issuer certificate".
Status VerifyCertificate(const Certificate& cert, const Certificate& ca,
                         const VerifyOptions& options = {});

}  // namespace cs::crypto
