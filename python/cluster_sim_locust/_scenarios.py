"""Scenario tests as Locust tasks: what a simulated server's user does.

Every task acts through the shard's control API on this worker's own
servers, and heals what it broke before it ends (also when the run stops
under it). Each one that ran is a Locust request of type SCENARIO (its
duration; a failure if a control call was refused), so the statistics show
how many ran. Weights and knobs come from --cluster-sim-scenarios /
CLUSTER_SIM_SCENARIOS, either `key=value,...` or the name of a JSON file
holding an object of the same keys:

    idle=10 power_cycle=0 agent_kill=0 partition=0   task weights
    power_off_seconds=5 agent_down_seconds=10         how long a fault lasts
    partition_hosts=3 partition_seconds=20
    wait_min=5 wait_max=15                            seconds between tasks
"""

import json
import os
import time

import gevent

from cluster_sim_locust import _shard

DEFAULTS = {"idle": 10.0, "power_cycle": 0.0, "agent_kill": 0.0, "partition": 0.0,
            "power_off_seconds": 5.0, "agent_down_seconds": 10.0, "partition_hosts": 3.0,
            "partition_seconds": 20.0, "wait_min": 5.0, "wait_max": 15.0}
TASKS = ("idle", "power_cycle", "agent_kill", "partition")


def worker_seed(run_seed, worker_index):
    """Each worker's own stream, derived from the run's printed seed, so that
    a run replays from `--cluster-sim-seed` (task choices and fault targets;
    the timing of a live manager stays the manager's)."""
    return (int(run_seed) * 1000003 + int(worker_index)) % (2 ** 63)


class Config:
    def __init__(self, values=None):
        self.values = dict(DEFAULTS)
        self.values.update(values or {})

    @classmethod
    def parse(cls, text):
        """From `key=value,...` or a JSON file; an unknown key or bad value is a ValueError."""
        text = (text or "").strip()
        values = {}
        if text and os.path.isfile(text):
            with open(text) as f:
                values = json.load(f)
            if not isinstance(values, dict):
                raise ValueError("%s must hold a JSON object" % text)
        elif text:
            for item in text.replace(" ", ",").split(","):
                if not item:
                    continue
                key, sep, value = item.partition("=")
                if not sep:
                    raise ValueError("scenario setting %r is not key=value" % item)
                values[key.strip()] = value.strip()
        for key, value in list(values.items()):
            if key not in DEFAULTS:
                raise ValueError("unknown scenario setting %r (known: %s)" % (key, ", ".join(sorted(DEFAULTS))))
            try:
                values[key] = float(value)
            except (TypeError, ValueError):
                raise ValueError("scenario setting %s=%r is not a number" % (key, value)) from None
            if values[key] < 0:
                raise ValueError("scenario setting %s must not be negative" % key)
        config = cls(values)
        if config.values["wait_max"] < config.values["wait_min"]:
            raise ValueError("wait_max must not be below wait_min")
        return config

    def __getitem__(self, key):
        return self.values[key]

    @property
    def wait_seconds(self):
        return self.values["wait_min"], self.values["wait_max"]


def task_list(config):
    """Locust's task list: each task as often as its weight (in tenths)."""
    out = []
    for name in TASKS:
        out += [globals()[name]] * int(round(config[name] * 10))
    return out or [idle]


def idle(user):
    """The server just lives: its agent polls, reports and runs actions."""


def _scenario(user, name, hosts, act):
    owner = user.owner
    if owner.finishing or not hosts or owner.busy & set(hosts):
        return
    owner.busy.update(hosts)
    started = time.monotonic()
    error = None
    try:
        act()
    except _shard.ControlError as e:
        error = e
    finally:
        owner.busy.difference_update(hosts)
    owner.environment.events.request.fire(
        request_type="SCENARIO", name=name, response_time=(time.monotonic() - started) * 1000,
        response_length=0, exception=error, context={})


def _hold(seconds, owner):
    """Sleeps, cut short when the run stops."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and not owner.finishing:
        gevent.sleep(min(0.5, deadline - time.monotonic()))


def _fault_then_heal(user, name, fault, heal, seconds_key):
    """One fault on this user's own server, held for a while, always healed."""
    owner, fqdn = user.owner, user.fqdn

    def act():
        owner.shard.call(fault, fqdn=fqdn)
        try:
            _hold(owner.scenario_config[seconds_key], owner)
        finally:
            owner.shard.call(heal, fqdn=fqdn)
    _scenario(user, name, [fqdn] if fqdn else [], act)


def power_cycle(user):
    """The server's power goes off, and comes back."""
    _fault_then_heal(user, "power cycle", "poweroff_server", "poweron_server", "power_off_seconds")


def agent_kill(user):
    """The server's agent crashes (the server stays up), then restarts."""
    _fault_then_heal(user, "agent kill", "kill_agent", "restart_agent", "agent_down_seconds")


def choose_partition(rng, owner, count):
    """The hosts a partition cuts: drawn from `rng` (seeded per worker) among
    this shard's registered, live, idle servers, in a stable order."""
    candidates = sorted(owner.registered & owner.servers - owner.busy)
    return rng.sample(candidates, min(len(candidates), int(count)))


def partition(user):
    """A few of this shard's servers lose the manager, then find it again."""
    owner = user.owner
    hosts = choose_partition(owner.rng, owner, owner.scenario_config["partition_hosts"])

    def act():
        cut = []
        try:
            for fqdn in hosts:
                owner.shard.call("fail_connections", fail=True, fqdn=fqdn)
                cut.append(fqdn)
            _hold(owner.scenario_config["partition_seconds"], owner)
        finally:
            for fqdn in cut:
                owner.shard.call("fail_connections", fail=False, fqdn=fqdn)
    _scenario(user, "partition", hosts, act)
