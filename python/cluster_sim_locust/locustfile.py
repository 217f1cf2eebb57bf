"""cluster-sim as a Locust workload: one Locust user is one simulated server.

Every Locust process that runs users (the single process, or each
`--worker`) starts and owns one cluster-sim daemon shard on its machine
(`_shard.py`). Spawning a user adds a server to that shard and registers it
with the manager under test (Locust's --host); stopping the user powers the
server off. The shard's own measured requests (registration, session
create, DATA POST, long poll, action round trip) are polled from its `stats`
control operation every second and fired as Locust requests, so Locust's
master aggregates every shard's figures (`_events.py`). Scenario tasks
(power cycle, agent kill, partition; weights from --cluster-sim-scenarios)
inject faults through the control API; when the test stops, each shard
heals, settles and runs its checks (`_checks.py`), whose verdicts are
CHECK rows in the statistics, lines in the log and the exit code.

    locust -f python/cluster_sim_locust --headless -u 1000 -r 50 -t 5m \
        --host https://manager:8000/ --csv out --html out.html

See docs/distributed.md.
"""

import json
import logging
import os
import random
import sys
import tempfile
import time

import gevent
import gevent.event
import locust.runners
from locust import User, between, events
from locust.runners import STATE_MISSING, MasterRunner, WorkerRunner

if not locust.runners.__version__:
    # Debian's python3-locust 2.12.1 has an empty __version__, and a master
    # refuses a worker whose hello carries no version ("an old (pre 2.0)
    # worker"): both ends of a distributed run load this file, so both say 2.12.
    locust.runners.__version__ = "2.12"

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from cluster_sim_locust import _checks, _events, _manager, _scenarios, _shard  # noqa: E402

log = logging.getLogger("cluster_sim")

BUILD_TREE_BINARY = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "build", "cluster-sim")
FINISH = "cluster_sim_finish"
VERDICT = "cluster_sim_verdict"


@events.init_command_line_parser.add_listener
def add_options(parser):
    group = parser  # Locust's own parser: only it knows include_in_web_ui
    group.add_argument("--cluster-sim-bin", env_var="CLUSTER_SIM_BIN", default=os.path.normpath(BUILD_TREE_BINARY),
                       help="cluster-sim binary on this machine (default: the build tree's)")
    group.add_argument("--cluster-sim-ca", env_var="CLUSTER_SIM_CA", default="",
                       help="The manager's CA file on this machine (default: none, the system trust store)")
    group.add_argument("--cluster-sim-username", env_var="CLUSTER_SIM_USERNAME", default="admin",
                       help="Manager user that creates the registration token")
    group.add_argument("--cluster-sim-password", env_var="CLUSTER_SIM_PASSWORD", default="lustre",
                       include_in_web_ui=False, help="Its password")
    group.add_argument("--cluster-sim-scenarios", env_var="CLUSTER_SIM_SCENARIOS", default="",
                       help="Scenario weights and knobs: 'power_cycle=1,agent_kill=1,partition=1' or a JSON file")
    group.add_argument("--cluster-sim-workdir", env_var="CLUSTER_SIM_WORKDIR", default="",
                       help="Where this machine's shard state directories go (default: a new temporary directory)")
    group.add_argument("--cluster-sim-name-prefix", env_var="CLUSTER_SIM_NAME_PREFIX", default="",
                       help="Start of every shard's names (default: a tag of the run's start time); "
                            "each shard adds w<worker index>-")
    group.add_argument("--cluster-sim-shard-size", env_var="CLUSTER_SIM_SHARD_SIZE", type=int, default=10000,
                       help="Server numbers (and so addresses) reserved per shard (default 10000)")
    group.add_argument("--cluster-sim-settle-seconds", env_var="CLUSTER_SIM_SETTLE_SECONDS", type=float,
                       default=60, help="At stop: how long healed servers get to come back before the checks")
    group.add_argument("--cluster-sim-seed", env_var="CLUSTER_SIM_SEED", default="",
                       help="Seed of the run's random choices (default: one is drawn and printed)")
    group.add_argument("--cluster-sim-boot-seconds", env_var="CLUSTER_SIM_BOOT_SECONDS", default="",
                       help="Simulated boot time of the shard's servers (default: the daemon's)")


