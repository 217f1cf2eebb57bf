#include "crypto/cert_builder.h"

#include <openssl/err.h>
#include <openssl/rand.h>

#include <cctype>

namespace cs::crypto {

namespace {

// notBefore is set this far in the past so a peer whose clock is a little
// behind ours does not reject a certificate issued a moment ago.
constexpr long kBackdateSeconds = 3600;

Status AppendName(GENERAL_NAMES* names, int type, ASN1_STRING* value) {
  GeneralNamePtr name(GENERAL_NAME_new());
  if (!name) {
    ASN1_STRING_free(value);
    return OpenSslError("allocating a subjectAltName entry");
  }
  GENERAL_NAME_set0_value(name.get(), type, value);
  if (sk_GENERAL_NAME_push(names, name.get()) <= 0) {
    return OpenSslError("adding a subjectAltName entry");
  }
  name.release();  // now owned by the stack
  return Status::Ok();
}

}  // namespace

bool IsValidDnsName(const std::string& name) {
  if (name.empty() || name.size() > 253) return false;
  size_t start = name.rfind("*.", 0) == 0 ? 2 : 0;
  if (start == name.size()) return false;
  for (size_t i = start; i < name.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(name[i]);
    if (!std::isalnum(c) && c != '-' && c != '.') return false;
  }
  return true;
}

Result<Asn1IntegerPtr> RandomSerial() {
  unsigned char bytes[16];
  if (RAND_bytes(bytes, sizeof(bytes)) != 1) return OpenSslError("drawing a random serial");
  // Top bit clear: positive in DER. Next bit set: always the full 127 bits,
  // so the number never has fewer than 64 significant bits.
  bytes[0] = static_cast<unsigned char>((bytes[0] & 0x7f) | 0x40);
  BignumPtr bn(BN_bin2bn(bytes, sizeof(bytes), nullptr));
  if (!bn) return OpenSslError("converting a serial");
  Asn1IntegerPtr serial(BN_to_ASN1_INTEGER(bn.get(), nullptr));
  if (!serial) return OpenSslError("converting a serial");
  return serial;
}

Result<CertBuilder> CertBuilder::Start(const X509_NAME* subject, EVP_PKEY* public_key,
                                       const X509* issuer, std::chrono::seconds validity) {
  if (validity.count() <= 0) return Status::InvalidArgument("certificate validity must be positive");
  X509Ptr x509(X509_new());
  if (!x509) return OpenSslError("allocating a certificate");
  Result<Asn1IntegerPtr> serial = RandomSerial();
  if (!serial.ok()) return serial.status();
  const X509_NAME* issuer_name = issuer ? X509_get_subject_name(issuer) : subject;
  constexpr long kDay = 86400;
  // Version 3 is encoded as 2.
  if (X509_set_version(x509.get(), 2) != 1 ||
      X509_set_serialNumber(x509.get(), serial->get()) != 1 ||
      X509_set_subject_name(x509.get(), subject) != 1 ||
      X509_set_issuer_name(x509.get(), issuer_name) != 1 ||
      X509_set_pubkey(x509.get(), public_key) != 1 ||
      X509_time_adj_ex(X509_getm_notBefore(x509.get()), 0, -kBackdateSeconds, nullptr) == nullptr ||
      X509_time_adj_ex(X509_getm_notAfter(x509.get()), static_cast<int>(validity.count() / kDay),
                       validity.count() % kDay, nullptr) == nullptr) {
    return OpenSslError("building a certificate");
  }
  return CertBuilder(std::move(x509), issuer);
}

Status CertBuilder::AddExtension(int nid, const char* value) {
  X509V3_CTX ctx;
  // The issuer certificate supplies authorityKeyIdentifier; OpenSSL's
  // prototype is not const-correct, but it only reads it.
  X509* issuer = issuer_ ? const_cast<X509*>(issuer_) : x509_.get();
  X509V3_set_ctx(&ctx, issuer, x509_.get(), nullptr, nullptr, 0);
  X509ExtPtr ext(X509V3_EXT_nconf_nid(nullptr, &ctx, nid, value));
  if (!ext || X509_add_ext(x509_.get(), ext.get(), -1) != 1) {
    return OpenSslError(std::string("adding extension ") + OBJ_nid2sn(nid) + "=" + value);
  }
  return Status::Ok();
}

Status CertBuilder::AddSubjectAltNames(const std::vector<std::string>& dns_names,
                                       const std::vector<std::string>& ip_addresses) {
  GeneralNamesPtr names(sk_GENERAL_NAME_new_null());
  if (!names) return OpenSslError("allocating subjectAltName");
  for (const std::string& dns : dns_names) {
    if (!IsValidDnsName(dns)) return Status::InvalidArgument("invalid DNS name \"" + dns + "\"");
    ASN1_IA5STRING* value = ASN1_IA5STRING_new();
    if (value == nullptr || ASN1_STRING_set(value, dns.data(), static_cast<int>(dns.size())) != 1) {
      ASN1_IA5STRING_free(value);
      return OpenSslError("encoding DNS name " + dns);
    }
    CS_RETURN_IF_ERROR(AppendName(names.get(), GEN_DNS, value));
  }
  for (const std::string& ip : ip_addresses) {
    ASN1_OCTET_STRING* value = a2i_IPADDRESS(ip.c_str());
    if (value == nullptr) {
      ERR_clear_error();
      return Status::InvalidArgument("invalid IP address \"" + ip + "\"");
    }
    CS_RETURN_IF_ERROR(AppendName(names.get(), GEN_IPADD, value));
  }
  if (X509_add1_ext_i2d(x509_.get(), NID_subject_alt_name, names.get(), 0, X509V3_ADD_DEFAULT) != 1) {
    return OpenSslError("adding subjectAltName");
  }
  return Status::Ok();
}

Result<Certificate> CertBuilder::Sign(EVP_PKEY* issuer_key) {
  if (X509_sign(x509_.get(), issuer_key, EVP_sha256()) <= 0) {
    return OpenSslError("signing a certificate");
  }
  return Certificate::Adopt(std::move(x509_));
}

}  // namespace cs::crypto
