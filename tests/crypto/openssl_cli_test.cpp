// Interoperability with the openssl command line tool: what we write it
// reads and accepts, and what it writes we accept.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "crypto/authority.h"
#include "crypto/csr.h"
#include "crypto/keys.h"
#include "tests/crypto/test_util.h"

namespace cs::crypto {
namespace {

using testing_util::ReadTextFile;
using testing_util::RunCommand;
using testing_util::TempDir;
using testing_util::WriteTextFile;
using ::testing::HasSubstr;
using ::testing::Not;

std::string Quote(const std::string& path) { return "'" + path + "'"; }

class OpensslCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (RunCommand("openssl version").exit_code != 0) GTEST_SKIP() << "no openssl command";
    Result<CertificateAuthority> ca = CertificateAuthority::Create();
    ASSERT_TRUE(ca.ok());
    ca_.emplace(std::move(*ca));
    ASSERT_TRUE(ca_->Save(dir_.File("ca")).ok());
  }
  std::string CaFile() const { return Quote(dir_.File("ca/ca.crt")); }

  TempDir dir_;
  std::optional<CertificateAuthority> ca_;
};

TEST_F(OpensslCliTest, OpensslVerifiesOurCsr) {
  for (KeyType type : {KeyType::kEcdsaP256, KeyType::kRsa2048}) {
    Result<PrivateKey> key = PrivateKey::Generate(type);
    ASSERT_TRUE(key.ok());
    Result<std::string> csr = MakeCsrPem(*key, "test001.localdomain");
    ASSERT_TRUE(csr.ok());
    WriteTextFile(dir_.File("csr.pem"), *csr);
    auto verify = RunCommand("openssl req -in " + Quote(dir_.File("csr.pem")) + " -noout -verify -subject");
    EXPECT_EQ(verify.exit_code, 0) << verify.output;
    EXPECT_THAT(verify.output, HasSubstr("verify OK"));
    EXPECT_THAT(verify.output, HasSubstr("subject=CN = test001.localdomain"));
  }
}

TEST_F(OpensslCliTest, OpensslReadsOurKeyFile) {
  Result<PrivateKey> key = PrivateKey::Generate(KeyType::kEcdsaP256);
  ASSERT_TRUE(key.ok());
  ASSERT_TRUE(key->Save(dir_.File("private.pem")).ok());
  auto check = RunCommand("openssl pkey -in " + Quote(dir_.File("private.pem")) + " -noout -check");
  EXPECT_EQ(check.exit_code, 0) << check.output;
  EXPECT_THAT(check.output, HasSubstr("Key is valid"));
}

TEST_F(OpensslCliTest, OpensslVerifiesOurClientCertificate) {
  Result<PrivateKey> key = PrivateKey::Generate();
  ASSERT_TRUE(key.ok());
  Result<IssuedCertificate> issued =
      ca_->IssueClientCertificate(MakeCsrPem(*key, "test001.localdomain").value());
  ASSERT_TRUE(issued.ok());
  WriteTextFile(dir_.File("client.crt"), issued->pem);
  const std::string client = Quote(dir_.File("client.crt"));

  auto verify = RunCommand("openssl verify -purpose sslclient -CAfile " + CaFile() + " " + client);
  EXPECT_EQ(verify.exit_code, 0) << verify.output;
  EXPECT_THAT(verify.output, HasSubstr(": OK"));

  auto info = RunCommand("openssl x509 -in " + client +
                  " -noout -serial -subject -ext extendedKeyUsage,basicConstraints");
  EXPECT_EQ(info.exit_code, 0) << info.output;
  EXPECT_THAT(info.output, HasSubstr("serial=" + issued->serial_hex + "\n"));
  EXPECT_THAT(info.output, HasSubstr("subject=CN = test001.localdomain"));
  EXPECT_THAT(info.output, HasSubstr("TLS Web Client Authentication"));
  EXPECT_THAT(info.output, HasSubstr("CA:FALSE"));
}

TEST_F(OpensslCliTest, OpensslRejectsOurCertificateUnderAnotherCa) {
  Result<CertificateAuthority> other = CertificateAuthority::Create();
  ASSERT_TRUE(other.ok());
  ASSERT_TRUE(other->Save(dir_.File("other")).ok());
  Result<PrivateKey> key = PrivateKey::Generate();
  ASSERT_TRUE(key.ok());
  Result<IssuedCertificate> issued =
      ca_->IssueClientCertificate(MakeCsrPem(*key, "test001.localdomain").value());
  ASSERT_TRUE(issued.ok());
  WriteTextFile(dir_.File("client.crt"), issued->pem);
  auto verify = RunCommand("openssl verify -CAfile " + Quote(dir_.File("other/ca.crt")) + " " +
                    Quote(dir_.File("client.crt")));
  EXPECT_NE(verify.exit_code, 0) << verify.output;
  EXPECT_THAT(verify.output, HasSubstr("unable to get local issuer certificate"));
}

