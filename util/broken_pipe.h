// Broken pipes: a write to a socket or pipe whose reader has gone (a peer
// that closed its connection, `cluster-sim status | head`, a daemon whose
// log reader exited) must fail that one write with EPIPE, never end the
// process with SIGPIPE. Every program of ours ignores SIGPIPE from the
// start of main; and since an ignored signal stays ignored across exec,
// every child we spawn gets SIGPIPE's default back (tools and shell
// pipelines rely on being stopped by it).
#pragma once

#include <spawn.h>

namespace cs {

// Sets SIGPIPE to SIG_IGN for the whole process. Call first in main.
void IgnoreBrokenPipes();

// Makes a posix_spawn with `attr` reset SIGPIPE to its default in the
// child; keeps the flags already set on `attr`. Returns posix_spawn's
// error code (0 on success).
int RestoreBrokenPipeDefault(posix_spawnattr_t& attr);

}  // namespace cs
