// CertBuilder: assembles and signs one X.509 v3 certificate for the CA code:
// random serial, validity window, extensions, subjectAltName, SHA-256
// signature. Internal to the crypto module.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "crypto/certificate.h"
#include "crypto/openssl_util.h"
#include "util/status.h"

namespace cs::crypto {

class CertBuilder {
 public:
  // A certificate for `subject` and `public_key`, valid from a little before
  // now for `validity`. `issuer` is the CA certificate, or nullptr for a
  // self-signed one.
  static Result<CertBuilder> Start(const X509_NAME* subject, EVP_PKEY* public_key,
                                   const X509* issuer, std::chrono::seconds validity);

  // Adds an extension from OpenSSL's config syntax ("critical,CA:TRUE").
  // Only for fixed values: names from callers go through AddSubjectAltNames.
  Status AddExtension(int nid, const char* value);
  // Adds subjectAltName with these DNS names and IP addresses, built entry
  // by entry so a name cannot smuggle in config syntax.
  Status AddSubjectAltNames(const std::vector<std::string>& dns_names,
                            const std::vector<std::string>& ip_addresses);

  Result<Certificate> Sign(EVP_PKEY* issuer_key);

 private:
  CertBuilder(X509Ptr x509, const X509* issuer) : x509_(std::move(x509)), issuer_(issuer) {}
  X509Ptr x509_;
  const X509* issuer_;  // nullptr when self-signed
};

// A random positive serial of 127 bits (RFC 5280 allows up to 20 octets and
// asks for at least 64 bits of randomness from CAs).
Result<Asn1IntegerPtr> RandomSerial();

// Whether `name` is acceptable as a DNS subjectAltName: letters, digits,
// '-', '.', and a leading "*." wildcard; at most 253 characters.
bool IsValidDnsName(const std::string& name);

}  // namespace cs::crypto
