#include "crypto/csr.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/crypto/test_util.h"

namespace cs::crypto {
namespace {

using testing_util::TamperedCsr;
using ::testing::HasSubstr;

class CsrKeyTest : public ::testing::TestWithParam<KeyType> {};

TEST_P(CsrKeyTest, SubjectIsTheFqdnAndTheSignatureVerifies) {
  Result<PrivateKey> key = PrivateKey::Generate(GetParam());
  ASSERT_TRUE(key.ok());
  Result<std::string> pem = MakeCsrPem(*key, "test001.localdomain");
  ASSERT_TRUE(pem.ok()) << pem.status().ToString();
  EXPECT_THAT(*pem, HasSubstr("-----BEGIN CERTIFICATE REQUEST-----"));

  Result<Csr> csr = ParseAndVerifyCsr(*pem);
  ASSERT_TRUE(csr.ok()) << csr.status().ToString();
  EXPECT_EQ(csr->common_name(), "test001.localdomain");
  // The subject is the CN alone.
  EXPECT_EQ(X509_NAME_entry_count(X509_REQ_get_subject_name(csr->get())), 1);
  EXPECT_EQ(X509_REQ_get_signature_nid(csr->get()),
            GetParam() == KeyType::kEcdsaP256 ? NID_ecdsa_with_SHA256 : NID_sha256WithRSAEncryption);
  // The request carries this key's public half.
  EXPECT_EQ(EVP_PKEY_eq(X509_REQ_get0_pubkey(csr->get()), key->get()), 1);
}

INSTANTIATE_TEST_SUITE_P(Both, CsrKeyTest,
                         ::testing::Values(KeyType::kEcdsaP256, KeyType::kRsa2048),
                         [](const auto& param_info) {
                           return param_info.param == KeyType::kEcdsaP256 ? "Ecdsa" : "Rsa";
                         });

TEST(CsrTest, AlteredSubjectFailsVerification) {
  Result<PrivateKey> key = PrivateKey::Generate();
  ASSERT_TRUE(key.ok());
  Result<std::string> pem = MakeCsrPem(*key, "aaaa.localdomain");
  ASSERT_TRUE(pem.ok());
  std::string tampered = TamperedCsr(*pem, "aaaa", "bbbb");
  ASSERT_FALSE(tampered.empty());

  Result<Csr> csr = Csr::Parse(tampered);
  ASSERT_TRUE(csr.ok()) << csr.status().ToString();
  EXPECT_EQ(csr->common_name(), "bbbb.localdomain");
  Status status = csr->Verify();
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.code(), Status::Code::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("bad signature"));
  EXPECT_FALSE(ParseAndVerifyCsr(tampered).ok());
}

TEST(CsrTest, AlteredSignatureFailsVerification) {
  Result<PrivateKey> key = PrivateKey::Generate(KeyType::kRsa2048);
  ASSERT_TRUE(key.ok());
  Result<std::string> pem = MakeCsrPem(*key, "x.localdomain");
  ASSERT_TRUE(pem.ok());
  std::string der = testing_util::CsrDer(*pem);
  der.back() = static_cast<char>(der.back() ^ 0x01);  // last byte of the RSA signature
  Result<Csr> csr = Csr::Parse(testing_util::DerToCsrPem(der));
  ASSERT_TRUE(csr.ok());
  EXPECT_FALSE(csr->Verify().ok());
}

TEST(CsrTest, GarbageIsAClearError) {
  Result<Csr> csr = Csr::Parse("-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n");
  ASSERT_FALSE(csr.ok());
  EXPECT_EQ(csr.status().code(), Status::Code::kInvalidArgument);
  EXPECT_THAT(csr.status().message(), HasSubstr("not a PEM certificate request"));
  EXPECT_FALSE(Csr::Parse("").ok());
}

TEST(CsrTest, RejectsBadCommonNames) {
  Result<PrivateKey> key = PrivateKey::Generate();
  ASSERT_TRUE(key.ok());
  EXPECT_FALSE(MakeCsrPem(*key, "").ok());
  EXPECT_FALSE(MakeCsrPem(*key, std::string(65, 'a')).ok());
  EXPECT_FALSE(MakeCsrPem(*key, "bad\nname").ok());
  EXPECT_TRUE(MakeCsrPem(*key, std::string(64, 'a')).ok());
}

}  // namespace
}  // namespace cs::crypto
