"""From a shard's cumulative `stats` answers to one Locust request per request.

The daemon counts its measured requests (`cluster-sim ctl stats`: registration,
session create, DATA POST, long-poll GET, action round trip) cumulatively
since it started, with a histogram of non-empty buckets
``[representative ms, count]`` and failures by reason. `StatsDelta` keeps the
last answer and turns each new one into the requests that happened in
between: one `ShardRequest` per request, its time the bucket's
representative value, failed ones carrying the reason. So the events a
worker fires add up exactly to the shard's own counters.

Which request of an interval failed is not in the answer; failures take the
slowest times of the interval (timeouts are the usual failures), each with
one reason from the interval's ``failures_by_reason`` delta. Pure Python, no
Locust import: tests feed it recorded answers.
"""

import collections

ShardRequest = collections.namedtuple("ShardRequest", "request_type name response_time failure")


class ShardRequestFailure(Exception):
    """A request the shard counted as failed; str() is the shard's reason."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason

    def __str__(self):
        return self.reason

    def __repr__(self):
        return self.reason


def _buckets(entry):
    out = collections.Counter()
    for value, count in entry.get("buckets", []):
        out[float(value)] += int(count)
    return out


class _Seen:
    """What one request kind had reached in the previous answer."""

    def __init__(self, entry=None):
        entry = entry or {}
        self.count = int(entry.get("count", 0))
        self.failures = int(entry.get("failures", 0))
        self.total_ms = float(entry.get("total_ms", 0.0))
        self.buckets = _buckets(entry)
        self.reasons = collections.Counter({k: int(v) for k, v in entry.get("failures_by_reason", {}).items()})


class StatsDelta:
    """Turns successive cumulative `stats` answers into new requests."""

    def __init__(self):
        self._seen = {}
        self._started_at = None
        # Totals of everything converted so far, by (type, name): what the
        # events fired add up to.
        self.fired = collections.Counter()
        self.fired_failures = collections.Counter()

    def baseline(self, answer):
        """Counts everything in `answer` as already seen (nothing is fired)."""
        self._started_at = answer.get("started_at")
        self._seen = {(e["type"], e["name"]): _Seen(e) for e in answer.get("requests", [])}

    def update(self, answer):
        """The requests new since the previous answer, slowest failures last."""
        if self._started_at is not None and answer.get("started_at") != self._started_at:
            self._seen = {}  # the daemon restarted: its counters began again at zero
        self._started_at = answer.get("started_at")
        out = []
        for entry in answer.get("requests", []):
            key = (entry["type"], entry["name"])
            before = self._seen.get(key, _Seen())
            now = _Seen(entry)
            if now.count < before.count:  # counters went back: a restart without a new start time
                before = _Seen()
            out.extend(self._new_requests(key, before, now))
            self._seen[key] = now
        return out

    def _new_requests(self, key, before, now):
        count = now.count - before.count
        if count <= 0:
            return []
        times = []
        for value in sorted(now.buckets):
            times.extend([value] * max(0, now.buckets[value] - before.buckets.get(value, 0)))
        if len(times) != count:
            # Buckets and count disagree (the contract says they do not):
            # trust the count, padding with the interval's mean time.
            mean = (now.total_ms - before.total_ms) / count
            times = sorted((times + [mean] * count)[:count])
        failures = max(0, min(count, now.failures - before.failures))
        reasons = []
        for reason in sorted(now.reasons):
            reasons.extend([reason] * max(0, now.reasons[reason] - before.reasons.get(reason, 0)))
        reasons = (reasons + ["unknown"] * failures)[:failures]
        ok = count - failures
        requests = [ShardRequest(key[0], key[1], t, None) for t in times[:ok]]
        requests += [ShardRequest(key[0], key[1], t, r) for t, r in zip(times[ok:], reasons)]
        self.fired[key] += count
        self.fired_failures[key] += failures
        return requests


def totals(answer):
    """(type, name) -> (count, failures) of one `stats` answer."""
    return {(e["type"], e["name"]): (int(e.get("count", 0)), int(e.get("failures", 0)))
            for e in answer.get("requests", [])}