TEST_F(OpensslCliTest, OpensslSeesTheServerNamesAndCaExtensions) {
  Result<PrivateKey> key = PrivateKey::Generate(KeyType::kRsa2048);
  ASSERT_TRUE(key.ok());
  ServerCertOptions options;
  options.dns_names = {"manager.localdomain"};
  options.ip_addresses = {"192.168.0.10"};
  Result<IssuedCertificate> issued = ca_->IssueServerCertificate(*key, options);
  ASSERT_TRUE(issued.ok());
  WriteTextFile(dir_.File("server.crt"), issued->pem);
  const std::string server = Quote(dir_.File("server.crt"));

  auto san = RunCommand("openssl x509 -in " + server + " -noout -ext subjectAltName,extendedKeyUsage");
  EXPECT_EQ(san.exit_code, 0) << san.output;
  EXPECT_THAT(san.output, HasSubstr("DNS:localhost"));
  EXPECT_THAT(san.output, HasSubstr("DNS:manager.localdomain"));
  EXPECT_THAT(san.output, HasSubstr("IP Address:127.0.0.1"));
  EXPECT_THAT(san.output, HasSubstr("IP Address:192.168.0.10"));
  EXPECT_THAT(san.output, HasSubstr("TLS Web Server Authentication"));
  EXPECT_THAT(san.output, Not(HasSubstr("Client Authentication")));

  auto verify = RunCommand("openssl verify -purpose sslserver -CAfile " + CaFile() + " " + server);
  EXPECT_EQ(verify.exit_code, 0) << verify.output;

  auto ca = RunCommand("openssl x509 -in " + CaFile() + " -noout -subject -ext basicConstraints,keyUsage");
  EXPECT_EQ(ca.exit_code, 0) << ca.output;
  EXPECT_THAT(ca.output, HasSubstr("subject=CN = cluster-sim manager CA"));
  EXPECT_THAT(ca.output, HasSubstr("CA:TRUE"));
  EXPECT_THAT(ca.output, HasSubstr("Certificate Sign, CRL Sign"));
}

TEST_F(OpensslCliTest, WeIssueForAnOpensslMadeCsr) {
  const std::string key_file = dir_.File("agent.key");
  const std::string csr_file = dir_.File("agent.csr");
  auto req = RunCommand("openssl req -new -newkey rsa:2048 -nodes -subj /CN=x.localdomain -keyout " +
                 Quote(key_file) + " -out " + Quote(csr_file));
  ASSERT_EQ(req.exit_code, 0) << req.output;

  Result<IssuedCertificate> issued = ca_->IssueClientCertificate(ReadTextFile(csr_file));
  ASSERT_TRUE(issued.ok()) << issued.status().ToString();
  EXPECT_EQ(issued->common_name, "x.localdomain");
  Result<Certificate> cert = Certificate::Parse(issued->pem);
  ASSERT_TRUE(cert.ok());
  Result<PrivateKey> agent_key = PrivateKey::Load(key_file);
  ASSERT_TRUE(agent_key.ok()) << agent_key.status().ToString();
  EXPECT_EQ(agent_key->type(), KeyType::kRsa2048);
  EXPECT_TRUE(cert->MatchesKey(agent_key->get()));

  WriteTextFile(dir_.File("agent.crt"), issued->pem);
  auto verify = RunCommand("openssl verify -CAfile " + CaFile() + " " + Quote(dir_.File("agent.crt")));
  EXPECT_EQ(verify.exit_code, 0) << verify.output;
}

TEST_F(OpensslCliTest, KeysWeDoNotUseAreRefused) {
  const std::string small = dir_.File("small.key");
  const std::string encrypted = dir_.File("encrypted.key");
  ASSERT_EQ(RunCommand("openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024 -out " + Quote(small))
                .exit_code, 0);
  ASSERT_EQ(RunCommand("openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -aes256 "
                "-pass pass:secret -out " + Quote(encrypted)).exit_code, 0);
  Result<PrivateKey> weak = PrivateKey::Load(small);
  ASSERT_FALSE(weak.ok());
  EXPECT_THAT(weak.status().message(), HasSubstr("too small"));
  // Encrypted keys fail instead of prompting for a pass phrase.
  EXPECT_FALSE(PrivateKey::Load(encrypted).ok());
}

}  // namespace
}  // namespace cs::crypto
