#include "crypto/authority.h"

#include <algorithm>

#include "crypto/cert_builder.h"
#include "crypto/csr.h"
#include "crypto/files.h"

namespace cs::crypto {

namespace {

const char kKeyFile[] = "ca.key";
const char kCertFile[] = "ca.crt";

// keyEncipherment only makes sense for RSA (TLS 1.2 RSA key exchange).
const char* LeafKeyUsage(EVP_PKEY* key) {
  return EVP_PKEY_is_a(key, "RSA") ? "critical,digitalSignature,keyEncipherment"
                                   : "critical,digitalSignature";
}

// The extensions every certificate issued to a server or client carries.
Status AddLeafExtensions(CertBuilder& builder, EVP_PKEY* key, const char* extended_usage) {
  CS_RETURN_IF_ERROR(builder.AddExtension(NID_basic_constraints, "critical,CA:FALSE"));
  CS_RETURN_IF_ERROR(builder.AddExtension(NID_key_usage, LeafKeyUsage(key)));
  CS_RETURN_IF_ERROR(builder.AddExtension(NID_ext_key_usage, extended_usage));
  CS_RETURN_IF_ERROR(builder.AddExtension(NID_subject_key_identifier, "hash"));
  return builder.AddExtension(NID_authority_key_identifier, "keyid:always");
}

void AddUnique(std::vector<std::string>& list, const std::string& item) {
  if (std::find(list.begin(), list.end(), item) == list.end()) list.push_back(item);
}

IssuedCertificate Describe(const Certificate& cert) {
  return IssuedCertificate{cert.ToPem(), cert.serial_hex(), cert.common_name()};
}

}  // namespace

Result<CertificateAuthority> CertificateAuthority::Create(const CaOptions& options) {
  Result<PrivateKey> key = PrivateKey::Generate(options.key_type);
  if (!key.ok()) return key.status().Context("creating CA");
  Result<X509NamePtr> subject = MakeCommonNameSubject(options.common_name);
  if (!subject.ok()) return subject.status().Context("creating CA");
  Result<CertBuilder> builder =
      CertBuilder::Start(subject->get(), key->get(), nullptr, options.validity);
  if (!builder.ok()) return builder.status().Context("creating CA");
  CS_RETURN_IF_ERROR(builder->AddExtension(NID_basic_constraints, "critical,CA:TRUE"));
  CS_RETURN_IF_ERROR(builder->AddExtension(NID_key_usage, "critical,keyCertSign,cRLSign"));
  // The subject key id must exist before the authority key id refers to it.
  CS_RETURN_IF_ERROR(builder->AddExtension(NID_subject_key_identifier, "hash"));
  CS_RETURN_IF_ERROR(builder->AddExtension(NID_authority_key_identifier, "keyid:always"));
  Result<Certificate> cert = builder->Sign(key->get());
  if (!cert.ok()) return cert.status().Context("creating CA");
  return CertificateAuthority(std::move(*key), std::move(*cert));
}

Result<CertificateAuthority> CertificateAuthority::Load(const std::string& dir) {
  Result<PrivateKey> key = PrivateKey::Load(dir + "/" + kKeyFile);
  if (!key.ok()) return key.status().Context("loading CA");
  Result<Certificate> cert = Certificate::Load(dir + "/" + kCertFile);
  if (!cert.ok()) return cert.status().Context("loading CA");
  if (!cert->is_ca()) {
    return Status::Corruption("loading CA: " + dir + "/" + kCertFile + " is not a CA certificate");
  }
  if (!cert->MatchesKey(key->get())) {
    return Status::Corruption("loading CA: " + dir + "/" + kKeyFile + " is not the key of " +
                              kCertFile);
  }
  return CertificateAuthority(std::move(*key), std::move(*cert));
}

Result<CertificateAuthority> CertificateAuthority::LoadOrCreate(const std::string& dir,
                                                                const CaOptions& options) {
  if (FileExists(dir + "/" + kCertFile)) return Load(dir);
  Result<CertificateAuthority> ca = Create(options);
  if (!ca.ok()) return ca.status();
  CS_RETURN_IF_ERROR(ca->Save(dir));
  return ca;
}

Status CertificateAuthority::Save(const std::string& dir) const {
  CS_RETURN_IF_ERROR(EnsureDirectory(dir, 0700).Context("saving CA"));
  // Key first: a certificate on disk always has its key next to it.
  CS_RETURN_IF_ERROR(key_.Save(dir + "/" + kKeyFile).Context("saving CA"));
  std::string pem = cert_.ToPem();
  if (pem.empty()) return Status::Internal("saving CA: encoding the certificate failed");
  return WriteFileAtomic(dir + "/" + kCertFile, pem, 0644).Context("saving CA");
}

Result<IssuedCertificate> CertificateAuthority::IssueServerCertificate(
    const PrivateKey& server_key, const ServerCertOptions& options) const {
  const std::string what = "issuing server certificate for " + options.common_name;
  Result<X509NamePtr> subject = MakeCommonNameSubject(options.common_name);
  if (!subject.ok()) return subject.status().Context(what);
  std::vector<std::string> dns_names{"localhost"};
  std::vector<std::string> ips{"127.0.0.1"};
  for (const std::string& name : options.dns_names) AddUnique(dns_names, name);
  for (const std::string& ip : options.ip_addresses) AddUnique(ips, ip);

  Result<CertBuilder> builder =
      CertBuilder::Start(subject->get(), server_key.get(), cert_.get(), options.validity);
  if (!builder.ok()) return builder.status().Context(what);
  CS_RETURN_IF_ERROR(AddLeafExtensions(*builder, server_key.get(), "serverAuth").Context(what));
  CS_RETURN_IF_ERROR(builder->AddSubjectAltNames(dns_names, ips).Context(what));
  Result<Certificate> cert = builder->Sign(key_.get());
  if (!cert.ok()) return cert.status().Context(what);
  return Describe(*cert);
}

Result<IssuedCertificate> CertificateAuthority::IssueClientCertificate(
    const std::string& csr_pem, const ClientCertOptions& options) const {
  Result<Csr> csr = ParseAndVerifyCsr(csr_pem);
  if (!csr.ok()) return csr.status().Context("issuing client certificate");
  return IssueClientCertificate(*csr, options);
}

Result<IssuedCertificate> CertificateAuthority::IssueClientCertificate(
    const Csr& csr, const ClientCertOptions& options) const {
  const std::string what = "issuing client certificate for " + csr.common_name();
  // A fresh subject with the CN alone: nothing else in the request is trusted.
  Result<X509NamePtr> subject = MakeCommonNameSubject(csr.common_name());
  if (!subject.ok()) return subject.status().Context(what);
  EVP_PKEY* public_key = X509_REQ_get0_pubkey(csr.get());
  Result<CertBuilder> builder =
      CertBuilder::Start(subject->get(), public_key, cert_.get(), options.validity);
  if (!builder.ok()) return builder.status().Context(what);
  CS_RETURN_IF_ERROR(AddLeafExtensions(*builder, public_key, "clientAuth").Context(what));
  Result<Certificate> cert = builder->Sign(key_.get());
  if (!cert.ok()) return cert.status().Context(what);
  return Describe(*cert);
}

}  // namespace cs::crypto
