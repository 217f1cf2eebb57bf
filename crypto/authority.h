// CertificateAuthority: the built-in manager's small CA. It signs the
// manager's TLS server certificate and, at registration, a client
// certificate for each simulated server from that server's CSR, as the real
// manager did. Stored in a directory as ca.key (0600) and ca.crt.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "crypto/certificate.h"
#include "crypto/csr.h"
#include "crypto/keys.h"
#include "util/status.h"

namespace cs::crypto {

// About ten years, the validity of everything this CA makes by default.
inline constexpr std::chrono::seconds kTenYears = std::chrono::days(3653);

struct CaOptions {
  std::string common_name = "cluster-sim manager CA";
  KeyType key_type = KeyType::kEcdsaP256;
  std::chrono::seconds validity = kTenYears;
};

struct ServerCertOptions {
  std::string common_name = "localhost";
  // subjectAltName always holds DNS:localhost and IP:127.0.0.1; these add to it.
  std::vector<std::string> dns_names;
  std::vector<std::string> ip_addresses;  // IPv4 or IPv6 text
  std::chrono::seconds validity = kTenYears;
};

struct ClientCertOptions {
  std::chrono::seconds validity = kTenYears;
};

struct IssuedCertificate {
  std::string pem;
  std::string serial_hex;   // as Certificate::serial_hex() prints it
  std::string common_name;  // the subject CN (from the CSR for clients)
};

class CertificateAuthority {
 public:
  static Result<CertificateAuthority> Create(const CaOptions& options = {});
  // Reads dir/ca.key and dir/ca.crt and checks that they belong together.
  static Result<CertificateAuthority> Load(const std::string& dir);
  // Loads the CA in `dir`, or creates and saves a new one when dir/ca.crt is
  // missing (a lone ca.key is what a crash during Save leaves; it is replaced).
  static Result<CertificateAuthority> LoadOrCreate(const std::string& dir,
                                                   const CaOptions& options = {});
  // Writes dir/ca.key (0600) then dir/ca.crt (0644); creates dir with 0700.
  Status Save(const std::string& dir) const;

  // A TLS server certificate (extendedKeyUsage serverAuth) for `server_key`.
  Result<IssuedCertificate> IssueServerCertificate(const PrivateKey& server_key,
                                                   const ServerCertOptions& options = {}) const;
  // A TLS client certificate (extendedKeyUsage clientAuth) for the key and
  // CN of a CSR, after checking the CSR's signature. Only the CN is copied
  // from the request; its other subject parts and extensions are ignored.
  // The serial is 127 random bits, so serials never repeat in practice.
  Result<IssuedCertificate> IssueClientCertificate(const std::string& csr_pem,
                                                   const ClientCertOptions& options = {}) const;
  // The same for a CSR that ParseAndVerifyCsr returned (a caller that has
  // checked it already: it is not decoded and verified a second time).
  Result<IssuedCertificate> IssueClientCertificate(const Csr& verified_csr,
                                                   const ClientCertOptions& options = {}) const;

  const Certificate& certificate() const { return cert_; }
  // certificate() as PEM, encoded once (registration answers carry it).
  const std::string& certificate_pem() const { return cert_pem_; }

 private:
  CertificateAuthority(PrivateKey key, Certificate cert)
      : key_(std::move(key)), cert_(std::move(cert)), cert_pem_(cert_.ToPem()) {}
  PrivateKey key_;
  Certificate cert_;
  std::string cert_pem_;
};

}  // namespace cs::crypto
