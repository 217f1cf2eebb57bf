#include "net/tls_context.h"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <boost/asio/buffer.hpp>
#include <boost/asio/ssl/context.hpp>
#include <fstream>
#include <sstream>

namespace cs::net {
namespace ssl = boost::asio::ssl;

namespace {

constexpr unsigned char kSessionIdContext[] = "cluster-sim";

std::shared_ptr<ssl::context> NewContext(ssl::context::method method) {
  auto ctx = std::make_shared<ssl::context>(method);
  // TLS 1.2 and newer only.
  ctx->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                   ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 |
                   ssl::context::single_dh_use);
  return ctx;
}

Status UseIdentity(ssl::context& ctx, const std::string& cert_pem, const std::string& key_pem,
                   const std::string& what) {
  boost::system::error_code ec;
  ctx.use_certificate_chain(boost::asio::buffer(cert_pem), ec);
  if (ec) return Status::InvalidArgument(what + " certificate: " + ec.message());
  ctx.use_private_key(boost::asio::buffer(key_pem), ssl::context::pem, ec);
  if (ec) return Status::InvalidArgument(what + " key: " + ec.message());
  if (SSL_CTX_check_private_key(ctx.native_handle()) != 1) {
    return Status::InvalidArgument(what + " key does not match its certificate");
  }
  return Status::Ok();
}

}  // namespace

