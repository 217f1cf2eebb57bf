#include "util/broken_pipe.h"

#include <signal.h>

namespace cs {

void IgnoreBrokenPipes() {
  struct sigaction action {};
  action.sa_handler = SIG_IGN;
  sigemptyset(&action.sa_mask);
  sigaction(SIGPIPE, &action, nullptr);
}

int RestoreBrokenPipeDefault(posix_spawnattr_t& attr) {
  sigset_t defaults;
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGPIPE);
  if (int rc = posix_spawnattr_setsigdefault(&attr, &defaults); rc != 0) return rc;
  short flags = 0;
  if (int rc = posix_spawnattr_getflags(&attr, &flags); rc != 0) return rc;
  return posix_spawnattr_setflags(&attr, static_cast<short>(flags | POSIX_SPAWN_SETSIGDEF));
}

}  // namespace cs
