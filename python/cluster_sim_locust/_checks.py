"""The checks a shard runs when the test stops, over its control API and the
manager's REST API, after healing every fault and letting servers settle.

- invariants: the simulator's own consistency rules (`check_invariants`).
- registrations: every user's server registered.
- servers up: every live user's server is powered and its agent runs.
- manager lists: the manager lists every server this shard registered.

Each answers {"name", "ok", "detail", "ms"}; a check that cannot be asked
(the daemon or the manager does not answer) fails, saying why.
"""

import time

import gevent

from cluster_sim_locust import _shard


def _timed(name, judge):
    started = time.monotonic()
    try:
        ok, detail = judge()
    except (_shard.ControlError, OSError, ValueError, KeyError) as e:
        ok, detail = False, "could not check: %s" % e
    return {"name": name, "ok": bool(ok), "detail": detail, "ms": (time.monotonic() - started) * 1000}


def _first(items, n=5):
    items = sorted(items)
    return ", ".join(items[:n]) + (" and %d more" % (len(items) - n) if len(items) > n else "")


def _down(owner):
    """The live users' servers that are not powered with a running agent."""
    want = set(owner.servers) & owner.registered
    servers = {s["fqdn"]: s for s in owner.shard.call("list_servers")}
    return {f for f in want if f not in servers or servers[f].get("power_state") != "running"
            or not servers[f].get("agent_running")}


def settle(owner, seconds):
    """Waits for scenarios to end, clears faults, waits for servers to be back."""
    deadline = time.monotonic() + seconds
    while owner.busy and time.monotonic() < deadline:
        gevent.sleep(0.5)
    owner.shard.call("clear_faults")
    while time.monotonic() < deadline:
        try:
            if not _down(owner):
                return
        except _shard.ControlError:
            pass
        gevent.sleep(1.0)


def run_all(owner, settle_seconds):
    try:
        settle(owner, settle_seconds)
    except _shard.ControlError:
        pass  # the checks below say what does not answer

    def invariants():
        violations = owner.shard.call("check_invariants")["violations"]
        return not violations, "%d violation(s)%s" % (len(violations), ": " + "; ".join(violations[:3]) if violations else "")

    def registrations():
        failed = owner.registration_failures
        reasons = sorted(set(failed.values()))
        return not failed, "%d of %d registered%s" % (
            len(owner.registered), len(owner.registered) + len(failed),
            "; failures: " + "; ".join(reasons[:3]) if reasons else "")

    def servers_up():
        down = _down(owner)
        return not down, "%d server(s) not running with an agent%s" % (len(down), ": " + _first(down) if down else "")

    def manager_lists():
        listed = owner.manager.hosts()
        missing = owner.registered - set(listed)
        return not missing, "the manager lists %d of this shard's %d registered servers%s" % (
            len(owner.registered) - len(missing), len(owner.registered),
            "; missing: " + _first(missing) if missing else "")

    return [_timed("invariants", invariants), _timed("registrations", registrations),
            _timed("servers up", servers_up), _timed("manager lists", manager_lists)]
