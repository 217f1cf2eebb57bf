#include "crypto/authority.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <openssl/pem.h>

#include <chrono>
#include <set>

#include "crypto/csr.h"
#include "tests/crypto/test_util.h"
#include "util/clock.h"

namespace cs::crypto {
namespace {

using std::chrono::days;
using std::chrono::hours;
using testing_util::FileMode;
using testing_util::TempDir;
using ::testing::Contains;
using ::testing::HasSubstr;

using Purpose = VerifyOptions::Purpose;

WallTime Now() { return SystemClock().Now(); }

// A CSR for `cn` with a fresh key.
std::string MakeCsr(const std::string& cn, KeyType type = KeyType::kEcdsaP256) {
  Result<PrivateKey> key = PrivateKey::Generate(type);
  EXPECT_TRUE(key.ok());
  Result<std::string> csr = MakeCsrPem(*key, cn);
  EXPECT_TRUE(csr.ok());
  return csr.ok() ? *csr : std::string();
}

Certificate ParseOrDie(const std::string& pem) {
  Result<Certificate> cert = Certificate::Parse(pem);
  EXPECT_TRUE(cert.ok()) << cert.status().ToString();
  return std::move(cert).value();
}

class AuthorityTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<CertificateAuthority> ca = CertificateAuthority::Create();
    ASSERT_TRUE(ca.ok()) << ca.status().ToString();
    ca_.emplace(std::move(*ca));
  }
  std::optional<CertificateAuthority> ca_;
};

TEST_F(AuthorityTest, CaCertificateIsASelfSignedTenYearCa) {
  const Certificate& cert = ca_->certificate();
  EXPECT_EQ(cert.common_name(), "cluster-sim manager CA");
  EXPECT_EQ(cert.issuer_common_name(), "cluster-sim manager CA");
  EXPECT_TRUE(cert.is_ca());
  EXPECT_TRUE(VerifyCertificate(cert, cert).ok());
  EXPECT_GT(cert.not_after(), Now() + days(3650));
  EXPECT_LT(cert.not_after(), Now() + days(3660));
  EXPECT_LT(cert.not_before(), Now());
  X509* x = cert.get();
  EXPECT_NE(X509_get_key_usage(x) & KU_KEY_CERT_SIGN, 0u);
  EXPECT_NE(X509_get_key_usage(x) & KU_CRL_SIGN, 0u);
}

TEST_F(AuthorityTest, IssuesAClientCertificateFromACsr) {
  Result<IssuedCertificate> issued = ca_->IssueClientCertificate(MakeCsr("test001.localdomain"));
  ASSERT_TRUE(issued.ok()) << issued.status().ToString();
  EXPECT_EQ(issued->common_name, "test001.localdomain");
  Certificate cert = ParseOrDie(issued->pem);
  EXPECT_EQ(cert.common_name(), "test001.localdomain");
  EXPECT_EQ(cert.issuer_common_name(), "cluster-sim manager CA");
  EXPECT_EQ(cert.serial_hex(), issued->serial_hex);
  EXPECT_FALSE(cert.is_ca());
  EXPECT_NE(X509_get_extended_key_usage(cert.get()) & XKU_SSL_CLIENT, 0u);
  EXPECT_EQ(X509_get_extended_key_usage(cert.get()) & XKU_SSL_SERVER, 0u);
  EXPECT_GT(cert.not_after(), Now() + days(3650));

  EXPECT_TRUE(VerifyCertificate(cert, ca_->certificate()).ok());
  EXPECT_TRUE(VerifyCertificate(cert, ca_->certificate(), {Purpose::kTlsClient, {}}).ok());
  Status as_server = VerifyCertificate(cert, ca_->certificate(), {Purpose::kTlsServer, {}});
  EXPECT_FALSE(as_server.ok());
  EXPECT_THAT(as_server.message(), HasSubstr("unsuitable certificate purpose"));
}

TEST_F(AuthorityTest, IssuesForRsaCsrsToo) {
  Result<IssuedCertificate> issued =
      ca_->IssueClientCertificate(MakeCsr("rsa.localdomain", KeyType::kRsa2048));
  ASSERT_TRUE(issued.ok()) << issued.status().ToString();
  EXPECT_TRUE(VerifyCertificate(ParseOrDie(issued->pem), ca_->certificate()).ok());
}

TEST_F(AuthorityTest, AnotherCaDoesNotVerify) {
  Result<CertificateAuthority> other = CertificateAuthority::Create();
  ASSERT_TRUE(other.ok());
  Result<IssuedCertificate> issued = ca_->IssueClientCertificate(MakeCsr("test001.localdomain"));
  ASSERT_TRUE(issued.ok());
  Status status = VerifyCertificate(ParseOrDie(issued->pem), other->certificate());
  ASSERT_FALSE(status.ok());
  EXPECT_THAT(status.message(), HasSubstr("unable to get local issuer certificate"));
  EXPECT_THAT(status.message(), HasSubstr("test001.localdomain"));
}

