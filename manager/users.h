// Users: the manager's web login accounts, kept in <dir>/users.json as
// PBKDF2-HMAC-SHA256 hashes with a per-user salt (never the password). The
// first start writes the original IML defaults, admin/lustre and
// debug/chr0m4_d3bub: acceptable because the manager listens on loopback
// unless told otherwise; edit the file (or replace it) to change them.
#pragma once

#include <map>
#include <string>

#include "util/status.h"

namespace cs::manager {

class Users {
 public:
  // Loads <path>, or creates it with the default accounts when missing.
  static Result<Users> LoadOrCreate(const std::string& path);

  // Whether `password` is this user's. Constant-time in the hash compare.
  bool Check(const std::string& username, const std::string& password) const;

  // An entry of the users file for `password` (salt, iterations, hash).
  static std::string HashEntryJson(const std::string& username, const std::string& password);

 private:
  struct Entry {
    std::string salt_hex;
    int iterations = 0;
    std::string hash_hex;
  };
  std::map<std::string, Entry> users_;
};

}  // namespace cs::manager
