"""Unit tests of cluster_sim_locust._events: cumulative `stats` answers
(recorded in testdata/) to one request event per request. Pure Python, no
daemon, no Locust (it runs under any python3)."""

import collections
import json
import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from cluster_sim_locust._events import ShardRequestFailure, StatsDelta, totals  # noqa: E402


def load(name):
    with open(os.path.join(HERE, "testdata", name)) as f:
        return json.load(f)


def count(requests):
    out = collections.Counter()
    for r in requests:
        out[(r.request_type, r.name, r.failure is not None)] += 1
    return out


class StatsDeltaTest(unittest.TestCase):
    def test_first_answer_fires_everything_since_the_daemon_started(self):
        events = StatsDelta().update(load("stats-1.json"))
        self.assertEqual(count(events), {("POST", "register", False): 2, ("POST", "DATA", False): 9,
                                         ("POST", "DATA", True): 1})
        data = [r for r in events if r.name == "DATA"]
        self.assertEqual(sorted(r.response_time for r in data), [1.2, 1.2, 1.2, 2.0, 2.0, 2.0, 2.0, 2.0, 5.0, 40.0])
        # The interval's failure takes its slowest time and its reason.
        self.assertEqual([(r.response_time, r.failure) for r in data if r.failure], [(40.0, "HTTP 500")])

    def test_second_answer_fires_only_the_difference(self):
        delta = StatsDelta()
        delta.update(load("stats-1.json"))
        events = delta.update(load("stats-2.json"))
        c = count(events)
        self.assertNotIn(("POST", "register", False), c)  # nothing new
        self.assertEqual(c[("POST", "DATA", False)] + c[("POST", "DATA", True)], 6)
        self.assertEqual(c[("POST", "DATA", True)], 3)
        self.assertEqual(sorted(r.failure for r in events if r.name == "DATA" and r.failure),
                         ["HTTP 500", "connection refused", "connection refused"])
        self.assertEqual(sorted(r.response_time for r in events if r.name == "DATA"), [0.3, 0.3, 1.2, 2.0, 2.0, 40.0])
        # A kind seen for the first time.
        self.assertEqual(c[("GET", "long poll", False)], 2)
        self.assertEqual([(r.response_time, r.failure) for r in events if r.name == "long poll" and r.failure],
                         [(30000.0, "timeout")])

    def test_the_events_add_up_to_the_shards_counters(self):
        delta = StatsDelta()
        fired = collections.Counter()
        failed = collections.Counter()
        for name in ("stats-1.json", "stats-2.json", "stats-2.json"):  # an unchanged answer fires nothing
            for r in delta.update(load(name)):
                fired[(r.request_type, r.name)] += 1
                failed[(r.request_type, r.name)] += r.failure is not None
        for key, (n, f) in totals(load("stats-2.json")).items():
            self.assertEqual((fired[key], failed[key]), (n, f), key)
        self.assertEqual(dict(delta.fired), dict(fired))

    def test_a_restarted_daemon_counts_from_zero_again(self):
        delta = StatsDelta()
        delta.update(load("stats-2.json"))
        restarted = load("stats-1.json")
        restarted["started_at"] = "2026-12-01T13:00:00Z"
        self.assertEqual(count(delta.update(restarted)), count(StatsDelta().update(load("stats-1.json"))))

    def test_baseline_fires_nothing_for_what_was_already_counted(self):
        delta = StatsDelta()
        delta.baseline(load("stats-1.json"))
        events = delta.update(load("stats-2.json"))
        self.assertEqual(sum(1 for r in events if r.name == "DATA"), 6)

    def test_buckets_that_disagree_with_the_count_are_padded_with_the_mean(self):
        answer = load("stats-1.json")
        answer["requests"][1]["buckets"] = [[2.0, 4]]  # 4 in buckets, count 10, total 60 ms
        events = [r for r in StatsDelta().update(answer) if r.name == "DATA"]
        self.assertEqual(len(events), 10)
        self.assertEqual(sorted(r.response_time for r in events), [2.0] * 4 + [6.0] * 6)

    def test_failures_without_a_reason_say_unknown(self):
        answer = load("stats-1.json")
        answer["requests"][1]["failures_by_reason"] = {}
        self.assertEqual([r.failure for r in StatsDelta().update(answer) if r.failure], ["unknown"])

    def test_a_recorded_shard_answer_fires_its_counters_exactly(self):
        # Recorded from a real shard (the docs/distributed.md one-machine
        # example, worker 0, 100 servers, 5 minutes), not written by hand.
        answer = load("recorded-shard-final-stats.json")
        events = StatsDelta().update(answer)
        fired = collections.Counter((r.request_type, r.name) for r in events)
        for key, (n, f) in totals(answer).items():
            self.assertEqual(fired[key], n, key)
        for entry in answer["requests"]:
            values = {v for v, _ in entry["buckets"]}
            times = [r.response_time for r in events if (r.request_type, r.name) == (entry["type"], entry["name"])]
            self.assertTrue(set(times) <= values, entry["name"])
            self.assertAlmostEqual(max(times), max(values))

    def test_the_failure_prints_as_the_shards_reason(self):
        self.assertEqual(str(ShardRequestFailure("HTTP 500")), "HTTP 500")
        self.assertEqual(repr(ShardRequestFailure("HTTP 500")), "HTTP 500")


if __name__ == "__main__":
    unittest.main()
