"""Tests cluster_sim_remote against a running `cluster-sim run` daemon.

Starts the daemon on 127.0.0.1 with a free control port and a bearer token
(no manager: nothing is registered, so no agent runs), then drives it
through the Python client and `cluster-sim ctl`. Needs CLUSTER_SIM (the
binary). Every wait is bounded.
"""

import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cluster_sim_remote import ControlApiError, SimulatorRemoteOperations  # noqa: E402

BINARY = os.environ.get("CLUSTER_SIM", "cluster-sim")
S0 = "test000.localdomain"
S1 = "test001.localdomain"
TOKEN = "python-test-token"


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class DaemonTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.config = os.path.join(cls.tmp.name, "state")
        subprocess.run([BINARY, "--config", cls.config, "setup", "--server_count", "4", "--nid_count", "2",
                        "--cluster_size", "4", "--worker_count", "1"], check=True, timeout=60,
                       stdout=subprocess.DEVNULL)
        cls.token_file = os.path.join(cls.tmp.name, "token")
        with open(cls.token_file, "w") as f:
            f.write(TOKEN + "\n")
        cls.url = "http://127.0.0.1:%d/" % free_port()
        cls.daemon_err = open(os.path.join(cls.tmp.name, "daemon.err"), "w")
        cls.daemon = subprocess.Popen(
            [BINARY, "--config", cls.config, "run", "--control-listen", cls.url[7:-1],
             "--control-token-file", cls.token_file, "--boot-seconds", "0"],
            stdout=subprocess.DEVNULL, stderr=cls.daemon_err)
        cls.ops = SimulatorRemoteOperations(url=cls.url, token=TOKEN, timeout=30)
        deadline = time.time() + 30
        while True:
            try:
                cls.ops.faults()
                break
            except (OSError, ControlApiError):
                if time.time() > deadline or cls.daemon.poll() is not None:
                    cls.tearDownClass()
                    raise RuntimeError("the daemon did not answer on %s" % cls.url)
                time.sleep(0.1)

    @classmethod
    def tearDownClass(cls):
        if cls.daemon.poll() is None:
            cls.daemon.send_signal(signal.SIGTERM)
            try:
                cls.daemon.wait(timeout=30)
            except subprocess.TimeoutExpired:
                cls.daemon.kill()
                cls.daemon.wait(timeout=10)
        cls.daemon_err.close()
        with open(os.path.join(cls.tmp.name, "daemon.err")) as f:
            err = f.read()
        assert cls.daemon.returncode == 0, "the daemon exited %s:\n%s" % (cls.daemon.returncode, err[-3000:])
        # The daemon logs every control request, and never the token.
        with open(os.path.join(cls.config, "cluster-sim.log")) as f:
            log = f.read()
        cls.tmp.cleanup()
        assert "control" in log and TOKEN not in log, "control requests not logged, or the token was"

    def test_a_token_is_required(self):
        anonymous = SimulatorRemoteOperations(url=self.url, timeout=30)
        with self.assertRaises(ControlApiError) as e:
            anonymous.faults()
        self.assertEqual(e.exception.status, 401)
        wrong = SimulatorRemoteOperations(url=self.url, token="nope", timeout=30)
        with self.assertRaises(ControlApiError) as e:
            wrong.host_contactable(S0)
        self.assertEqual(e.exception.status, 401)

    def test_host_contactable_and_services(self):
        self.assertFalse(self.ops.host_contactable(S0))  # not registered: no agent
        self.ops.start_lnet(S0)
        self.ops.start_pacemaker(S0)
        self.ops.start_corosync({"fqdn": S0, "nodename": "test000", "address": S0}["fqdn"])
        self.assertIsInstance(self.ops.get_corosync_port(S0), int)
        server = self.ops.api.call("get_server", fqdn=S0)
        self.assertTrue(server["lnet_up"])
        self.assertEqual(server["pacemaker"]["state"], "started")
        self.ops.stop_lnet(S0)
        self.ops.clear_lnet_config([{"fqdn": S0}])
        self.assertEqual(self.ops.api.call("get_server", fqdn=S0)["nids"], [])

    def test_standby_and_online(self):
        self.ops.set_node_standby({"fqdn": S1, "nodename": "test001"})
        cluster = self.ops.api.call("get_cluster", fqdn=S1)
        self.assertTrue(cluster["nodes"]["test001"]["standby"])
        self.ops.set_node_online({"fqdn": S1, "nodename": "test001"})
        self.assertFalse(self.ops.api.call("get_cluster", fqdn=S1)["nodes"]["test001"]["standby"])

    def test_faults_switch_on_and_off(self):
        self.ops.fail_connections(True)
        self.ops.drop_responses(True, fqdn=S1)
        faults = self.ops.faults()
        self.assertTrue(faults["all"]["fail_connections"])
        self.assertTrue(faults["hosts"][S1]["drop_responses"])
        self.ops.fail_connections(False)
        self.ops.drop_responses(False)
        faults = self.ops.faults()
        self.assertEqual(faults["all"], {})
        self.assertEqual(faults["hosts"], {})

    def test_inject_log_message_and_power(self):
        self.ops.inject_log_message(S0, "hello from python")
        self.assertEqual(self.ops.api.call("get_server", fqdn=S0)["pending_log_lines"], 1)
        self.ops.kill_server("test002.localdomain")
        self.assertFalse(self.ops.host_contactable("test002.localdomain"))
        with self.assertRaises(ControlApiError) as e:
            self.ops.kill_server("test002.localdomain")
        self.assertEqual(e.exception.status, 409)
        self.ops.api.call("start_server", fqdn="test002.localdomain")
        self.assertEqual(self.ops.api.call("get_server", fqdn="test002.localdomain")["power_state"], "running")

    def test_the_original_simulator_methods_over_xml_rpc(self):
        import xmlrpc.client

        class BearerTransport(xmlrpc.client.Transport):
            def send_headers(self, connection, headers):
                connection.putheader("Authorization", "Bearer " + TOKEN)
                super().send_headers(connection, headers)

        with xmlrpc.client.ServerProxy(self.url + "RPC2", transport=BearerTransport(), allow_none=True) as rpc:
            self.assertEqual(rpc.start_all(), 0, "nothing registered, nothing to start")
            self.assertEqual(rpc.get_lustre_client("10.9.0.1"), {"address": "10.9.0.1", "mounts": []})
            self.assertEqual(self.ops.api.call("list_clients")["10.9.0.1"], {"address": "10.9.0.1", "mounts": []},
                             "created and kept, as the original did")
            with self.assertRaises(xmlrpc.client.Fault) as fault:
                rpc.register_all("", "secret")
            self.assertEqual(fault.exception.faultCode, 400)
            with self.assertRaises(xmlrpc.client.Fault):
                rpc.get_lustre_client()

    def test_fence_nodes_are_the_servers_on_pdus(self):
        self.assertEqual(self.ops.get_fence_nodes_list("10.0.0.1"),
                         ["test%03d.localdomain" % i for i in range(4)])

    def test_bad_requests(self):
        for call, status in [
            (lambda: self.ops.stop_target("nosuch.localdomain", "x"), 404),
            (lambda: self.ops.stop_target(S0, "testfs-OST0000"), 404),
            (lambda: self.ops.read_proc("nowhere", "/proc/fs/lustre/llite/*/max_cached_mb"), 404),
            (lambda: self.ops.mount_filesystem("c1", {"mount_path": "10.9.9.9@tcp0:/fs"}), 404),
            (lambda: self.ops.api.call("set_log_rate", fqdn=S0, rate="fast"), 400),
            (lambda: self.ops.api.call("start_server", fqdn=S0), 409),
        ]:
            with self.assertRaises(ControlApiError) as e:
                call()
            self.assertEqual(e.exception.status, status, e.exception.message)

    def test_ctl_command(self):
        base = [BINARY, "ctl", "--control-url", self.url, "--control-token-file", self.token_file]
        r = subprocess.run(base + ["get_corosync_port", "--fqdn", S0], capture_output=True, text=True, timeout=30)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIsInstance(json.loads(r.stdout), int)
        r = subprocess.run(base + ["set_log_rate", "--fqdn", S0, "--rate", "3"], capture_output=True, text=True,
                           timeout=30)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.ops.api.call("get_server", fqdn=S0)["log_rate"], 3)
        r = subprocess.run(base + ["stop_target", "--fqdn", S0, "--ha-label", "x"], capture_output=True, text=True,
                           timeout=30)
        self.assertEqual(r.returncode, 1)
        self.assertIn("no HA resource", r.stderr)


