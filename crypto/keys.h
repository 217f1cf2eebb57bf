// PrivateKey: a server's or the CA's private key. ECDSA P-256 by default; RSA
// 2048 on request, because the real chroma-agent used RSA and a manager may
// expect it. Keys are kept as PEM (PKCS#8, unencrypted) in files of mode 0600.
//
// A key's PEM is a secret: it is never logged and never put in a Status
// message; buffers that held it are cleansed.
#pragma once

#include <cstdint>
#include <string>

#include "crypto/files.h"
#include "crypto/openssl_util.h"
#include "util/status.h"

namespace cs::crypto {

enum class KeyType {
  kEcdsaP256,  // the default: small and fast
  kRsa2048,    // what the original agent generated
};

// "ecdsa-p256" / "rsa2048", for configuration and logs; the parse accepts
// also "ec", "ecdsa" and "rsa".
const char* KeyTypeName(KeyType type);
Result<KeyType> ParseKeyType(const std::string& text);

class PrivateKey {
 public:
  static Result<PrivateKey> Generate(KeyType type = KeyType::kEcdsaP256);
  // Accepts EC P-256 keys and RSA keys of 2048 bits or more, the only kinds
  // this module makes; encrypted PEM is refused (never prompts).
  static Result<PrivateKey> FromPem(const std::string& pem);
  static Result<PrivateKey> Load(const std::string& path);
  // How many PEM private keys this process has decoded (FromPem, Load): for
  // tests that check a key in memory is not read back (each decode builds
  // an OpenSSL 3 decoder context, a large cost per registration).
  static uint64_t PemDecodes();

  // Writes the PEM atomically to `path` with mode 0600, replacing any file
  // (WriteFileAtomic; `sync` says whether its directory is fsynced now).
  Status Save(const std::string& path, DirectorySync sync = DirectorySync::kNow) const;
  // The secret PEM. Only for handing to a TLS library or writing a file.
  std::string ToPem() const;

  KeyType type() const { return type_; }
  EVP_PKEY* get() const { return pkey_.get(); }

  // Copies share the same immutable OpenSSL key.
  PrivateKey(const PrivateKey& other);
  PrivateKey& operator=(const PrivateKey& other);
  PrivateKey(PrivateKey&&) = default;
  PrivateKey& operator=(PrivateKey&&) = default;

 private:
  PrivateKey(PkeyPtr pkey, KeyType type) : pkey_(std::move(pkey)), type_(type) {}
  PkeyPtr pkey_;
  KeyType type_;
};

// Wipes a string that held secret bytes (keys) and empties it.
void Cleanse(std::string& secret);

}  // namespace cs::crypto
