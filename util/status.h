// Status: the explicit result of an operation that can fail, in the style of
// LevelDB. A Status is either ok or carries a code and a message meant for a
// person ("volume_count 7 is not a multiple of the 2 scalable units").
// Result<T> adds a value for operations that produce one.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace cs {

class [[nodiscard]] Status {
 public:
  enum class Code {
    kOk = 0,
    kInvalidArgument,  // bad input from a user or a peer
    kNotFound,         // a named object does not exist
    kAlreadyExists,    // a named object exists already
    kFailedPrecondition,  // the request makes no sense in the current state
    kIoError,          // file system or database trouble
    kCorruption,       // stored data is unreadable or inconsistent
    kUnavailable,      // a resource is busy or unreachable (locked database)
    kInternal,         // a bug
  };

  Status() = default;
  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string m) { return {Code::kInvalidArgument, std::move(m)}; }
  static Status NotFound(std::string m) { return {Code::kNotFound, std::move(m)}; }
  static Status AlreadyExists(std::string m) { return {Code::kAlreadyExists, std::move(m)}; }
  static Status FailedPrecondition(std::string m) { return {Code::kFailedPrecondition, std::move(m)}; }
  static Status IoError(std::string m) { return {Code::kIoError, std::move(m)}; }
  static Status Corruption(std::string m) { return {Code::kCorruption, std::move(m)}; }
  static Status Unavailable(std::string m) { return {Code::kUnavailable, std::move(m)}; }
  static Status Internal(std::string m) { return {Code::kInternal, std::move(m)}; }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }
  // "invalid argument: ..." for logs; message() alone for users.
  std::string ToString() const;

  // Prefixes the message with context: "opening state: <message>".
  Status Context(const std::string& what) const;

 private:
  Status(Code code, std::string message) : code_(code), message_(std::move(message)) {}
  Code code_ = Code::kOk;
  std::string message_;
};

template <typename T>
class Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) {}  // NOLINT
  bool ok() const { return status_.ok(); }
  const Status& status() const { return status_; }
  T& value() & { return *value_; }
  const T& value() const& { return *value_; }
  T&& value() && { return std::move(*value_); }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }
  T& operator*() & { return *value_; }
  const T& operator*() const& { return *value_; }

 private:
  Status status_;
  std::optional<T> value_;
};

}  // namespace cs

// Returns early from the enclosing function when `expr` is not ok.
#define CS_RETURN_IF_ERROR(expr)            \
  do {                                      \
    ::cs::Status cs_status_ = (expr);       \
    if (!cs_status_.ok()) return cs_status_; \
  } while (0)
