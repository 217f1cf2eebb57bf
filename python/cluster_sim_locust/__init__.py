"""cluster-sim's fleet as a Locust workload: `locust -f python/cluster_sim_locust`.

The locustfile is `locustfile.py`; the modules whose names start with `_`
are its parts (Locust loads every other .py file of the folder as a
locustfile). docs/distributed.md says how to run it on many machines.
"""
