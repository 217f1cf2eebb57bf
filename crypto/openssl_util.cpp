#include "crypto/openssl_util.h"

#include <openssl/crypto.h>
#include <openssl/err.h>

#include <cstdio>

namespace cs::crypto {

namespace {

Status MakeStatus(Status::Code code, std::string message) {
  switch (code) {
    case Status::Code::kOk:
    case Status::Code::kInternal: return Status::Internal(std::move(message));
    case Status::Code::kInvalidArgument: return Status::InvalidArgument(std::move(message));
    case Status::Code::kNotFound: return Status::NotFound(std::move(message));
    case Status::Code::kAlreadyExists: return Status::AlreadyExists(std::move(message));
    case Status::Code::kFailedPrecondition:
      return Status::FailedPrecondition(std::move(message));
    case Status::Code::kIoError: return Status::IoError(std::move(message));
    case Status::Code::kCorruption: return Status::Corruption(std::move(message));
    case Status::Code::kUnavailable: return Status::Unavailable(std::move(message));
  }
  return Status::Internal(std::move(message));
}

}  // namespace

Status OpenSslError(Status::Code code, const std::string& what) {
  std::string reasons;
  unsigned long err;
  while ((err = ERR_get_error()) != 0) {
    char buf[256];
    // Only the library and reason names: OpenSSL never puts the bytes it was
    // parsing into the queue, so no key material can reach the message.
    const char* lib = ERR_lib_error_string(err);
    const char* reason = ERR_reason_error_string(err);
    if (reason != nullptr) {
      snprintf(buf, sizeof(buf), "%s%s%s", lib ? lib : "", lib ? ": " : "", reason);
    } else {
      ERR_error_string_n(err, buf, sizeof(buf));
    }
    if (!reasons.empty()) reasons += "; ";
    reasons += buf;
  }
  if (reasons.empty()) return MakeStatus(code, what);
  return MakeStatus(code, what + ": " + reasons);
}

BioPtr MemoryReader(const std::string& data) {
  // BIO_new_mem_buf takes an int length; larger inputs are not PEM we want.
  if (data.size() > (1u << 24)) return BioPtr(BIO_new(BIO_s_mem()));
  return BioPtr(BIO_new_mem_buf(data.data(), static_cast<int>(data.size())));
}

std::string BioContents(BIO* bio) {
  char* data = nullptr;
  long len = BIO_get_mem_data(bio, &data);
  if (len <= 0 || data == nullptr) return {};
  return std::string(data, static_cast<size_t>(len));
}

std::string CommonNameOf(const X509_NAME* name) {
  if (name == nullptr) return {};
  int index = X509_NAME_get_index_by_NID(name, NID_commonName, -1);
  if (index < 0) return {};
  const ASN1_STRING* data = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, index));
  unsigned char* utf8 = nullptr;
  int len = ASN1_STRING_to_UTF8(&utf8, data);
  if (len < 0) {
    ERR_clear_error();
    return {};
  }
  std::string cn(reinterpret_cast<char*>(utf8), static_cast<size_t>(len));
  OPENSSL_free(utf8);
  return cn;
}

Result<X509NamePtr> MakeCommonNameSubject(const std::string& common_name) {
  // RFC 5280's upper bound for a commonName.
  constexpr size_t kMaxCommonName = 64;
  if (common_name.empty()) return Status::InvalidArgument("common name is empty");
  if (common_name.size() > kMaxCommonName) {
    return Status::InvalidArgument("common name \"" + common_name + "\" is longer than 64 characters");
  }
  for (char c : common_name) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      return Status::InvalidArgument("common name contains a control character");
    }
  }
  X509NamePtr name(X509_NAME_new());
  if (!name) return OpenSslError("allocating a name");
  if (X509_NAME_add_entry_by_NID(name.get(), NID_commonName, MBSTRING_UTF8,
                                 reinterpret_cast<const unsigned char*>(common_name.data()),
                                 static_cast<int>(common_name.size()), -1, 0) != 1) {
    return OpenSslError(Status::Code::kInvalidArgument, "setting common name \"" + common_name + "\"");
  }
  return name;
}

}  // namespace cs::crypto
