// Certificate signing requests. A simulated server asks the manager for a
// certificate with a CSR whose subject is just CN=<fqdn>, signed with its own
// key (SHA-256), as the real agent did at registration; the manager's CA
// parses it, checks the self-signature and takes the CN.
#pragma once

#include <string>

#include "crypto/keys.h"
#include "crypto/openssl_util.h"
#include "util/status.h"

namespace cs::crypto {

// The PEM of a CSR for subject CN=<common_name>, signed by `key`.
Result<std::string> MakeCsrPem(const PrivateKey& key, const std::string& common_name);

class Csr {
 public:
  // Parses a PEM CSR. The signature is not checked yet: see Verify().
  static Result<Csr> Parse(const std::string& pem);

  // Checks that the CSR is signed by the key it carries (proof that the
  // requester holds that key, and that the request was not altered).
  Status Verify() const;

  // The subject's commonName ("" when there is none).
  const std::string& common_name() const { return common_name_; }
  X509_REQ* get() const { return req_.get(); }

 private:
  Csr(X509ReqPtr req, std::string common_name)
      : req_(std::move(req)), common_name_(std::move(common_name)) {}
  X509ReqPtr req_;
  std::string common_name_;
};

// Parse + Verify + a non-empty CN: what a CA wants before it signs.
Result<Csr> ParseAndVerifyCsr(const std::string& pem);

}  // namespace cs::crypto
