// Small file helpers for key and certificate files: an atomic, mode-exact
// write (so a crash never leaves a half-written key or a key readable by
// others even for a moment), a bounded read, and a private directory.
#pragma once

#include <sys/types.h>

#include <string>
#include <string_view>

#include "util/status.h"

namespace cs::crypto {

// Writes `data` to `path` atomically: a temporary file in the same directory
// is created with mode 0600, given exactly `mode` with fchmod (the umask does
// not apply), fsynced, then renamed over `path`; the directory is fsynced too.
// Error messages name the path, never the data. With kLater the directory
// is not fsynced: the caller makes the rename durable with a later write to
// the same directory that syncs it (until then a crash may lose the file, but
// never leaves it half written).
enum class DirectorySync { kNow, kLater };
Status WriteFileAtomic(const std::string& path, std::string_view data, mode_t mode,
                       DirectorySync sync = DirectorySync::kNow);

// Reads a whole file of at most 1 MiB (keys and certificates are far
// smaller). NotFound when it does not exist.
Result<std::string> ReadSmallFile(const std::string& path);

// Creates directory `path` (one level) with `mode` when it is missing; ok when
// it exists already as a directory, whose mode is then left alone.
Status EnsureDirectory(const std::string& path, mode_t mode);

bool FileExists(const std::string& path);

}  // namespace cs::crypto
