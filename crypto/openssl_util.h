// OpenSSL plumbing shared by the crypto module: unique_ptr owners for every
// OpenSSL object we touch (so no path can leak one), and the translation of
// OpenSSL's thread-local error queue into a cs::Status.
//
// Nothing here ever formats key or certificate bytes into a message: the
// error queue only holds library/reason codes, which is all we report.
#pragma once

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>
#include <string>

#include "util/status.h"

namespace cs::crypto {

// A deleter that calls the given OpenSSL free function.
template <auto FreeFn>
struct OpenSslDeleter {
  template <typename T>
  void operator()(T* p) const { FreeFn(p); }
};

using BioPtr = std::unique_ptr<BIO, OpenSslDeleter<BIO_free_all>>;
using BignumPtr = std::unique_ptr<BIGNUM, OpenSslDeleter<BN_free>>;
using PkeyPtr = std::unique_ptr<EVP_PKEY, OpenSslDeleter<EVP_PKEY_free>>;
using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, OpenSslDeleter<EVP_PKEY_CTX_free>>;
using X509Ptr = std::unique_ptr<X509, OpenSslDeleter<X509_free>>;
using X509ReqPtr = std::unique_ptr<X509_REQ, OpenSslDeleter<X509_REQ_free>>;
using X509NamePtr = std::unique_ptr<X509_NAME, OpenSslDeleter<X509_NAME_free>>;
using X509ExtPtr = std::unique_ptr<X509_EXTENSION, OpenSslDeleter<X509_EXTENSION_free>>;
using X509StorePtr = std::unique_ptr<X509_STORE, OpenSslDeleter<X509_STORE_free>>;
using X509StoreCtxPtr = std::unique_ptr<X509_STORE_CTX, OpenSslDeleter<X509_STORE_CTX_free>>;
using GeneralNamesPtr = std::unique_ptr<GENERAL_NAMES, OpenSslDeleter<GENERAL_NAMES_free>>;
using GeneralNamePtr = std::unique_ptr<GENERAL_NAME, OpenSslDeleter<GENERAL_NAME_free>>;
using Asn1IntegerPtr = std::unique_ptr<ASN1_INTEGER, OpenSslDeleter<ASN1_INTEGER_free>>;
using Asn1StringPtr = std::unique_ptr<ASN1_STRING, OpenSslDeleter<ASN1_STRING_free>>;
using Asn1OctetStringPtr =
    std::unique_ptr<ASN1_OCTET_STRING, OpenSslDeleter<ASN1_OCTET_STRING_free>>;

// Drains the calling thread's OpenSSL error queue into a Status with `code`:
// "<what>: <reason>; <reason>". The queue is empty afterwards, so a later
// failure never reports stale reasons.
Status OpenSslError(Status::Code code, const std::string& what);
inline Status OpenSslError(const std::string& what) {
  return OpenSslError(Status::Code::kInternal, what);
}

// A read-only memory BIO over `data` (which must outlive the BIO).
BioPtr MemoryReader(const std::string& data);

// Everything written so far to a memory BIO, as a string.
std::string BioContents(BIO* bio);

// The text of an X509 name's first commonName entry, or "" when it has none.
std::string CommonNameOf(const X509_NAME* name);

// X509_NAME for "CN=<common_name>"; rejects empty names and names longer than
// the 64 characters RFC 5280 allows for a commonName.
Result<X509NamePtr> MakeCommonNameSubject(const std::string& common_name);

}  // namespace cs::crypto