namespace {

struct BioDeleter {
  void operator()(BIO* bio) const { BIO_free(bio); }
};

std::unique_ptr<BIO, BioDeleter> ReadOnlyBio(const std::string& text) {
  return std::unique_ptr<BIO, BioDeleter>(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
}

Status KeyMatches(X509* certificate, EVP_PKEY* key) {
  if (X509_check_private_key(certificate, key) == 1) return Status::Ok();
  ERR_clear_error();
  return Status::InvalidArgument("client key does not match its certificate");
}

}  // namespace

Result<std::shared_ptr<const TlsIdentity>> TlsIdentity::FromPem(const std::string& cert_pem,
                                                                const std::string& key_pem) {
  std::shared_ptr<TlsIdentity> identity(new TlsIdentity());
  auto certs = ReadOnlyBio(cert_pem);
  if (!certs) return Status::Internal("out of memory");
  identity->certificate_ = PEM_read_bio_X509(certs.get(), nullptr, nullptr, nullptr);
  if (identity->certificate_ == nullptr) return Status::InvalidArgument("client certificate: not a PEM certificate");
  while (X509* next = PEM_read_bio_X509(certs.get(), nullptr, nullptr, nullptr)) identity->chain_.push_back(next);
  ERR_clear_error();  // the end of the PEM text reads as an error
  auto key = ReadOnlyBio(key_pem);
  if (!key) return Status::Internal("out of memory");
  // No password callback: an encrypted key is refused, never prompted for.
  identity->key_ = PEM_read_bio_PrivateKey(key.get(), nullptr, [](char*, int, int, void*) { return 0; }, nullptr);
  if (identity->key_ == nullptr) {
    ERR_clear_error();
    return Status::InvalidArgument("client key: not an unencrypted PEM private key");
  }
  CS_RETURN_IF_ERROR(KeyMatches(identity->certificate_, identity->key_));
  return std::shared_ptr<const TlsIdentity>(std::move(identity));
}

Result<std::shared_ptr<const TlsIdentity>> TlsIdentity::FromParsed(X509* certificate, EVP_PKEY* key) {
  if (certificate == nullptr || key == nullptr) return Status::InvalidArgument("client certificate or key missing");
  CS_RETURN_IF_ERROR(KeyMatches(certificate, key));
  std::shared_ptr<TlsIdentity> identity(new TlsIdentity());
  if (X509_up_ref(certificate) != 1) return Status::Internal("referencing the client certificate failed");
  identity->certificate_ = certificate;
  if (EVP_PKEY_up_ref(key) != 1) return Status::Internal("referencing the client key failed");
  identity->key_ = key;
  return std::shared_ptr<const TlsIdentity>(std::move(identity));
}

TlsIdentity::~TlsIdentity() {
  X509_free(certificate_);
  for (X509* c : chain_) X509_free(c);
  EVP_PKEY_free(key_);
}

Status TlsIdentity::ApplyTo(SSL* ssl) const {
  if (ssl == nullptr) return Status::Internal("no TLS connection");
  // Each call takes its own reference: the objects are shared, not copied.
  bool ok = SSL_use_certificate(ssl, certificate_) == 1 && SSL_use_PrivateKey(ssl, key_) == 1;
  for (X509* c : chain_) ok = ok && SSL_add1_chain_cert(ssl, c) == 1;
  if (!ok) {
    ERR_clear_error();
    return Status::Internal("setting the client certificate on a connection failed");
  }
  return Status::Ok();
}

Result<std::string> ReadPemFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IoError("cannot open " + path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

namespace {

// No session is ever resumed: agents keep their two connections for hours
// and reconnect rarely, and our clients never offer a saved session. So the
// server issues no TLS 1.3 tickets (each one is a session copy, peer
// certificate included, on the client: about 1.7 KB per connection, and an
// encryption on the server per handshake) and keeps no session cache (an
// entry per handshake, each with the client's parsed certificate).
void NoSessionResumption(SSL_CTX* ctx) {
  SSL_CTX_set_num_tickets(ctx, 0);
  SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET);
  SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
}

// OpenSSL fills a certificate's extension cache (its key identifiers,
// compared when a chain is built) the first time a verification needs it,
// writing it under the certificate's lock, while another handshake on the
// same context can read it without that lock: ThreadSanitizer saw two
// agents' handshakes on the fleet's shared client context do so on the CA
// certificate (docs/testing.md, "TSan"). Filled here, before the context is
// shared with any thread, no handshake writes it.
void FillCaCertificateCaches(SSL_CTX* ctx) {
  STACK_OF(X509_OBJECT)* objects = X509_STORE_get0_objects(SSL_CTX_get_cert_store(ctx));
  for (int i = 0; i < sk_X509_OBJECT_num(objects); ++i) {
    X509* cert = X509_OBJECT_get0_X509(sk_X509_OBJECT_value(objects, i));
    if (cert != nullptr) X509_check_purpose(cert, -1, 0);  // -1: only fill the cache
  }
}

}  // namespace

Result<std::shared_ptr<ssl::context>> MakeServerTlsContext(const TlsServerConfig& config) {
  auto ctx = NewContext(ssl::context::tls_server);
  CS_RETURN_IF_ERROR(UseIdentity(*ctx, config.cert_chain_pem, config.key_pem, "server"));
  NoSessionResumption(ctx->native_handle());
  if (config.client_ca_pem.empty()) return ctx;

  boost::system::error_code ec;
  ctx->add_certificate_authority(boost::asio::buffer(config.client_ca_pem), ec);
  if (ec) return Status::InvalidArgument("client CA: " + ec.message());
  FillCaCertificateCaches(ctx->native_handle());
  // Request a client certificate but never fail the handshake over it: the
  // verdict stays in the SSL object (SSL_get_verify_result) and reaches the
  // handler as PeerCertificate::verified, so it can answer 403 over HTTP.
  ctx->set_verify_mode(ssl::verify_peer, ec);
  if (ec) return Status::Internal("set_verify_mode: " + ec.message());
  ctx->set_verify_callback([](bool, ssl::verify_context&) { return true; }, ec);
  if (ec) return Status::Internal("set_verify_callback: " + ec.message());
  // An id context, as OpenSSL wants with client verification (it is what
  // would keep a session of one context from resuming in another).
  SSL_CTX_set_session_id_context(ctx->native_handle(), kSessionIdContext,
                                 sizeof(kSessionIdContext) - 1);
  return ctx;
}

Result<std::shared_ptr<ssl::context>> MakeClientTlsContext(const TlsClientConfig& config) {
  auto ctx = NewContext(ssl::context::tls_client);
  boost::system::error_code ec;
  if (config.insecure) {
    ctx->set_verify_mode(ssl::verify_none, ec);
  } else {
    if (config.ca_pem.empty()) {
      ctx->set_default_verify_paths(ec);
    } else {
      ctx->add_certificate_authority(boost::asio::buffer(config.ca_pem), ec);
    }
    if (ec) return Status::InvalidArgument("server CA: " + ec.message());
    FillCaCertificateCaches(ctx->native_handle());
    ctx->set_verify_mode(ssl::verify_peer, ec);
  }
  if (ec) return Status::Internal("set_verify_mode: " + ec.message());
  if (!config.client_cert_pem.empty() || !config.client_key_pem.empty()) {
    CS_RETURN_IF_ERROR(
        UseIdentity(*ctx, config.client_cert_pem, config.client_key_pem, "client"));
  }
  return ctx;
}

}  // namespace cs::net
