// ServerCryptoDir: one simulated server's key and certificates on disk, in
// the original simulator's layout:
//   <config>/<fqdn>_crypto/          mode 0700
//       private.pem                  the server's private key, mode 0600
//       self.crt                     the certificate the manager returned
//       authority.crt                the manager's CA certificate, when known
#pragma once

#include <string>

#include "crypto/certificate.h"
#include "crypto/keys.h"
#include "util/status.h"

namespace cs::crypto {

class ServerCryptoDir {
 public:
  ServerCryptoDir(const std::string& config_dir, const std::string& fqdn);

  const std::string& fqdn() const { return fqdn_; }
  const std::string& path() const { return path_; }
  std::string key_path() const { return path_ + "/private.pem"; }
  std::string certificate_path() const { return path_ + "/self.crt"; }
  std::string authority_path() const { return path_ + "/authority.crt"; }

  // Loads private.pem, or creates the directory and a new key of `type`
  // when there is none. An existing key is kept whatever its type. A new
  // key's file is durable once InstallCertificate returns (not before).
  Result<PrivateKey> EnsureKey(KeyType type = KeyType::kEcdsaP256) const;
  // A CSR for CN=<fqdn> signed with the key (which must exist: EnsureKey).
  Result<std::string> MakeCsr() const;
  // The same with the key EnsureKey returned (its file is not read again).
  Result<std::string> MakeCsr(const PrivateKey& key) const;

  // Stores the manager's answer as self.crt, atomically, after checking that
  // it parses and is for this server's key. Once it returns, the key, the
  // authority and the certificate are all durable (one directory fsync).
  Status InstallCertificate(const std::string& pem) const;
  // The same, checked against `key` (the server's key, as EnsureKey
  // returned it: its file is not read again); returns the certificate as
  // parsed, for the agent's TLS identity.
  Result<Certificate> InstallCertificate(const std::string& pem, const PrivateKey& key) const;
  // Stores the manager's CA certificate as authority.crt, atomically; durable
  // once InstallCertificate has returned after it. Returns it as stored.
  Result<Certificate> InstallAuthority(const std::string& pem) const;
  // The same with the certificate parsed already (one CA for a fleet).
  Status InstallAuthority(const Certificate& cert) const;

  bool HasCertificate() const;
  bool HasAuthority() const;
  Result<Certificate> LoadCertificate() const { return Certificate::Load(certificate_path()); }
  Result<Certificate> LoadAuthority() const { return Certificate::Load(authority_path()); }

 private:
  std::string fqdn_;
  std::string path_;
};

}  // namespace cs::crypto
