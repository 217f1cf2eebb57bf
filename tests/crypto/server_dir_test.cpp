#include "crypto/server_dir.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "crypto/authority.h"
#include "crypto/csr.h"
#include "tests/crypto/test_util.h"

namespace cs::crypto {
namespace {

using testing_util::FileMode;
using testing_util::TempDir;
using ::testing::HasSubstr;

TEST(ServerCryptoDirTest, LayoutMatchesTheOriginalSimulator) {
  ServerCryptoDir dir("/etc/sim", "test001.localdomain");
  EXPECT_EQ(dir.path(), "/etc/sim/test001.localdomain_crypto");
  EXPECT_EQ(dir.key_path(), "/etc/sim/test001.localdomain_crypto/private.pem");
  EXPECT_EQ(dir.certificate_path(), "/etc/sim/test001.localdomain_crypto/self.crt");
  EXPECT_EQ(dir.authority_path(), "/etc/sim/test001.localdomain_crypto/authority.crt");
}

TEST(ServerCryptoDirTest, EnsureKeyCreatesOnceWithPrivateModes) {
  TempDir config;
  ServerCryptoDir dir(config.path(), "test001.localdomain");
  Result<PrivateKey> key = dir.EnsureKey(KeyType::kRsa2048);
  ASSERT_TRUE(key.ok()) << key.status().ToString();
  EXPECT_EQ(key->type(), KeyType::kRsa2048);
  EXPECT_EQ(FileMode(dir.path()), 0700);
  EXPECT_EQ(FileMode(dir.key_path()), 0600);

  // A second call loads the same key, whatever type it asks for.
  Result<PrivateKey> again = dir.EnsureKey(KeyType::kEcdsaP256);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->type(), KeyType::kRsa2048);
  EXPECT_EQ(EVP_PKEY_eq(again->get(), key->get()), 1);
  EXPECT_FALSE(dir.HasCertificate());
  EXPECT_FALSE(dir.HasAuthority());
}

TEST(ServerCryptoDirTest, RegistrationRoundTrip) {
  TempDir config;
  ServerCryptoDir dir(config.path(), "test002.localdomain");
  ASSERT_TRUE(dir.EnsureKey().ok());
  Result<std::string> csr = dir.MakeCsr();
  ASSERT_TRUE(csr.ok()) << csr.status().ToString();
  Result<Csr> parsed = ParseAndVerifyCsr(*csr);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->common_name(), "test002.localdomain");

  Result<CertificateAuthority> ca = CertificateAuthority::Create();
  ASSERT_TRUE(ca.ok());
  Result<IssuedCertificate> issued = ca->IssueClientCertificate(*csr);
  ASSERT_TRUE(issued.ok());
  ASSERT_TRUE(dir.InstallCertificate(issued->pem).ok());
  ASSERT_TRUE(dir.InstallAuthority(ca->certificate().ToPem()).ok());
  EXPECT_TRUE(dir.HasCertificate());
  EXPECT_TRUE(dir.HasAuthority());

  Result<Certificate> cert = dir.LoadCertificate();
  Result<Certificate> authority = dir.LoadAuthority();
  ASSERT_TRUE(cert.ok());
  ASSERT_TRUE(authority.ok());
  EXPECT_EQ(cert->serial_hex(), issued->serial_hex);
  EXPECT_TRUE(VerifyCertificate(*cert, *authority).ok());
  EXPECT_EQ(testing_util::ListDir(dir.path()).size(), 3u);  // no temp files left
}

TEST(ServerCryptoDirTest, InstallRefusesForeignOrBadCertificates) {
  TempDir config;
  ServerCryptoDir dir(config.path(), "test003.localdomain");
  ServerCryptoDir other(config.path(), "test004.localdomain");
  ASSERT_TRUE(dir.EnsureKey().ok());
  ASSERT_TRUE(other.EnsureKey().ok());
  Result<CertificateAuthority> ca = CertificateAuthority::Create();
  ASSERT_TRUE(ca.ok());
  Result<std::string> other_csr = other.MakeCsr();
  ASSERT_TRUE(other_csr.ok());
  Result<IssuedCertificate> foreign = ca->IssueClientCertificate(*other_csr);
  ASSERT_TRUE(foreign.ok());

  Status status = dir.InstallCertificate(foreign->pem);
  EXPECT_EQ(status.code(), Status::Code::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("not for this server's key"));
  EXPECT_FALSE(dir.InstallCertificate("garbage").ok());
  EXPECT_FALSE(dir.InstallAuthority("garbage").ok());
  EXPECT_FALSE(dir.HasCertificate());
  EXPECT_FALSE(dir.HasAuthority());
}

TEST(ServerCryptoDirTest, MakeCsrWithoutKeyFails) {
  TempDir config;
  ServerCryptoDir dir(config.path(), "test005.localdomain");
  Result<std::string> csr = dir.MakeCsr();
  ASSERT_FALSE(csr.ok());
  EXPECT_EQ(csr.status().code(), Status::Code::kNotFound);
}

}  // namespace
}  // namespace cs::crypto
