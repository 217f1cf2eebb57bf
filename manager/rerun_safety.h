// Which agent actions the manager may send again after the session that
// carried them ended, when the agent may already have run them.
//
// A step whose ACTION_START never left the manager (still queued for the
// host) cannot have run and is always sent again on the new session. One
// that went out in a GET answer may have run; JobRunner sends it again only
// when running it twice ends in the same state and answer as running it
// once. The list is by design, not by what the simulator happens to
// tolerate: it holds actions that set a state (install, configure, start,
// stop, load, unload, fail over or back to a named place) or only read.
// Everything else (format_target makes a new filesystem UUID, register_target
// takes an index, writeconf and purge rewrite the MGS's logs, HA resources are
// created once, copytools would start twice, and the power and restart
// actions act on the host itself) fails the step instead ("may have run"),
// as IML's manager failed every step on a session that ended.
#pragma once

#include <string_view>

namespace cs::manager {

// Whether running `action` a second time, with the same arguments, is safe.
bool SafeToRunAgain(std::string_view action);

}  // namespace cs::manager
