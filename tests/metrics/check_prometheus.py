#!/usr/bin/python3
"""Reads a cluster-sim control API's GET /metrics with Prometheus's own
parser (Debian's python3-prometheus-client) and checks the families the
metrics contract names. Exit 0 when all is well, 1 with the reason on
stderr otherwise. Usage: check_prometheus.py URL MIN_REGISTRATIONS"""
import sys
import urllib.request

from prometheus_client.parser import text_string_to_metric_families


def fail(why):
    print("check_prometheus: " + why, file=sys.stderr)
    sys.exit(1)


def main():
    url, min_registrations = sys.argv[1], int(sys.argv[2])
    with urllib.request.urlopen(url, timeout=20) as answer:
        content_type = answer.headers.get("Content-Type", "")
        text = answer.read().decode("utf-8")
    if not content_type.startswith("text/plain"):
        fail("Content-Type is " + content_type)
    families = {}
    for family in text_string_to_metric_families(text):
        # Older parsers keep a counter's _total in the family name.
        name = family.name[:-6] if family.type == "counter" and family.name.endswith("_total") else family.name
        families[name] = family
    expected = {
        "cluster_sim_requests": "counter",
        "cluster_sim_request_failures": "counter",
        "cluster_sim_request_duration_seconds": "histogram",
        "cluster_sim_servers_running": "gauge",
        "cluster_sim_agents_connected": "gauge",
        "cluster_sim_faults_active": "gauge",
    }
    for name, kind in expected.items():
        if name not in families:
            fail("no family %s in %s" % (name, sorted(families)))
        if families[name].type != kind:
            fail("%s is a %s, not a %s" % (name, families[name].type, kind))
    requests = {(s.labels["type"], s.labels["name"]): s.value for s in families["cluster_sim_requests"].samples
                if s.name == "cluster_sim_requests_total"}
    for key in [("POST", "register"), ("POST", "session create"), ("POST", "DATA"), ("GET", "long poll"),
                ("ACTION", "round trip")]:
        if key not in requests:
            fail("no cluster_sim_requests_total for %s: %s" % (key, requests))
    if requests[("POST", "register")] < min_registrations:
        fail("only %s registrations" % requests[("POST", "register")])
    histogram = families["cluster_sim_request_duration_seconds"].samples
    for key, count in requests.items():
        mine = [s for s in histogram if (s.labels.get("type"), s.labels.get("name")) == key]
        buckets = [s for s in mine if s.name.endswith("_bucket")]
        counts = [s.value for s in mine if s.name.endswith("_count")]
        if not buckets or counts != [count]:
            fail("histogram of %s: %d buckets, _count %s, requests %s" % (key, len(buckets), counts, count))
        inf = [s.value for s in buckets if s.labels["le"] == "+Inf"]
        if inf != [count]:
            fail("+Inf bucket of %s is %s, not %s" % (key, inf, count))
        values = [s.value for s in sorted(buckets, key=lambda s: float(s.labels["le"]))]
        if values != sorted(values):
            fail("buckets of %s are not cumulative: %s" % (key, values))
    running = families["cluster_sim_servers_running"].samples[0].value
    if running < min_registrations:
        fail("servers_running is %s" % running)
    print("ok: %d families, %d request types" % (len(families), len(requests)))


main()
