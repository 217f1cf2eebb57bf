// Helpers for the crypto tests: a private temporary directory, small file
// I/O, and running the openssl command line tool.
#pragma once

#include <gtest/gtest.h>
#include <openssl/pem.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "crypto/openssl_util.h"

namespace cs::crypto::testing_util {

// A fresh directory under testing::TempDir(), removed with its contents.
class TempDir {
 public:
  TempDir() {
    std::string pattern = ::testing::TempDir() + "/crypto_test.XXXXXX";
    std::vector<char> buf(pattern.begin(), pattern.end());
    buf.push_back('\0');
    const char* made = mkdtemp(buf.data());
    EXPECT_NE(made, nullptr);
    if (made != nullptr) path_ = made;
  }
  ~TempDir() {
    std::error_code ignored;
    if (!path_.empty()) std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  std::string File(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

inline void WriteTextFile(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
}

inline std::string ReadTextFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

// The permission bits of a file, or -1 when it cannot be stat'ed.
inline int FileMode(const std::string& path) {
  struct stat st;
  if (stat(path.c_str(), &st) != 0) return -1;
  return static_cast<int>(st.st_mode & 07777);
}

struct CommandResult {
  int exit_code = -1;
  std::string output;  // stdout and stderr together
};

// Runs a shell command (stdin from /dev/null, so nothing can prompt).
inline CommandResult RunCommand(const std::string& command) {
  CommandResult result;
  std::string full = "(" + command + ") </dev/null 2>&1";
  FILE* pipe = popen(full.c_str(), "r");
  if (pipe == nullptr) return result;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof(buf), pipe)) > 0) result.output.append(buf, n);
  int status = pclose(pipe);
  if (status != -1 && WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  return result;
}

// Names of the entries of a directory, for checking nothing was left behind.
inline std::vector<std::string> ListDir(const std::string& dir) {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    names.push_back(entry.path().filename().string());
  }
  return names;
}

// The DER bytes of a CSR PEM, and back, for tampering with.
inline std::string CsrDer(const std::string& pem) {
  BioPtr in = MemoryReader(pem);
  X509ReqPtr req(PEM_read_bio_X509_REQ(in.get(), nullptr, nullptr, nullptr));
  EXPECT_NE(req, nullptr);
  if (!req) return {};
  unsigned char* der = nullptr;
  int len = i2d_X509_REQ(req.get(), &der);
  std::string out(reinterpret_cast<char*>(der), static_cast<size_t>(std::max(len, 0)));
  OPENSSL_free(der);
  return out;
}

inline std::string DerToCsrPem(const std::string& der) {
  const unsigned char* p = reinterpret_cast<const unsigned char*>(der.data());
  X509ReqPtr req(d2i_X509_REQ(nullptr, &p, static_cast<long>(der.size())));
  EXPECT_NE(req, nullptr);
  if (!req) return {};
  BioPtr out(BIO_new(BIO_s_mem()));
  PEM_write_bio_X509_REQ(out.get(), req.get());
  return BioContents(out.get());
}

// A well-formed CSR whose signed part was altered: the first `from` in its
// DER replaced by `to` (same length), the signature left as it was.
inline std::string TamperedCsr(const std::string& pem, const std::string& from,
                               const std::string& to) {
  std::string der = CsrDer(pem);
  size_t at = der.find(from);
  EXPECT_NE(at, std::string::npos);
  if (at == std::string::npos || from.size() != to.size()) return {};
  der.replace(at, from.size(), to);
  return DerToCsrPem(der);
}

}  // namespace cs::crypto::testing_util
