#include "crypto/files.h"

#include <fcntl.h>
#include <openssl/crypto.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace cs::crypto {

namespace {

constexpr size_t kMaxFileSize = 1 << 20;

Status Errno(const std::string& what, const std::string& path, int err) {
  std::string message = what + " " + path + ": " + std::strerror(err);
  if (err == ENOENT) return Status::NotFound(message);
  return Status::IoError(message);
}

std::string DirectoryOf(const std::string& path) {
  size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

Status WriteAll(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return Status::IoError(std::strerror(errno));
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return Status::Ok();
}

// Makes the rename durable: without this a crash can lose the new entry.
Status SyncDirectory(const std::string& dir) {
  int fd = open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return Errno("opening directory", dir, errno);
  int rc = fsync(fd);
  int err = errno;
  close(fd);
  if (rc != 0) return Errno("syncing directory", dir, err);
  return Status::Ok();
}

}  // namespace

Status WriteFileAtomic(const std::string& path, std::string_view data, mode_t mode, DirectorySync sync) {
  // mkostemp creates the file with O_EXCL and mode 0600, so the data is never
  // visible to others, whatever `mode` ends up being.
  std::string temp = path + ".tmp.XXXXXX";
  std::vector<char> name(temp.begin(), temp.end());
  name.push_back('\0');
  int fd = mkostemp(name.data(), O_CLOEXEC);
  if (fd < 0) return Errno("creating a temporary file for", path, errno);
  temp.assign(name.data());

  Status status = WriteAll(fd, data);
  if (!status.ok()) status = Status::IoError("writing " + temp + ": " + status.message());
  if (status.ok() && fchmod(fd, mode) != 0) status = Errno("setting the mode of", temp, errno);
  if (status.ok() && fsync(fd) != 0) status = Errno("syncing", temp, errno);
  if (close(fd) != 0 && status.ok()) status = Errno("closing", temp, errno);
  if (status.ok() && rename(temp.c_str(), path.c_str()) != 0) {
    status = Errno("renaming " + temp + " to", path, errno);
  }
  if (!status.ok()) {
    unlink(temp.c_str());
    return status;
  }
  if (sync == DirectorySync::kLater) return Status::Ok();
  return SyncDirectory(DirectoryOf(path));
}

Result<std::string> ReadSmallFile(const std::string& path) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Errno("opening", path, errno);
  // Sized up front so appending never reallocates and strands copies of a
  // key in freed memory.
  std::string data;
  struct stat st;
  if (fstat(fd, &st) == 0 && st.st_size > 0 && static_cast<size_t>(st.st_size) <= kMaxFileSize) {
    data.reserve(static_cast<size_t>(st.st_size) + 1);
  }
  char buf[8192];
  Status status;
  for (;;) {
    ssize_t n = read(fd, buf, sizeof(buf));
    if (n < 0) {
      if (errno == EINTR) continue;
      status = Errno("reading", path, errno);
      break;
    }
    if (n == 0) break;
    data.append(buf, static_cast<size_t>(n));
    if (data.size() > kMaxFileSize) {
      status = Status::InvalidArgument(path + " is larger than 1 MiB");
      break;
    }
  }
  close(fd);
  OPENSSL_cleanse(buf, sizeof(buf));
  if (!status.ok()) return status;
  return data;
}

Status EnsureDirectory(const std::string& path, mode_t mode) {
  if (mkdir(path.c_str(), mode) == 0) return Status::Ok();
  int err = errno;
  struct stat st;
  if (err == EEXIST && stat(path.c_str(), &st) == 0) {
    if (S_ISDIR(st.st_mode)) return Status::Ok();
    return Status::FailedPrecondition(path + " exists and is not a directory");
  }
  return Errno("creating directory", path, err);
}

bool FileExists(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0;
}

}  // namespace cs::crypto
