"""How fast one Locust process turns shard `stats` deltas into request events.

A worker's CPU per simulated server is mostly this: StatsDelta.update plus
one events.request.fire per request the shard made. Builds a synthetic
cumulative answer (five request types, 40 buckets each), grows it by N
requests per step, and times update + fire into a real Locust Environment
(Debian's locust 2.12; run with /usr/bin/python3). Prints requests/s.

    /usr/bin/python3 bench/locust_events_bench.py [--requests 200000]
"""

import argparse
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python"))
from cluster_sim_locust._events import ShardRequestFailure, StatsDelta  # noqa: E402
from locust import events  # noqa: E402
from locust.env import Environment  # noqa: E402

KINDS = [("POST", "register"), ("POST", "session create"), ("POST", "DATA"), ("GET", "long poll"),
         ("ACTION", "round trip")]


def answer(step, per_step):
    requests = []
    n = step * per_step // len(KINDS)
    for t, name in KINDS:
        buckets = [[1.0 + b * 1.5, n // 40] for b in range(40)]
        count = sum(c for _, c in buckets)
        failures = count // 100
        requests.append({"type": t, "name": name, "count": count, "failures": failures,
                         "failures_by_reason": {"HTTP 500": failures}, "total_ms": count * 30.0,
                         "buckets": buckets})
    return {"started_at": "x", "requests": requests}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=200000)
    parser.add_argument("--per-step", type=int, default=10000, help="requests per poll (one second of a shard)")
    args = parser.parse_args()
    env = Environment(events=events)
    env.create_local_runner()
    delta = StatsDelta()
    fire = env.events.request.fire
    fired = 0
    started = time.process_time()
    step = 0
    while fired < args.requests:
        step += 1
        for r in delta.update(answer(step, args.per_step)):
            fire(request_type=r.request_type, name=r.name, response_time=r.response_time, response_length=0,
                 exception=ShardRequestFailure(r.failure) if r.failure else None, context={})
            fired += 1
    cpu = time.process_time() - started
    total = env.stats.total
    print("requests_fired %d" % fired)
    print("locust_total_requests %d failures %d" % (total.num_requests, total.num_failures))
    print("cpu_seconds %.2f" % cpu)
    print("requests_per_cpu_second %.0f" % (fired / cpu))


if __name__ == "__main__":
    main()
