#include "crypto/keys.h"

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/pem.h>

#include <atomic>

#include "crypto/files.h"

namespace cs::crypto {

namespace {

std::atomic<uint64_t> pem_decodes{0};

// Fails instead of prompting on a terminal when a PEM is encrypted.
int NoPassword(char*, int, int, void*) { return -1; }

// Which KeyType an arbitrary key is, or an error for kinds we do not use.
Result<KeyType> Classify(EVP_PKEY* pkey) {
  if (EVP_PKEY_is_a(pkey, "EC")) {
    char group[64] = {};
    size_t len = 0;
    if (EVP_PKEY_get_utf8_string_param(pkey, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof(group),
                                       &len) == 1 &&
        std::string(group) == "prime256v1") {
      return KeyType::kEcdsaP256;
    }
    ERR_clear_error();
    return Status::InvalidArgument("unsupported EC key: only the P-256 curve is accepted");
  }
  if (EVP_PKEY_is_a(pkey, "RSA")) {
    if (EVP_PKEY_get_bits(pkey) < 2048) {
      return Status::InvalidArgument("RSA key of " + std::to_string(EVP_PKEY_get_bits(pkey)) +
                                     " bits is too small (2048 at least)");
    }
    return KeyType::kRsa2048;
  }
  return Status::InvalidArgument(std::string("unsupported key type ") +
                                 EVP_PKEY_get0_type_name(pkey));
}

}  // namespace

const char* KeyTypeName(KeyType type) {
  switch (type) {
    case KeyType::kEcdsaP256: return "ecdsa-p256";
    case KeyType::kRsa2048: return "rsa2048";
  }
  return "unknown";
}

Result<KeyType> ParseKeyType(const std::string& text) {
  if (text == "ecdsa-p256" || text == "ecdsa" || text == "ec") return KeyType::kEcdsaP256;
  if (text == "rsa2048" || text == "rsa") return KeyType::kRsa2048;
  return Status::InvalidArgument("unknown key type \"" + text + "\" (ecdsa-p256 or rsa2048)");
}

void Cleanse(std::string& secret) {
  if (!secret.empty()) OPENSSL_cleanse(secret.data(), secret.size());
  secret.clear();
}

PrivateKey::PrivateKey(const PrivateKey& other) : type_(other.type_) {
  if (other.pkey_ && EVP_PKEY_up_ref(other.pkey_.get()) == 1) pkey_.reset(other.pkey_.get());
}

PrivateKey& PrivateKey::operator=(const PrivateKey& other) {
  if (this != &other) *this = PrivateKey(other);
  return *this;
}

Result<PrivateKey> PrivateKey::Generate(KeyType type) {
  EVP_PKEY* raw = nullptr;
  switch (type) {
    case KeyType::kEcdsaP256: raw = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"); break;
    case KeyType::kRsa2048:
      raw = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(2048));
      break;
  }
  if (raw == nullptr) return OpenSslError(std::string("generating a ") + KeyTypeName(type) + " key");
  return PrivateKey(PkeyPtr(raw), type);
}

uint64_t PrivateKey::PemDecodes() { return pem_decodes.load(); }

Result<PrivateKey> PrivateKey::FromPem(const std::string& pem) {
  ++pem_decodes;
  ERR_clear_error();
  BioPtr bio = MemoryReader(pem);
  if (!bio) return OpenSslError("allocating a BIO");
  PkeyPtr pkey(PEM_read_bio_PrivateKey(bio.get(), nullptr, NoPassword, nullptr));
  if (!pkey) return OpenSslError(Status::Code::kCorruption, "not a readable unencrypted PEM private key");
  Result<KeyType> type = Classify(pkey.get());
  if (!type.ok()) return type.status();
  return PrivateKey(std::move(pkey), *type);
}

Result<PrivateKey> PrivateKey::Load(const std::string& path) {
  Result<std::string> pem = ReadSmallFile(path);
  if (!pem.ok()) return pem.status().Context("loading private key");
  Result<PrivateKey> key = FromPem(*pem);
  Cleanse(*pem);
  if (!key.ok()) return key.status().Context("loading private key " + path);
  return key;
}

std::string PrivateKey::ToPem() const {
  // A secure-heap memory BIO, cleansed when freed.
  BioPtr bio(BIO_new(BIO_s_secmem()));
  if (!bio || PEM_write_bio_PrivateKey(bio.get(), pkey_.get(), nullptr, nullptr, 0, nullptr,
                                       nullptr) != 1) {
    ERR_clear_error();
    return {};
  }
  return BioContents(bio.get());
}

Status PrivateKey::Save(const std::string& path, DirectorySync sync) const {
  std::string pem = ToPem();
  if (pem.empty()) return OpenSslError("encoding private key for " + path);
  Status status = WriteFileAtomic(path, pem, 0600, sync);
  Cleanse(pem);
  return status.ok() ? status : status.Context("saving private key");
}

}  // namespace cs::crypto
