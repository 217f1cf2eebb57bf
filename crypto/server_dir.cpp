#include "crypto/server_dir.h"

#include "crypto/csr.h"
#include "crypto/files.h"

namespace cs::crypto {

namespace {

// Re-encoded rather than stored as received, so the file holds exactly one
// certificate and no stray text.
Status WritePem(const std::string& dir, const std::string& path, const Certificate& cert, DirectorySync sync) {
  std::string pem = cert.ToPem();
  if (pem.empty()) return Status::Internal("encoding the certificate failed");
  CS_RETURN_IF_ERROR(EnsureDirectory(dir, 0700));
  return WriteFileAtomic(path, pem, 0644, sync);
}

}  // namespace

ServerCryptoDir::ServerCryptoDir(const std::string& config_dir, const std::string& fqdn)
    : fqdn_(fqdn), path_(config_dir + "/" + fqdn + "_crypto") {}

Result<PrivateKey> ServerCryptoDir::EnsureKey(KeyType type) const {
  if (FileExists(key_path())) return PrivateKey::Load(key_path());
  CS_RETURN_IF_ERROR(EnsureDirectory(path_, 0700).Context("creating crypto directory for " + fqdn_));
  Result<PrivateKey> key = PrivateKey::Generate(type);
  if (!key.ok()) return key.status();
  // Its rename is made durable by InstallCertificate's directory fsync: a
  // key lost before then is one no certificate was installed for.
  CS_RETURN_IF_ERROR(key->Save(key_path(), DirectorySync::kLater));
  return key;
}

Result<std::string> ServerCryptoDir::MakeCsr() const {
  Result<PrivateKey> key = PrivateKey::Load(key_path());
  if (!key.ok()) return key.status().Context("making CSR for " + fqdn_);
  return MakeCsr(*key);
}

Result<std::string> ServerCryptoDir::MakeCsr(const PrivateKey& key) const { return MakeCsrPem(key, fqdn_); }

Status ServerCryptoDir::InstallCertificate(const std::string& pem) const {
  Result<PrivateKey> key = PrivateKey::Load(key_path());
  if (!key.ok()) return key.status().Context("installing certificate for " + fqdn_);
  return InstallCertificate(pem, *key).status();
}

Result<Certificate> ServerCryptoDir::InstallCertificate(const std::string& pem, const PrivateKey& key) const {
  const std::string what = "installing certificate for " + fqdn_;
  Result<Certificate> cert = Certificate::Parse(pem);
  if (!cert.ok()) return cert.status().Context(what);
  if (!cert->MatchesKey(key.get())) {
    return Status::InvalidArgument(what + ": the certificate is not for this server's key");
  }
  CS_RETURN_IF_ERROR(WritePem(path_, certificate_path(), *cert, DirectorySync::kNow).Context(what));
  return cert;
}

Result<Certificate> ServerCryptoDir::InstallAuthority(const std::string& pem) const {
  const std::string what = "installing authority certificate for " + fqdn_;
  Result<Certificate> cert = Certificate::Parse(pem);
  if (!cert.ok()) return cert.status().Context(what);
  CS_RETURN_IF_ERROR(InstallAuthority(*cert).Context(what));
  return cert;
}

Status ServerCryptoDir::InstallAuthority(const Certificate& cert) const {
  return WritePem(path_, authority_path(), cert, DirectorySync::kLater);
}

bool ServerCryptoDir::HasCertificate() const { return FileExists(certificate_path()); }

bool ServerCryptoDir::HasAuthority() const { return FileExists(authority_path()); }

}  // namespace cs::crypto
