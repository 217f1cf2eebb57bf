"""One cluster-sim daemon shard, owned by one Locust process.

A shard is an ordinary cluster-sim fleet in its own state directory: `setup`
with no servers (users add them), a name prefix and number offset that keep
its names unique behind a shared manager (docs/distributed.md), then `run`
with its control API and PDUs on free 127.0.0.1 ports. The daemon gets
SIGTERM if the Locust process dies (PR_SET_PDEATHSIG), so a killed worker
takes only its own shard with it; `stop()` ends it by its PID.
"""

import ctypes
import json
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request

PR_SET_PDEATHSIG = 1
FIRST_PDU_PORT = 2300  # the daemon's PDU k listens on 2300 + k + --pdu-port-offset


class ControlError(Exception):
    """The control API refused a request (status and message) or did not answer."""

    def __init__(self, operation, status, message):
        super().__init__("%s: %s %s" % (operation, status, message))
        self.operation = operation
        self.status = status
        self.message = message


def free_port():
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
    finally:
        s.close()


def _die_with_parent():
    libc = ctypes.CDLL("libc.so.6", use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


class Control:
    """The control API of a shard (JSON over HTTP on 127.0.0.1)."""

    def __init__(self, url, timeout=60):
        self.url = url.rstrip("/") + "/api/v1/"
        self.timeout = timeout

    def call(self, operation, timeout=None, **args):
        request = urllib.request.Request(self.url + operation, data=json.dumps(args).encode(),
                                         headers={"Content-Type": "application/json"}, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=timeout or self.timeout) as r:
                return json.loads(r.read() or b"{}").get("result")
        except urllib.error.HTTPError as e:
            try:
                message = json.loads(e.read()).get("error", "")
            except ValueError:
                message = ""
            raise ControlError(operation, e.code, message) from None
        except (OSError, ValueError) as e:
            raise ControlError(operation, "unreachable", str(e)) from None


class Shard:
    """Starts, talks to and stops one daemon."""

    def __init__(self, binary, state_dir, manager_url, ca=None, name_prefix="", name_offset=0,
                 psu_count=1, boot_seconds=None, seed=None, log=None):
        self.binary = binary
        self.state_dir = state_dir
        self.manager_url = manager_url
        self.ca = ca
        self.name_prefix = name_prefix
        self.name_offset = name_offset
        self.psu_count = psu_count
        self.boot_seconds = boot_seconds
        self.seed = seed
        self.log = log
        self.process = None
        self.control = None
        self.control_port = None
        self.pdu_port = None

    def _global_args(self):
        args = [self.binary, "--config", self.state_dir, "--url", self.manager_url]
        if self.ca:
            args += ["--ca", self.ca]
        return args

    def start(self, ready_timeout=120):
        os.makedirs(self.state_dir, exist_ok=True)
        setup = self._global_args() + [
            "setup", "--server_count", "0", "--worker_count", "0", "--volume_count", "0",
            "--psu_count", str(self.psu_count), "--name_prefix", self.name_prefix,
            "--name_offset", str(self.name_offset)]
        if self.seed is not None:
            setup += ["--seed", str(self.seed)]
        done = subprocess.run(setup, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=120)
        if done.returncode != 0:
            raise RuntimeError("cluster-sim setup failed (%d): %s" % (done.returncode, done.stdout.decode()[-2000:]))
        self.control_port = free_port()
        self.pdu_port = free_port()
        run = self._global_args() + [
            "run", "--control-listen", "127.0.0.1:%d" % self.control_port,
            "--pdu-port-offset", str(self.pdu_port - FIRST_PDU_PORT)]
        if self.boot_seconds is not None:
            run += ["--boot-seconds", str(self.boot_seconds)]
        self.log_file = open(os.path.join(self.state_dir, "daemon.out"), "ab")
        self.process = subprocess.Popen(run, stdout=self.log_file, stderr=subprocess.STDOUT,
                                        stdin=subprocess.DEVNULL, preexec_fn=_die_with_parent)
        self.control = Control("http://127.0.0.1:%d/" % self.control_port)
        deadline = time.monotonic() + ready_timeout
        while True:
            try:
                self.control.call("faults", timeout=5)
                return
            except ControlError:
                if self.process.poll() is not None:
                    raise RuntimeError("the shard daemon exited %s (log: %s/daemon.out)"
                                       % (self.process.returncode, self.state_dir))
                if time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError("the shard daemon did not answer in %d s" % ready_timeout)
                time.sleep(0.2)

    def call(self, operation, **args):
        return self.control.call(operation, **args)

    @property
    def pid(self):
        return self.process.pid if self.process else None

    def stop(self, timeout=60):
        """SIGTERM by PID, then SIGKILL if it has not gone in `timeout` s."""
        if not self.process or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=30)
        self.log_file.close()
