#include "crypto/certificate.h"

#include <arpa/inet.h>
#include <openssl/err.h>
#include <openssl/pem.h>

#include <chrono>
#include <ctime>

#include "crypto/files.h"

namespace cs::crypto {

namespace {

// ASN1_TIME (UTCTime or GeneralizedTime, always UTC in certificates) to
// WallTime, through the civil calendar so no time zone is involved.
WallTime ToWallTime(const ASN1_TIME* time) {
  struct tm tm = {};
  if (time == nullptr || ASN1_TIME_to_tm(time, &tm) != 1) {
    ERR_clear_error();
    return WallTime{};
  }
  using namespace std::chrono;
  sys_days date = year_month_day{year{tm.tm_year + 1900}, month{static_cast<unsigned>(tm.tm_mon + 1)},
                                std::chrono::day{static_cast<unsigned>(tm.tm_mday)}};
  auto t = date + hours{tm.tm_hour} + minutes{tm.tm_min} + seconds{tm.tm_sec};
  return time_point_cast<microseconds>(t);
}

// Calls `fn` for each subjectAltName entry.
template <typename Fn>
void ForEachAltName(X509* x509, Fn fn) {
  GeneralNamesPtr names(static_cast<GENERAL_NAMES*>(
      X509_get_ext_d2i(x509, NID_subject_alt_name, nullptr, nullptr)));
  if (!names) return;
  for (int i = 0; i < sk_GENERAL_NAME_num(names.get()); ++i) {
    fn(sk_GENERAL_NAME_value(names.get(), i));
  }
}

std::string AsnStringText(const ASN1_STRING* s) {
  return std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
                     static_cast<size_t>(ASN1_STRING_length(s)));
}

}  // namespace

Certificate::Certificate(const Certificate& other) {
  if (other.x509_ && X509_up_ref(other.x509_.get()) == 1) x509_.reset(other.x509_.get());
}

Certificate& Certificate::operator=(const Certificate& other) {
  if (this != &other) *this = Certificate(other);
  return *this;
}

Result<Certificate> Certificate::Parse(const std::string& pem) {
  ERR_clear_error();
  BioPtr bio = MemoryReader(pem);
  if (!bio) return OpenSslError("allocating a BIO");
  X509Ptr x509(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
  if (!x509) return OpenSslError(Status::Code::kInvalidArgument, "not a PEM certificate");
  return Certificate(std::move(x509));
}

Result<Certificate> Certificate::Load(const std::string& path) {
  Result<std::string> pem = ReadSmallFile(path);
  if (!pem.ok()) return pem.status().Context("loading certificate");
  Result<Certificate> cert = Parse(*pem);
  if (!cert.ok()) return cert.status().Context("loading certificate " + path);
  return cert;
}

Certificate Certificate::Adopt(X509Ptr x509) { return Certificate(std::move(x509)); }

std::string Certificate::ToPem() const {
  BioPtr out(BIO_new(BIO_s_mem()));
  if (!out || PEM_write_bio_X509(out.get(), x509_.get()) != 1) {
    ERR_clear_error();
    return {};
  }
  return BioContents(out.get());
}

std::string Certificate::common_name() const {
  return CommonNameOf(X509_get_subject_name(x509_.get()));
}

std::string Certificate::issuer_common_name() const {
  return CommonNameOf(X509_get_issuer_name(x509_.get()));
}

std::string Certificate::serial_hex() const {
  BignumPtr bn(ASN1_INTEGER_to_BN(X509_get0_serialNumber(x509_.get()), nullptr));
  if (!bn) {
    ERR_clear_error();
    return {};
  }
  char* hex = BN_bn2hex(bn.get());
  if (hex == nullptr) return {};
  std::string text(hex);
  OPENSSL_free(hex);
  // BN_bn2hex prints zero as "0"; keep two digits a byte like openssl does.
  if (text.size() % 2 != 0) text.insert(text[0] == '-' ? 1 : 0, "0");
  return text;
}

WallTime Certificate::not_before() const { return ToWallTime(X509_get0_notBefore(x509_.get())); }

WallTime Certificate::not_after() const { return ToWallTime(X509_get0_notAfter(x509_.get())); }

std::vector<std::string> Certificate::dns_names() const {
  std::vector<std::string> out;
  ForEachAltName(x509_.get(), [&](const GENERAL_NAME* name) {
    if (name->type == GEN_DNS) out.push_back(AsnStringText(name->d.dNSName));
  });
  return out;
}

std::vector<std::string> Certificate::ip_addresses() const {
  std::vector<std::string> out;
  ForEachAltName(x509_.get(), [&](const GENERAL_NAME* name) {
    if (name->type != GEN_IPADD) return;
    const ASN1_OCTET_STRING* ip = name->d.iPAddress;
    char text[INET6_ADDRSTRLEN] = {};
    int family = ASN1_STRING_length(ip) == 4 ? AF_INET : AF_INET6;
    if (ASN1_STRING_length(ip) != 4 && ASN1_STRING_length(ip) != 16) return;
    if (inet_ntop(family, ASN1_STRING_get0_data(ip), text, sizeof(text)) != nullptr) {
      out.push_back(text);
    }
  });
  return out;
}

bool Certificate::is_ca() const {
  return (X509_get_extension_flags(x509_.get()) & EXFLAG_CA) != 0;
}

bool Certificate::MatchesKey(EVP_PKEY* key) const {
  bool match = X509_check_private_key(x509_.get(), key) == 1;
  ERR_clear_error();
  return match;
}

Status VerifyCertificate(const Certificate& cert, const Certificate& ca,
                         const VerifyOptions& options) {
  ERR_clear_error();
  X509StorePtr store(X509_STORE_new());
  X509StoreCtxPtr ctx(X509_STORE_CTX_new());
  if (!store || !ctx || X509_STORE_add_cert(store.get(), ca.get()) != 1 ||
      X509_STORE_CTX_init(ctx.get(), store.get(), cert.get(), nullptr) != 1) {
    return OpenSslError("setting up certificate verification");
  }
  if (options.at) {
    auto seconds = std::chrono::duration_cast<std::chrono::seconds>(
        options.at->time_since_epoch());
    X509_STORE_CTX_set_time(ctx.get(), 0, static_cast<time_t>(seconds.count()));
  }
  int purpose = 0;
  switch (options.purpose) {
    case VerifyOptions::Purpose::kAny: break;
    case VerifyOptions::Purpose::kTlsClient: purpose = X509_PURPOSE_SSL_CLIENT; break;
    case VerifyOptions::Purpose::kTlsServer: purpose = X509_PURPOSE_SSL_SERVER; break;
  }
  if (purpose != 0 && X509_STORE_CTX_set_purpose(ctx.get(), purpose) != 1) {
    return OpenSslError("setting the verification purpose");
  }
  if (X509_verify_cert(ctx.get()) != 1) {
    int err = X509_STORE_CTX_get_error(ctx.get());
    ERR_clear_error();
    return Status::InvalidArgument("certificate \"" + cert.common_name() +
                                   "\" does not verify against CA \"" + ca.common_name() +
                                   "\": " + X509_verify_cert_error_string(err));
  }
  return Status::Ok();
}

}  // namespace cs::crypto