def _stop(process):
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


class RegisterAllTest(unittest.TestCase):
    """register_all against the built-in manager: servers and workers each
    with their token, then nothing left to register."""

    def test_register_all_registers_servers_and_workers(self):
        with tempfile.TemporaryDirectory() as tmp:
            mdir = os.path.join(tmp, "manager_state")
            mlog = open(os.path.join(tmp, "manager.log"), "w")
            manager = subprocess.Popen([BINARY, "manager", "--listen", "127.0.0.1:0", "--dir", mdir],
                                       stdout=mlog, stderr=subprocess.STDOUT)
            daemon = None
            try:
                url = None
                deadline = time.time() + 30
                while url is None and time.time() < deadline and manager.poll() is None:
                    with open(os.path.join(tmp, "manager.log")) as f:
                        found = re.search(r"listening on (https://127\.0\.0\.1:\d+/)", f.read())
                    url = found.group(1).replace("127.0.0.1", "localhost") if found else None
                    time.sleep(0.1)
                self.assertIsNotNone(url, "the manager did not start")

                def token(profile):
                    r = subprocess.run([BINARY, "manager", "token", "create", "--credits", "5", "--profile", profile,
                                        "--manager-url", url, "--dir", mdir],
                                       capture_output=True, text=True, timeout=60, check=True)
                    return r.stdout.strip().split()[-1]

                config = os.path.join(tmp, "fleet")
                subprocess.run([BINARY, "--config", config, "setup", "--server_count", "2", "--worker_count", "1"],
                               check=True, timeout=60, stdout=subprocess.DEVNULL)
                control = "127.0.0.1:%d" % free_port()
                daemon = subprocess.Popen([BINARY, "--config", config, "--url", url, "--ca",
                                           os.path.join(mdir, "ca.crt"), "run", "--control-listen", control,
                                           "--pdu-port-offset", "23000", "--poll-seconds", "1"],
                                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                ops = SimulatorRemoteOperations(url="http://%s/" % control, timeout=120)
                deadline = time.time() + 30
                while True:
                    try:
                        ops.faults()
                        break
                    except (OSError, ControlApiError):
                        self.assertLess(time.time(), deadline, "the daemon did not answer")
                        time.sleep(0.1)
                self.assertEqual(ops.api.call("register_all", server_secret=token("base_managed_rh7"),
                                              worker_secret=token("posix_copytool_worker")), 3)
                registered = [s for s in ops.api.call("list_servers") if s["registered"]]
                self.assertEqual(len(registered), 3, registered)
                self.assertEqual(ops.api.call("register_all", server_secret="x", worker_secret="y"), 0,
                                 "nothing left to register")
            finally:
                if daemon:
                    _stop(daemon)
                _stop(manager)
                mlog.close()


class WithoutDaemonTest(unittest.TestCase):
    """The methods that answer without asking the daemon, as the original's."""

    def setUp(self):
        # Nothing listens on this port: a call that reached for the daemon would fail.
        self.ops = SimulatorRemoteOperations(url="http://127.0.0.1:9/", timeout=5)

    def test_file_operations_raise_as_the_original(self):
        calls = {
            "read_file": ("10.0.0.1", "/etc/hosts"),
            "rename_file": ("10.0.0.1", "/a", "/b"),
            "create_file": ("10.0.0.1", "content", "/a"),
            "delete_file": ("10.0.0.1", "content", "/a"),
            "copy_file": ("10.0.0.1", "/a", "/b"),
            "file_exists": ("10.0.0.1", "/a"),
        }
        for name, args in calls.items():
            with self.assertRaises(RuntimeError) as raised:
                getattr(self.ops, name)(*args)
            self.assertEqual(str(raised.exception), "%s not implemented in SimulatorRemoteOperations" % name)

    def test_run_iml_diagnostics_is_a_successful_run(self):
        r = self.ops.run_iml_diagnostics("test000.localdomain", verbose=True)
        self.assertEqual((r.rc, r.stdout, r.stderr, r.timeout), (0, "", "", False))

    def test_distro_version(self):
        self.assertEqual(self.ops.distro_version({"distro": "el7.4"}), 7.4)
        self.assertEqual(self.ops.distro_version({"properties": json.dumps({"distro_version": 7.3})}), 7.3)
        with self.assertRaises(ValueError):
            self.ops.distro_version({"distro": "mock"})

    def test_fence_nodes_without_a_daemon(self):
        self.assertEqual(self.ops.get_fence_nodes_list("10.0.0.1", ignore_failure=True), [])
        with self.assertRaises(OSError):
            self.ops.get_fence_nodes_list("10.0.0.1")


if __name__ == "__main__":
    unittest.main(verbosity=2)
