#include "manager/users.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "crypto/files.h"
#include "fakes/json_helpers.h"
#include "manager/secure_ids.h"

namespace cs::manager {

namespace {

// OWASP's 2023 advice is 600k for SHA-256; a login is rare here and every
// call blocks an io thread, so this trades some strength for latency.
constexpr int kIterations = 100000;

std::string Pbkdf2Hex(const std::string& password, const std::string& salt_hex, int iterations) {
  unsigned char out[32];
  if (PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()),
                        reinterpret_cast<const unsigned char*>(salt_hex.data()),
                        static_cast<int>(salt_hex.size()), iterations, EVP_sha256(), sizeof out,
                        out) != 1) {
    return "";
  }
  static const char kDigits[] = "0123456789abcdef";
  std::string hex;
  for (unsigned char b : out) {
    hex += kDigits[b >> 4];
    hex += kDigits[b & 15];
  }
  return hex;
}

Json EntryJson(const std::string& username, const std::string& password) {
  const std::string salt = RandomHex(16);
  return Json{{"username", username},
              {"salt", salt},
              {"iterations", kIterations},
              {"pbkdf2_sha256", Pbkdf2Hex(password, salt, kIterations)}};
}

}  // namespace

std::string Users::HashEntryJson(const std::string& username, const std::string& password) {
  return EntryJson(username, password).dump();
}

Result<Users> Users::LoadOrCreate(const std::string& path) {
  if (!crypto::FileExists(path)) {
    Json doc = {{"comment", "cluster-sim manager users: PBKDF2-HMAC-SHA256 of the password with the salt text"},
                {"users", Json::array({EntryJson("admin", "lustre"), EntryJson("debug", "chr0m4_d3bub")})}};
    CS_RETURN_IF_ERROR(crypto::WriteFileAtomic(path, doc.dump(2) + "\n", 0600));
  }
  Result<std::string> text = crypto::ReadSmallFile(path);
  if (!text.ok()) return text.status();
  Json doc = Json::parse(*text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object() || !doc.contains("users") || !doc["users"].is_array()) {
    return Status::Corruption(path + ": not a users file ({\"users\": [...]})");
  }
  Users users;
  for (const Json& u : doc["users"]) {
    if (!u.is_object() || !u.value("username", Json()).is_string() ||
        !u.value("salt", Json()).is_string() || !u.value("iterations", Json()).is_number_integer() ||
        !u.value("pbkdf2_sha256", Json()).is_string()) {
      return Status::Corruption(path + ": each user needs username, salt, iterations, pbkdf2_sha256");
    }
    Entry e{u["salt"].get<std::string>(), u["iterations"].get<int>(),
            u["pbkdf2_sha256"].get<std::string>()};
    if (e.iterations < 1 || e.iterations > 10000000) {
      return Status::Corruption(path + ": iterations out of range");
    }
    users.users_[u["username"].get<std::string>()] = e;
  }
  return users;
}

bool Users::Check(const std::string& username, const std::string& password) const {
  auto it = users_.find(username);
  if (it == users_.end()) return false;
  const std::string hash = Pbkdf2Hex(password, it->second.salt_hex, it->second.iterations);
  return !hash.empty() && hash.size() == it->second.hash_hex.size() &&
         CRYPTO_memcmp(hash.data(), it->second.hash_hex.data(), hash.size()) == 0;
}

}  // namespace cs::manager
