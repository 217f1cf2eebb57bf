// The one place tests scale their timing limits for a slow build. A
// sanitizer build runs the same code many times slower (TSan 5-15x,
// ASan+UBSan about 2-3x, by their documentation), so a limit that holds in
// the normal build would fail there for speed alone, and a test is never
// left out for that. The compiler says which build this is
// (__SANITIZE_THREAD__, __SANITIZE_ADDRESS__, predefined by -fsanitize), so
// no build flag has to be kept in step. Scale only limits that bound how
// long something may take: never a count, and never a timeout under test.
#pragma once

#include <chrono>

namespace cs::testing {

#if defined(__SANITIZE_THREAD__)
inline constexpr int kSlowdown = 10;
#elif defined(__SANITIZE_ADDRESS__)
inline constexpr int kSlowdown = 3;
#else
inline constexpr int kSlowdown = 1;
#endif

// `limit` as this build needs it, e.g. Scaled(std::chrono::seconds(60)).
template <class Rep, class Period>
constexpr std::chrono::duration<Rep, Period> Scaled(std::chrono::duration<Rep, Period> limit) {
  return limit * kSlowdown;
}

}  // namespace cs::testing
