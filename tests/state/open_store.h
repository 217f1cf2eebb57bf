// Opening a Store in a test: the test fails, and gets null, when the store
// cannot be opened, so the caller only has to ASSERT_NE(store, nullptr).
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "state/store.h"

namespace cs::testing {

// Opens the store in `dir` in `mode`; `busy_timeout_ms`: how long a write
// waits for another process's lock (the store's default unless given).
inline std::unique_ptr<Store> OpenStoreOrFail(const std::string& dir, Store::Mode mode,
                                              int busy_timeout_ms = Store::Options{}.busy_timeout_ms) {
  Store::Options options;
  options.mode = mode;
  options.busy_timeout_ms = busy_timeout_ms;
  auto store = Store::Open(dir, options);
  EXPECT_TRUE(store.ok()) << store.status().ToString();
  return store.ok() ? std::move(store.value()) : nullptr;
}

}  // namespace cs::testing
