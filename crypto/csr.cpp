#include "crypto/csr.h"

#include <openssl/err.h>
#include <openssl/pem.h>

namespace cs::crypto {

Result<std::string> MakeCsrPem(const PrivateKey& key, const std::string& common_name) {
  Result<X509NamePtr> subject = MakeCommonNameSubject(common_name);
  if (!subject.ok()) return subject.status().Context("making a CSR");
  X509ReqPtr req(X509_REQ_new());
  if (!req) return OpenSslError("allocating a CSR");
  // Version 1 is encoded as 0.
  if (X509_REQ_set_version(req.get(), 0) != 1 ||
      X509_REQ_set_subject_name(req.get(), subject->get()) != 1 ||
      X509_REQ_set_pubkey(req.get(), key.get()) != 1) {
    return OpenSslError("building a CSR for " + common_name);
  }
  if (X509_REQ_sign(req.get(), key.get(), EVP_sha256()) <= 0) {
    return OpenSslError("signing the CSR for " + common_name);
  }
  BioPtr out(BIO_new(BIO_s_mem()));
  if (!out || PEM_write_bio_X509_REQ(out.get(), req.get()) != 1) {
    return OpenSslError("encoding the CSR for " + common_name);
  }
  return BioContents(out.get());
}

Result<Csr> Csr::Parse(const std::string& pem) {
  ERR_clear_error();
  BioPtr bio = MemoryReader(pem);
  if (!bio) return OpenSslError("allocating a BIO");
  X509ReqPtr req(PEM_read_bio_X509_REQ(bio.get(), nullptr, nullptr, nullptr));
  if (!req) return OpenSslError(Status::Code::kInvalidArgument, "not a PEM certificate request");
  std::string cn = CommonNameOf(X509_REQ_get_subject_name(req.get()));
  return Csr(std::move(req), std::move(cn));
}

Status Csr::Verify() const {
  ERR_clear_error();
  // get0: the key stays owned by the request.
  EVP_PKEY* pubkey = X509_REQ_get0_pubkey(req_.get());
  if (pubkey == nullptr) {
    return OpenSslError(Status::Code::kInvalidArgument, "certificate request has no usable public key");
  }
  if (X509_REQ_verify(req_.get(), pubkey) != 1) {
    return OpenSslError(Status::Code::kInvalidArgument,
                        "certificate request for \"" + common_name_ + "\" has a bad signature");
  }
  return Status::Ok();
}

Result<Csr> ParseAndVerifyCsr(const std::string& pem) {
  Result<Csr> csr = Csr::Parse(pem);
  if (!csr.ok()) return csr.status();
  CS_RETURN_IF_ERROR(csr->Verify());
  if (csr->common_name().empty()) {
    return Status::InvalidArgument("certificate request has no subject commonName");
  }
  return csr;
}

}  // namespace cs::crypto
