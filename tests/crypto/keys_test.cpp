#include "crypto/keys.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <sstream>

#include "tests/crypto/test_util.h"

namespace cs::crypto {
namespace {

using testing_util::FileMode;
using testing_util::ReadTextFile;
using testing_util::TempDir;
using testing_util::WriteTextFile;
using ::testing::HasSubstr;
using ::testing::Not;

// Restores the process umask when a test changes it.
class ScopedUmask {
 public:
  explicit ScopedUmask(mode_t mask) : old_(umask(mask)) {}
  ~ScopedUmask() { umask(old_); }

 private:
  mode_t old_;
};

// Every base64 line of a PEM, to check that none leaks into a message.
std::vector<std::string> PemBodyLines(const std::string& pem) {
  std::vector<std::string> lines;
  std::istringstream in(pem);
  std::string line;
  while (std::getline(in, line)) {
    if (line.size() >= 16 && line.rfind("-----", 0) != 0) lines.push_back(line);
  }
  return lines;
}

class KeyTypeTest : public ::testing::TestWithParam<KeyType> {};

TEST_P(KeyTypeTest, GeneratesTheRequestedAlgorithm) {
  Result<PrivateKey> key = PrivateKey::Generate(GetParam());
  ASSERT_TRUE(key.ok()) << key.status().ToString();
  EXPECT_EQ(key->type(), GetParam());
  if (GetParam() == KeyType::kEcdsaP256) {
    EXPECT_TRUE(EVP_PKEY_is_a(key->get(), "EC"));
    EXPECT_EQ(EVP_PKEY_get_bits(key->get()), 256);
  } else {
    EXPECT_TRUE(EVP_PKEY_is_a(key->get(), "RSA"));
    EXPECT_EQ(EVP_PKEY_get_bits(key->get()), 2048);
  }
}

TEST_P(KeyTypeTest, SaveLoadRoundTrip) {
  TempDir dir;
  Result<PrivateKey> key = PrivateKey::Generate(GetParam());
  ASSERT_TRUE(key.ok());
  ASSERT_TRUE(key->Save(dir.File("key.pem")).ok());
  Result<PrivateKey> loaded = PrivateKey::Load(dir.File("key.pem"));
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ(loaded->type(), GetParam());
  EXPECT_EQ(EVP_PKEY_eq(key->get(), loaded->get()), 1);
  EXPECT_EQ(loaded->ToPem(), key->ToPem());
  EXPECT_EQ(ReadTextFile(dir.File("key.pem")), key->ToPem());
  EXPECT_THAT(key->ToPem(), HasSubstr("-----BEGIN PRIVATE KEY-----"));
}

INSTANTIATE_TEST_SUITE_P(Both, KeyTypeTest,
                         ::testing::Values(KeyType::kEcdsaP256, KeyType::kRsa2048),
                         [](const auto& param_info) {
                           return param_info.param == KeyType::kEcdsaP256 ? "Ecdsa" : "Rsa";
                         });

TEST(KeysTest, SavedFileModeIsExactly0600WhateverTheUmask) {
  TempDir dir;
  Result<PrivateKey> key = PrivateKey::Generate();
  ASSERT_TRUE(key.ok());
  {
    ScopedUmask open_umask(0);  // would give 0666-ish files without fchmod
    ASSERT_TRUE(key->Save(dir.File("a.pem")).ok());
  }
  {
    ScopedUmask strict_umask(0077);
    ASSERT_TRUE(key->Save(dir.File("b.pem")).ok());
  }
  EXPECT_EQ(FileMode(dir.File("a.pem")), 0600);
  EXPECT_EQ(FileMode(dir.File("b.pem")), 0600);
}

TEST(KeysTest, SaveReplacesAnExistingFileAndItsMode) {
  TempDir dir;
  const std::string path = dir.File("key.pem");
  WriteTextFile(path, "old contents");
  ASSERT_EQ(chmod(path.c_str(), 0644), 0);
  Result<PrivateKey> key = PrivateKey::Generate();
  ASSERT_TRUE(key.ok());
  ASSERT_TRUE(key->Save(path).ok());
  EXPECT_EQ(FileMode(path), 0600);
  EXPECT_EQ(ReadTextFile(path), key->ToPem());
  // The temporary file was renamed away, nothing else is left behind.
  EXPECT_EQ(testing_util::ListDir(dir.path()), std::vector<std::string>{"key.pem"});
}

TEST(KeysTest, SaveIntoMissingDirectoryFails) {
  TempDir dir;
  Result<PrivateKey> key = PrivateKey::Generate();
  ASSERT_TRUE(key.ok());
  Status status = key->Save(dir.File("no/such/key.pem"));
  EXPECT_FALSE(status.ok());
  EXPECT_THAT(status.message(), HasSubstr("no/such/key.pem"));
  EXPECT_THAT(status.message(), Not(HasSubstr("PRIVATE KEY")));
}

TEST(KeysTest, LoadMissingKeyIsNotFound) {
  TempDir dir;
  Result<PrivateKey> key = PrivateKey::Load(dir.File("missing.pem"));
  ASSERT_FALSE(key.ok());
  EXPECT_EQ(key.status().code(), Status::Code::kNotFound);
  EXPECT_THAT(key.status().message(), HasSubstr("missing.pem"));
}

TEST(KeysTest, LoadGarbageIsCorruptionWithoutTheContents) {
  TempDir dir;
  const std::string garbage = "this is not a key, secret-marker-1234567890";
  WriteTextFile(dir.File("bad.pem"), garbage);
  Result<PrivateKey> key = PrivateKey::Load(dir.File("bad.pem"));
  ASSERT_FALSE(key.ok());
  EXPECT_EQ(key.status().code(), Status::Code::kCorruption);
  EXPECT_THAT(key.status().message(), HasSubstr("bad.pem"));
  EXPECT_THAT(key.status().message(), Not(HasSubstr("secret-marker")));
}

TEST(KeysTest, LoadTruncatedKeyLeaksNoKeyMaterial) {
  TempDir dir;
  Result<PrivateKey> key = PrivateKey::Generate(KeyType::kRsa2048);
  ASSERT_TRUE(key.ok());
  const std::string pem = key->ToPem();
  // Cut in the middle of the base64 body, and also flip a byte in the body.
  std::string truncated = pem.substr(0, pem.size() / 2) + "\n-----END PRIVATE KEY-----\n";
  // '!' is not base64, so the body can no longer decode.
  std::string flipped = pem;
  size_t pos = pem.size() / 2;
  while (flipped[pos] == '\n') ++pos;
  flipped[pos] = '!';
  for (const std::string& bad : {truncated, flipped}) {
    WriteTextFile(dir.File("bad.pem"), bad);
    Result<PrivateKey> loaded = PrivateKey::Load(dir.File("bad.pem"));
    ASSERT_FALSE(loaded.ok());
    EXPECT_EQ(loaded.status().code(), Status::Code::kCorruption);
    for (const std::string& line : PemBodyLines(pem)) {
      EXPECT_THAT(loaded.status().message(), Not(HasSubstr(line.substr(0, 16))));
    }
  }
}

TEST(KeysTest, FromPemAcceptsOwnOutputAndRejectsCertificates) {
  Result<PrivateKey> key = PrivateKey::Generate();
  ASSERT_TRUE(key.ok());
  EXPECT_TRUE(PrivateKey::FromPem(key->ToPem()).ok());
  EXPECT_FALSE(PrivateKey::FromPem("").ok());
}

TEST(KeysTest, CopiesShareTheKey) {
  Result<PrivateKey> key = PrivateKey::Generate();
  ASSERT_TRUE(key.ok());
  PrivateKey copy = *key;
  PrivateKey assigned = *key;
  assigned = copy;
  EXPECT_EQ(copy.get(), key->get());
  EXPECT_EQ(assigned.ToPem(), key->ToPem());
}

TEST(KeysTest, KeyTypeNames) {
  EXPECT_EQ(ParseKeyType("rsa").value(), KeyType::kRsa2048);
  EXPECT_EQ(ParseKeyType(KeyTypeName(KeyType::kRsa2048)).value(), KeyType::kRsa2048);
  EXPECT_EQ(ParseKeyType(KeyTypeName(KeyType::kEcdsaP256)).value(), KeyType::kEcdsaP256);
  EXPECT_FALSE(ParseKeyType("dsa").ok());
}

TEST(KeysTest, CleanseEmptiesTheString) {
  std::string secret = "abc";
  Cleanse(secret);
  EXPECT_TRUE(secret.empty());
}

}  // namespace
}  // namespace cs::crypto
