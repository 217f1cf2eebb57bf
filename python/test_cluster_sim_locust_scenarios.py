"""Unit tests of cluster_sim_locust._scenarios: the settings, the task
weights, the seeded choices and the fault-then-heal order, on fake owners and
shards (no daemon, no Locust runner). Needs Debian's python3 for gevent."""

import os
import random
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from cluster_sim_locust import _scenarios, _shard  # noqa: E402


class FakeEvents:
    def __init__(self):
        self.fired = []

        class Request:
            @staticmethod
            def fire(**kw):
                self.fired.append(kw)
        self.request = Request()


class FakeShard:
    def __init__(self, refuse=None):
        self.calls = []
        self.refuse = refuse

    def call(self, operation, **args):
        self.calls.append((operation, args))
        if operation == self.refuse:
            raise _shard.ControlError(operation, 409, "refused")


class FakeOwner:
    def __init__(self, servers, config="power_off_seconds=0,agent_down_seconds=0,partition_seconds=0"):
        self.servers = set(servers)
        self.registered = set(servers)
        self.busy = set()
        self.finishing = False
        self.shard = FakeShard()
        self.scenario_config = _scenarios.Config.parse(config)
        self.environment = type("Env", (), {"events": FakeEvents()})()
        self.rng = random.Random(1)


class FakeUser:
    def __init__(self, owner, fqdn):
        self.owner = owner
        self.fqdn = fqdn


class ConfigTest(unittest.TestCase):
    def test_key_value_settings_override_the_defaults(self):
        config = _scenarios.Config.parse("power_cycle=2, partition=0.5")
        self.assertEqual(config["power_cycle"], 2.0)
        self.assertEqual(config["partition"], 0.5)
        self.assertEqual(config["idle"], _scenarios.DEFAULTS["idle"])

    def test_bad_settings_are_refused_with_their_name(self):
        for text, word in (("nosuch=1", "nosuch"), ("power_cycle", "key=value"), ("idle=abc", "idle"),
                           ("idle=-1", "negative"), ("wait_min=9,wait_max=1", "wait_max")):
            with self.assertRaises(ValueError) as caught:
                _scenarios.Config.parse(text)
            self.assertIn(word, str(caught.exception))

    def test_task_weights_are_in_tenths(self):
        tasks = _scenarios.task_list(_scenarios.Config.parse("idle=1,power_cycle=0.5"))
        self.assertEqual(tasks.count(_scenarios.idle), 10)
        self.assertEqual(tasks.count(_scenarios.power_cycle), 5)
        self.assertNotIn(_scenarios.partition, tasks)

    def test_all_weights_zero_still_idles(self):
        self.assertEqual(_scenarios.task_list(_scenarios.Config.parse("idle=0")), [_scenarios.idle])


class SeedTest(unittest.TestCase):
    def test_workers_get_different_streams_from_one_seed(self):
        self.assertNotEqual(_scenarios.worker_seed(7, 0), _scenarios.worker_seed(7, 1))
        self.assertEqual(_scenarios.worker_seed("7", 1), _scenarios.worker_seed(7, 1))

    def test_the_same_seed_cuts_the_same_hosts(self):
        servers = ["s%02d.localdomain" % i for i in range(20)]
        picks = []
        for _ in range(2):
            owner = FakeOwner(servers)
            rng = random.Random(_scenarios.worker_seed(42, 3))
            picks.append([_scenarios.choose_partition(rng, owner, 3) for _ in range(5)])
        self.assertEqual(picks[0], picks[1])
        other = random.Random(_scenarios.worker_seed(43, 3))
        self.assertNotEqual(picks[0], [_scenarios.choose_partition(other, FakeOwner(servers), 3) for _ in range(5)])

    def test_a_partition_spares_busy_and_unregistered_hosts(self):
        owner = FakeOwner(["a", "b", "c", "d"])
        owner.busy = {"a"}
        owner.registered = {"a", "b", "c"}
        self.assertEqual(sorted(_scenarios.choose_partition(random.Random(1), owner, 10)), ["b", "c"])


class FaultTest(unittest.TestCase):
    def test_power_cycle_powers_off_then_on_and_is_counted(self):
        owner = FakeOwner(["a"])
        _scenarios.power_cycle(FakeUser(owner, "a"))
        self.assertEqual([c[0] for c in owner.shard.calls], ["poweroff_server", "poweron_server"])
        self.assertEqual(owner.environment.events.fired[0]["name"], "power cycle")
        self.assertIsNone(owner.environment.events.fired[0]["exception"])
        self.assertEqual(owner.busy, set())

    def test_agent_kill_restarts_the_agent(self):
        owner = FakeOwner(["a"])
        _scenarios.agent_kill(FakeUser(owner, "a"))
        self.assertEqual([c[0] for c in owner.shard.calls], ["kill_agent", "restart_agent"])

    def test_a_refused_heal_is_a_failure_and_frees_the_host(self):
        owner = FakeOwner(["a"])
        owner.shard.refuse = "poweron_server"
        _scenarios.power_cycle(FakeUser(owner, "a"))
        self.assertIsNotNone(owner.environment.events.fired[0]["exception"])
        self.assertEqual(owner.busy, set())

    def test_a_busy_host_is_left_alone(self):
        owner = FakeOwner(["a"])
        owner.busy = {"a"}
        _scenarios.agent_kill(FakeUser(owner, "a"))
        self.assertEqual(owner.shard.calls, [])

    def test_a_partition_heals_every_host_it_cut(self):
        owner = FakeOwner(["a", "b", "c"], config="partition_hosts=2,partition_seconds=0")
        _scenarios.partition(FakeUser(owner, "a"))
        cuts = [c[1]["fqdn"] for c in owner.shard.calls if c[1].get("fail") is True]
        heals = [c[1]["fqdn"] for c in owner.shard.calls if c[1].get("fail") is False]
        self.assertEqual(len(cuts), 2)
        self.assertEqual(sorted(cuts), sorted(heals))


if __name__ == "__main__":
    unittest.main()