def _checked_seed(text):
    """The run's seed: the one given, or a new one; a bad one ends the run here."""
    if str(text).strip() == "":
        return str(random.SystemRandom().randrange(1, 2 ** 31))
    try:
        seed = int(str(text).strip())
    except ValueError:
        raise SystemExit("--cluster-sim-seed must be a non-negative integer, not %r" % text) from None
    if seed < 0:
        raise SystemExit("--cluster-sim-seed must be a non-negative integer, not %r" % text)
    return str(seed)


def _base36(n):
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        n, r = divmod(n, 36)
        out = digits[r] + out
        if n == 0:
            return out


class ShardOwner:
    """This process's shard, its servers and what the run has seen."""

    def __init__(self):
        self.environment = None
        self.local = {}  # machine-local options, from this process's own command line
        self.shard = None
        self.ready = gevent.event.Event()
        self.start_error = None
        self.secret = None
        self.delta = _events.StatsDelta()
        self.poller = None
        self.polling = False
        self.servers = set()          # fqdns of live users' servers
        self.registered = set()       # every fqdn registered in this run
        self.registration_failures = {}
        self.busy = set()             # hosts a scenario is acting on
        self.scenario_config = _scenarios.Config()
        self.rng = random.Random(0)
        self.finishing = False
        self.finished_verdict = None

    # -- the run -------------------------------------------------------------

    def begin_run(self, environment):
        self.environment = environment
        options = environment.parsed_options
        self.scenario_config = _scenarios.Config.parse(options.cluster_sim_scenarios)
        SimulatedServer.tasks = _scenarios.task_list(self.scenario_config)
        SimulatedServer.wait_time = between(*self.scenario_config.wait_seconds)
        index = max(0, getattr(environment.runner, "worker_index", 0))
        seed = _scenarios.worker_seed(options.cluster_sim_seed, index)
        self.rng = random.Random(seed)
        random.seed(seed)  # Locust draws each user's next task from the module's stream
        log.info("cluster-sim seed %s (worker %d): replay with --cluster-sim-seed %s",
                 options.cluster_sim_seed, index, options.cluster_sim_seed)
        self.finishing = False
        self.finished_verdict = None
        self.registered = set()
        self.registration_failures = {}
        if self.shard is None:
            gevent.spawn(self._start_shard, environment)
        elif self.ready.is_set():
            self._resume_polling()

    def _start_shard(self, environment):
        options = environment.parsed_options
        runner = environment.runner
        index = max(0, getattr(runner, "worker_index", 0))
        prefix = "%sw%d-" % (options.cluster_sim_name_prefix, index)
        size = max(1, options.cluster_sim_shard_size)
        offset = (index % max(1, 65536 // size)) * size
        workdir = self.local["workdir"] or tempfile.mkdtemp(prefix="cluster-sim-shards-")
        state_dir = os.path.join(workdir, prefix.rstrip("-"))
        boot = self.local["boot_seconds"]
        try:
            manager = _manager.Manager(environment.host, ca=self.local["ca"] or None)
            manager.login(options.cluster_sim_username, options.cluster_sim_password)
            self.secret = manager.registration_token(credits=1000000)
            self.manager = manager
            self.shard = _shard.Shard(self.local["bin"], state_dir, environment.host, ca=self.local["ca"] or None,
                                      name_prefix=prefix, name_offset=offset,
                                      boot_seconds=float(boot) if boot else None,
                                      seed=_scenarios.worker_seed(options.cluster_sim_seed, index) % (2 ** 31))
            self.shard.start()
            self.delta = _events.StatsDelta()
            log.info("shard %s: daemon pid %d, control 127.0.0.1:%d, state %s", prefix, self.shard.pid,
                     self.shard.control_port, state_dir)
            self._write_info(state_dir, prefix)
            self._resume_polling(baseline=False)
        except Exception as e:  # noqa: BLE001 - any failure ends every user's registration
            self.start_error = "%s: %s" % (type(e).__name__, e)
            log.error("shard could not start: %s", self.start_error)
        finally:
            self.ready.set()

    def _write_info(self, state_dir, prefix):
        with open(os.path.join(state_dir, "locust-shard.json"), "w") as f:
            json.dump({"prefix": prefix, "pid": self.shard.pid, "control_port": self.shard.control_port,
                       "locust_pid": os.getpid()}, f)

    def _resume_polling(self, baseline=True):
        if baseline:
            self.delta.baseline(self.shard.call("stats"))
        self.polling = True
        if self.poller is None:
            self.poller = gevent.spawn(self._poll_forever)

    def _poll_forever(self):
        while True:
            gevent.sleep(1.0)
            if self.polling:
                try:
                    self.poll_once()
                except _shard.ControlError as e:
                    log.warning("stats poll failed: %s", e)

    def poll_once(self):
        answer = self.shard.call("stats")
        fire = self.environment.events.request.fire
        for r in self.delta.update(answer):
            fire(request_type=r.request_type, name=r.name, response_time=r.response_time, response_length=0,
                 exception=_events.ShardRequestFailure(r.failure) if r.failure else None, context={})
        return answer

    # -- one server per user --------------------------------------------------

    def add_and_register(self):
        if not self.ready.wait(timeout=300):
            raise RuntimeError("the shard did not start in 300 s")
        if self.start_error:
            raise RuntimeError(self.start_error)
        fqdn = self.shard.call("add_server", nid_count=1)
        self.servers.add(fqdn)
        try:
            self.shard.call("register", fqdn=fqdn, secret=self.secret, timeout=300)
        except _shard.ControlError as e:
            self.registration_failures[fqdn] = e.message or str(e.status)
            raise
        self.registered.add(fqdn)
        return fqdn

    def power_off(self, fqdn):
        self.servers.discard(fqdn)
        if self.shard and self.shard.process.poll() is None:
            try:
                self.shard.call("poweroff_server", fqdn=fqdn)
            except _shard.ControlError as e:
                log.warning("powering %s off: %s", fqdn, e)

    # -- the end of a run -----------------------------------------------------

    def finish(self):
        """Heal, settle, fire the last requests and run the checks: the verdict."""
        self.finishing = True
        prefix = self.shard.name_prefix if self.shard else "?"
        if self.finished_verdict is not None:
            return self.finished_verdict
        if not self.shard or self.start_error:
            self.finished_verdict = {"shard": prefix, "checks": [
                {"name": "shard started", "ok": False, "detail": self.start_error or "never started", "ms": 0}]}
            return self.finished_verdict
        settle = self.environment.parsed_options.cluster_sim_settle_seconds
        checks = _checks.run_all(self, settle)
        self.polling = False
        started = time.monotonic()
        try:
            answer = self.poll_once()
            with open(os.path.join(self.shard.state_dir, "final-stats.json"), "w") as f:
                json.dump(answer, f)
        except _shard.ControlError as e:
            checks.append({"name": "stats", "ok": False, "detail": "the last stats poll failed: %s" % e,
                           "ms": (time.monotonic() - started) * 1000})
        fire = self.environment.events.request.fire
        for c in checks:
            fire(request_type="CHECK", name=c["name"], response_time=c["ms"], response_length=0,
                 exception=_events.ShardRequestFailure(c["detail"]) if not c["ok"] else None, context={})
        self.finished_verdict = {"shard": prefix, "checks": checks}
        return self.finished_verdict

    def end(self):
        if self.shard:
            log.info("shard %s: stopping daemon pid %d", self.shard.name_prefix, self.shard.pid)
            self.shard.stop()


OWNER = ShardOwner()


class SimulatedServer(User):
    """One simulated storage server of this process's shard."""

    wait_time = between(5, 15)
    tasks = [_scenarios.idle]

    def on_start(self):
        self.fqdn = None
        try:
            self.fqdn = OWNER.add_and_register()
        except Exception as e:  # noqa: BLE001 - counted, checked at stop; the user stays idle
            log.warning("a server did not register: %s", e)

    def on_stop(self):
        if self.fqdn:
            OWNER.power_off(self.fqdn)

    @property
    def owner(self):
        return OWNER


# -- Locust's events ---------------------------------------------------------

class Verdicts:
    """On the master (or the single process): every shard's verdict."""

    def __init__(self):
        self.by_client = {}
        self.clients_seen = set()

    def record(self, client_id, verdict):
        self.by_client[client_id] = verdict

    def report(self, environment):
        failed = 0
        lines = []
        for client_id, verdict in sorted(self.by_client.items()):
            for c in verdict["checks"]:
                failed += not c["ok"]
                lines.append("shard %s: %s %s%s" % (verdict["shard"], "PASS" if c["ok"] else "FAIL", c["name"],
                                                    "" if c["ok"] else " (%s)" % c["detail"]))
        lost = sorted(self.clients_seen - set(self.by_client))
        for client_id in lost:
            lines.append("worker %s: FAIL no verdict (the worker or its shard was lost)" % client_id)
        for line in lines:
            log.info("cluster-sim check: %s", line)
        code = 1 if failed or lost or not self.by_client else 0
        log.info("cluster-sim checks: %d shard(s) reported, %d check(s) failed, %d worker(s) lost: exit code %d",
                 len(self.by_client), failed, len(lost), code)
        environment.process_exit_code = code


VERDICTS = Verdicts()


@events.init.add_listener
def on_init(environment, **_):
    options = environment.parsed_options
    if options is not None:
        OWNER.local = {"bin": options.cluster_sim_bin, "ca": options.cluster_sim_ca,
                       "workdir": options.cluster_sim_workdir, "boot_seconds": options.cluster_sim_boot_seconds}
        if not isinstance(environment.runner, WorkerRunner) and not options.cluster_sim_name_prefix:
            # One tag per run, sent to the workers with the other options:
            # a new run's names never meet the last run's in the manager.
            options.cluster_sim_name_prefix = "r" + _base36(int(time.time()))[-5:]
        if not isinstance(environment.runner, WorkerRunner):
            options.cluster_sim_seed = _checked_seed(options.cluster_sim_seed)
            print("cluster-sim seed: %s" % options.cluster_sim_seed, flush=True)
    runner = environment.runner
    if isinstance(runner, MasterRunner):
        runner.register_message(VERDICT, lambda environment, msg, **kw: VERDICTS.record(msg.node_id, msg.data))
    elif isinstance(runner, WorkerRunner):
        runner.register_message(FINISH, _finish_on_worker)


def _finish_on_worker(environment, msg, **_):
    verdict = OWNER.finish()
    environment.runner._send_stats()  # the last requests reach the master before the verdict
    environment.runner.send_message(VERDICT, verdict)


@events.worker_report.add_listener
def on_worker_report(client_id, data, **_):
    VERDICTS.clients_seen.add(client_id)


@events.test_start.add_listener
def on_test_start(environment, **_):
    if not isinstance(environment.runner, MasterRunner):
        OWNER.begin_run(environment)
    VERDICTS.by_client = {}


@events.test_stopping.add_listener
def on_test_stopping(environment, **_):
    runner = environment.runner
    if isinstance(runner, MasterRunner):
        settle = environment.parsed_options.cluster_sim_settle_seconds
        runner.send_message(FINISH, None)
        deadline = time.monotonic() + settle + 120
        while time.monotonic() < deadline:
            pending = [c for c in runner.clients.all if c.id not in VERDICTS.by_client and c.state != STATE_MISSING]
            if not pending:
                break
            gevent.sleep(0.5)
        VERDICTS.report(environment)
    elif not isinstance(runner, WorkerRunner):
        VERDICTS.record("local", OWNER.finish())
        VERDICTS.report(environment)
    else:
        return
    # Locust's CSV writer rewrites its files every second: let it write once
    # more, with the shards' last requests and the checks, before Locust quits.
    gevent.sleep(2.5)


@events.quitting.add_listener
def on_quitting(environment, **_):
    runner = environment.runner
    if isinstance(runner, MasterRunner):
        return
    if not isinstance(runner, WorkerRunner) and OWNER.shard and "local" not in VERDICTS.by_client:
        # Interrupted (Ctrl-C, SIGTERM): Locust quits before it stops, so
        # the checks run here, while the shard still runs.
        VERDICTS.record("local", OWNER.finish())
        VERDICTS.report(environment)
    OWNER.end()