TEST_F(AuthorityTest, SerialsAreUniqueLargeAndPositive) {
  const std::string csr = MakeCsr("test001.localdomain");
  std::set<std::string> serials;
  for (int i = 0; i < 50; ++i) {
    Result<IssuedCertificate> issued = ca_->IssueClientCertificate(csr);
    ASSERT_TRUE(issued.ok());
    const std::string& hex = issued->serial_hex;
    // 16 bytes with the top bit clear and the next one set: 4..7 first.
    EXPECT_EQ(hex.size(), 32u) << hex;
    EXPECT_THAT(std::string("4567"), HasSubstr(hex.substr(0, 1))) << hex;
    serials.insert(hex);
  }
  EXPECT_EQ(serials.size(), 50u);
  EXPECT_EQ(serials.count(ca_->certificate().serial_hex()), 0u);
}

TEST_F(AuthorityTest, ValidityIsConfigurableAndExpiryIsChecked) {
  Result<IssuedCertificate> issued =
      ca_->IssueClientCertificate(MakeCsr("short.localdomain"), {.validity = days(1)});
  ASSERT_TRUE(issued.ok());
  Certificate cert = ParseOrDie(issued->pem);
  EXPECT_LT(cert.not_after(), Now() + days(1) + hours(1));
  EXPECT_GT(cert.not_after(), Now() + days(1) - hours(1));
  EXPECT_TRUE(VerifyCertificate(cert, ca_->certificate(), {Purpose::kAny, Now() + hours(12)}).ok());
  Status late = VerifyCertificate(cert, ca_->certificate(), {Purpose::kAny, Now() + days(2)});
  ASSERT_FALSE(late.ok());
  EXPECT_THAT(late.message(), HasSubstr("certificate has expired"));
  EXPECT_FALSE(ca_->IssueClientCertificate(MakeCsr("x"), {.validity = days(0)}).ok());
}

TEST_F(AuthorityTest, RefusesTamperedOrGarbageCsrs) {
  // Well-formed but with a subject the key never signed.
  std::string forged = testing_util::TamperedCsr(MakeCsr("test001.localdomain"), "test001", "test666");
  ASSERT_FALSE(forged.empty());
  Result<IssuedCertificate> from_forged = ca_->IssueClientCertificate(forged);
  ASSERT_FALSE(from_forged.ok());
  EXPECT_THAT(from_forged.status().message(), HasSubstr("bad signature"));

  std::string csr = MakeCsr("test001.localdomain");
  // Flip one base64 character inside the body; whichever field it lands in,
  // the request must no longer be accepted.
  size_t pos = csr.find('\n') + 40;
  csr[pos] = csr[pos] == 'A' ? 'B' : 'A';
  Result<IssuedCertificate> issued = ca_->IssueClientCertificate(csr);
  EXPECT_FALSE(issued.ok());
  EXPECT_FALSE(ca_->IssueClientCertificate("not a csr").ok());
}

TEST_F(AuthorityTest, ClientSubjectIsOnlyTheCsrCommonName) {
  // A CSR with extra subject parts: the certificate keeps the CN alone.
  Result<PrivateKey> key = PrivateKey::Generate();
  ASSERT_TRUE(key.ok());
  X509ReqPtr req(X509_REQ_new());
  X509_NAME* name = X509_REQ_get_subject_name(req.get());
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("Evil Corp"), -1, -1, 0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("node.localdomain"), -1, -1, 0);
  X509_REQ_set_pubkey(req.get(), key->get());
  ASSERT_GT(X509_REQ_sign(req.get(), key->get(), EVP_sha256()), 0);
  BioPtr out(BIO_new(BIO_s_mem()));
  PEM_write_bio_X509_REQ(out.get(), req.get());

  Result<IssuedCertificate> issued = ca_->IssueClientCertificate(BioContents(out.get()));
  ASSERT_TRUE(issued.ok()) << issued.status().ToString();
  Certificate cert = ParseOrDie(issued->pem);
  EXPECT_EQ(cert.common_name(), "node.localdomain");
  EXPECT_EQ(X509_NAME_entry_count(X509_get_subject_name(cert.get())), 1);
}

TEST_F(AuthorityTest, ServerCertificateHasTheNames) {
  Result<PrivateKey> key = PrivateKey::Generate();
  ASSERT_TRUE(key.ok());
  ServerCertOptions options;
  options.dns_names = {"manager.localdomain", "localhost"};
  options.ip_addresses = {"10.0.0.5", "::1"};
  Result<IssuedCertificate> issued = ca_->IssueServerCertificate(*key, options);
  ASSERT_TRUE(issued.ok()) << issued.status().ToString();
  Certificate cert = ParseOrDie(issued->pem);
  EXPECT_EQ(cert.common_name(), "localhost");
  EXPECT_EQ(cert.dns_names(), (std::vector<std::string>{"localhost", "manager.localdomain"}));
  EXPECT_EQ(cert.ip_addresses(), (std::vector<std::string>{"127.0.0.1", "10.0.0.5", "::1"}));
  EXPECT_TRUE(cert.MatchesKey(key->get()));
  EXPECT_NE(X509_get_extended_key_usage(cert.get()) & XKU_SSL_SERVER, 0u);
  EXPECT_TRUE(VerifyCertificate(cert, ca_->certificate(), {Purpose::kTlsServer, {}}).ok());
  // OpenSSL's own host and IP checks agree.
  EXPECT_EQ(X509_check_host(cert.get(), "manager.localdomain", 0, 0, nullptr), 1);
  EXPECT_EQ(X509_check_ip_asc(cert.get(), "127.0.0.1", 0), 1);
  EXPECT_NE(X509_check_host(cert.get(), "other.localdomain", 0, 0, nullptr), 1);
}

TEST_F(AuthorityTest, ServerCertificateDefaultsAndBadNames) {
  Result<PrivateKey> key = PrivateKey::Generate(KeyType::kRsa2048);
  ASSERT_TRUE(key.ok());
  Result<IssuedCertificate> issued = ca_->IssueServerCertificate(*key);
  ASSERT_TRUE(issued.ok());
  Certificate cert = ParseOrDie(issued->pem);
  EXPECT_EQ(cert.dns_names(), std::vector<std::string>{"localhost"});
  EXPECT_EQ(cert.ip_addresses(), std::vector<std::string>{"127.0.0.1"});

  ServerCertOptions injected;
  injected.dns_names = {"a.example,DNS:evil.example"};
  EXPECT_EQ(ca_->IssueServerCertificate(*key, injected).status().code(),
            Status::Code::kInvalidArgument);
  ServerCertOptions bad_ip;
  bad_ip.ip_addresses = {"300.1.2.3"};
  EXPECT_EQ(ca_->IssueServerCertificate(*key, bad_ip).status().code(),
            Status::Code::kInvalidArgument);
}

TEST_F(AuthorityTest, SaveAndLoad) {
  TempDir dir;
  const std::string ca_dir = dir.File("ca");
  ASSERT_TRUE(ca_->Save(ca_dir).ok());
  EXPECT_EQ(FileMode(ca_dir), 0700);
  EXPECT_EQ(FileMode(ca_dir + "/ca.key"), 0600);
  EXPECT_EQ(FileMode(ca_dir + "/ca.crt"), 0644);

  Result<CertificateAuthority> loaded = CertificateAuthority::Load(ca_dir);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ(loaded->certificate().ToPem(), ca_->certificate().ToPem());
  // The loaded CA issues certificates the original one verifies, and back.
  Result<IssuedCertificate> issued = loaded->IssueClientCertificate(MakeCsr("n.localdomain"));
  ASSERT_TRUE(issued.ok());
  EXPECT_TRUE(VerifyCertificate(ParseOrDie(issued->pem), ca_->certificate()).ok());
}

TEST_F(AuthorityTest, LoadRefusesAMismatchedKey) {
  TempDir dir;
  ASSERT_TRUE(ca_->Save(dir.path()).ok());
  Result<PrivateKey> stranger = PrivateKey::Generate();
  ASSERT_TRUE(stranger.ok());
  ASSERT_TRUE(stranger->Save(dir.File("ca.key")).ok());
  Result<CertificateAuthority> loaded = CertificateAuthority::Load(dir.path());
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.status().code(), Status::Code::kCorruption);
  EXPECT_FALSE(CertificateAuthority::Load(dir.File("missing")).ok());
}

TEST(AuthorityStandaloneTest, LoadOrCreateCreatesOnceThenLoads) {
  TempDir dir;
  const std::string ca_dir = dir.File("manager_ca");
  Result<CertificateAuthority> first = CertificateAuthority::LoadOrCreate(
      ca_dir, {.common_name = "test CA", .key_type = KeyType::kRsa2048});
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->certificate().common_name(), "test CA");
  Result<CertificateAuthority> second = CertificateAuthority::LoadOrCreate(ca_dir);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->certificate().serial_hex(), first->certificate().serial_hex());
  EXPECT_THAT(testing_util::ListDir(ca_dir), Contains("ca.key"));
  EXPECT_EQ(testing_util::ListDir(ca_dir).size(), 2u);
}

TEST(CertificateTest, ParseErrors) {
  Result<Certificate> cert = Certificate::Parse("garbage");
  ASSERT_FALSE(cert.ok());
  EXPECT_EQ(cert.status().code(), Status::Code::kInvalidArgument);
  EXPECT_THAT(cert.status().message(), HasSubstr("not a PEM certificate"));
  EXPECT_EQ(Certificate::Load("/nonexistent/x.crt").status().code(), Status::Code::kNotFound);
}

}  // namespace
}  // namespace cs::crypto
