"""Client of the cluster-sim control API, for Python integration suites.

Standard library only. `SimulatorRemoteOperations` has the operation names
and arguments of the manager's tests/integration/core/remote_operations.py
class of that name, so a suite can switch to this simulator by building
this one instead:

    ops = SimulatorRemoteOperations(test_case, url="http://127.0.0.1:8743/")
    ops.kill_server("test000.localdomain")

Every call is one POST /api/v1/<operation> to the running daemon
(`cluster-sim run` or `register`); errors raise ControlApiError with the
daemon's message and HTTP status. See docs/control-api.md.
"""

import collections
import json
import re
import urllib.error
import urllib.request

__all__ = ["ControlApiError", "ControlApi", "RunResult", "SimulatorRemoteOperations"]

# What the original's Shell.run returned (tests/integration/utils).
RunResult = collections.namedtuple("RunResult", ["rc", "stdout", "stderr", "timeout"])


class ControlApiError(Exception):
    def __init__(self, status, message):
        super().__init__("%s (HTTP %s)" % (message, status))
        self.status = status
        self.message = message


class ControlApi(object):
    """Any control operation by name: api.call("stop_target", fqdn=..., ha_label=...)."""

    def __init__(self, url="http://127.0.0.1:8743/", token=None, timeout=330):
        self.url = url if url.endswith("/") else url + "/"
        self.token = token
        self.timeout = timeout

    def call(self, operation, **args):
        request = urllib.request.Request(
            self.url + "api/v1/" + operation,
            data=json.dumps(args).encode("utf-8"),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        if self.token:
            request.add_header("Authorization", "Bearer " + self.token)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return json.loads(response.read().decode("utf-8"))["result"]
        except urllib.error.HTTPError as e:
            body = e.read().decode("utf-8", "replace")
            try:
                message = json.loads(body)["error"]
            except (ValueError, KeyError, TypeError):
                message = body[:200]
            raise ControlApiError(e.code, message)

    def operations(self):
        with urllib.request.urlopen(self._listing(), timeout=self.timeout) as response:
            return json.loads(response.read().decode("utf-8"))["result"]

    def _listing(self):
        request = urllib.request.Request(self.url + "api/v1/")
        if self.token:
            request.add_header("Authorization", "Bearer " + self.token)
        return request


def _host(server):
    """The original passes host dicts ({'fqdn', 'nodename', 'address'}) or fqdns."""
    return server


class SimulatorRemoteOperations(object):
    def __init__(self, test_case=None, simulator=None, url="http://127.0.0.1:8743/", token=None, timeout=330):
        # `simulator` is accepted for signature compatibility and ignored:
        # the simulator is the daemon at `url`.
        self._test_case = test_case
        self.api = ControlApi(url, token, timeout)

    def _call(self, operation, **args):
        return self.api.call(operation, **args)

    # --- The original's operations, same names and arguments. ---
    def host_contactable(self, address):
        return self._call("host_contactable", address=address)

    def fail_connections(self, fail, fqdn=None):
        return self._call("fail_connections", fail=bool(fail), fqdn=fqdn)

    def drop_responses(self, drop, fqdn=None):
        return self._call("drop_responses", drop=bool(drop), fqdn=fqdn)

    def format_block_device(self, fqdn, path, filesystem_type):
        return self._call("format_block_device", fqdn=fqdn, path=path, filesystem_type=filesystem_type)

    def stop_target(self, fqdn, ha_label):
        return self._call("stop_target", fqdn=fqdn, ha_label=ha_label)

    def start_target(self, fqdn, ha_label):
        return self._call("start_target", fqdn=fqdn, ha_label=ha_label)

    def start_lnet(self, fqdn):
        return self._call("start_lnet", fqdn=fqdn)

    def stop_lnet(self, fqdn):
        return self._call("stop_lnet", fqdn=fqdn)

    def start_pacemaker(self, fqdn):
        return self._call("start_pacemaker", fqdn=fqdn)

    def stop_pacemaker(self, fqdn):
        return self._call("stop_pacemaker", fqdn=fqdn)

    def start_corosync(self, fqdn):
        return self._call("start_corosync", fqdn=fqdn)

    def stop_corosync(self, fqdn):
        return self._call("stop_corosync", fqdn=fqdn)

    def restart_chroma_manager(self, fqdn):
        pass

    def get_corosync_port(self, fqdn):
        return self._call("get_corosync_port", fqdn=fqdn)

    def backup_cib(self, server):
        return self._call("backup_cib", server=_host(server))

    def restore_cib(self, server, start_targets):
        return self._call("restore_cib", server=_host(server), start_targets=list(start_targets))

    def set_node_standby(self, server):
        return self._call("set_node_standby", server=_host(server))

    def set_node_online(self, server):
        return self._call("set_node_online", server=_host(server))

    def read_proc(self, address, path):
        return self._call("read_proc", address=address, path=path)

    def mount_filesystem(self, client_address, filesystem):
        return self._call("mount_filesystem", client_address=client_address, filesystem=_mount(filesystem))

    def unmount_filesystem(self, client_address, filesystem):
        return self._call("unmount_filesystem", client_address=client_address, filesystem=_mount(filesystem))

    def get_resource_running(self, host, ha_label):
        return self._call("get_resource_running", host=_host(host), ha_label=ha_label)

    def check_ha_config(self, hosts, filesystem_name):
        return self._call("check_ha_config", hosts=[_host(h) for h in hosts], filesystem_name=filesystem_name)

    def clear_lnet_config(self, servers):
        return self._call("clear_lnet_config", servers=[_host(s) for s in servers])

    def reset_server(self, fqdn):
        return self._call("reset_server", fqdn=fqdn)

    def kill_server(self, fqdn):
        return self._call("kill_server", fqdn=fqdn)

    def await_server_boot(self, boot_fqdn, monitor_fqdn=None, restart=True, timeout=300):
        try:
            return self._call("await_server_boot", boot_fqdn=boot_fqdn, monitor_fqdn=monitor_fqdn,
                              restart=restart, timeout_seconds=int(timeout))
        except ControlApiError as e:
            if self._test_case is not None and e.status == 503:
                self._test_case.fail("Timed out waiting for %s to boot" % boot_fqdn)
            raise

    def unmount_clients(self):
        return self._call("unmount_clients")

    def clear_ha(self, servers=None):
        if servers is None:
            return self._call("clear_ha")
        return self._call("clear_ha", servers=[_host(s) for s in servers])

    def inject_log_message(self, fqdn, message):
        return self._call("inject_log_message", fqdn=fqdn, message=message)

    def install_upgrades(self):
        return self._call("install_upgrades")

    def scan_packages(self):
        return self._call("scan_packages")

    def get_package_version(self, fqdn, package):
        return tuple(self._call("get_package_version", fqdn=fqdn, package=package))

    def distro_version(self, host):
        """The x.y version of a host's distro, as a float, from a config entry
        ('distro': 'el7.4') or a manager host ('properties' JSON with
        'distro_version'), as the original's RemoteOperations did."""
        if "distro" in host:
            match = re.match(r".*([0-9].[0-9])", host["distro"])
            if not match:
                raise ValueError("no x.y version in distro %r" % host["distro"])
            return float(match.group(1))
        return float(json.loads(host["properties"])["distro_version"])

    def get_fence_nodes_list(self, address, ignore_failure=False):
        """The nodes a fence agent on `address` could fence: every server the
        fleet's PDUs feed, by fqdn (`fence_chroma -o list` on a real host;
        the original simulator answered ["fake", "fake"]). With
        ignore_failure, a daemon that cannot answer gives [] as a failed
        fence_chroma did."""
        try:
            pdus = self._call("pdu_status")
        except (ControlApiError, OSError):
            if ignore_failure:
                return []
            raise
        return sorted({o["server"] for p in pdus for o in p["outlets"].values() if o["server"]})

    # The original raised for every file operation: the simulated servers
    # have no file system to read or write.
    def read_file(self, address, file_path):
        raise RuntimeError("read_file not implemented in SimulatorRemoteOperations")

    def rename_file(self, address, current_path, new_path):
        raise RuntimeError("rename_file not implemented in SimulatorRemoteOperations")

    def create_file(self, address, file_content, file_path):
        raise RuntimeError("create_file not implemented in SimulatorRemoteOperations")

    def delete_file(self, address, file_content, file_path):
        raise RuntimeError("delete_file not implemented in SimulatorRemoteOperations")

    def copy_file(self, address, current_file_path, new_file_path):
        raise RuntimeError("copy_file not implemented in SimulatorRemoteOperations")

    def file_exists(self, address, file_path):
        raise RuntimeError("file_exists not implemented in SimulatorRemoteOperations")

    def run_iml_diagnostics(self, server, verbose):
        """The original's answer: a successful run with no output."""
        return RunResult(rc=0, stdout="", stderr="", timeout=False)

    # The original's no-ops, kept so suites can call them.
    def exercise_filesystem_mdt(self, client_address, filesystem, mdt_index, files_to_create):
        pass

    def exercise_filesystem(self, client_address, filesystem, mdt_indexes=(0,), no_of_files_per_mdt=None):
        pass

    def unmount_lustre_targets(self, server):
        pass

    def remove_config(self, *args):
        pass

    def write_config(self, *args):
        pass

    def enable_agent_debug(self, server_list):
        pass

    def disable_agent_debug(self, server_list):
        pass

    def sync_disks(self, server_list):
        pass

    def stop_agents(self, server_list):
        pass

    def start_agents(self, server_list):
        pass

    # --- Beyond the original. ---
    def set_latency(self, latency_ms, fqdn=None):
        return self._call("set_latency", latency_ms=int(latency_ms), fqdn=fqdn)

    def manager_unreachable(self, unreachable, fqdn=None, timeout_ms=None):
        return self._call("manager_unreachable", unreachable=bool(unreachable), fqdn=fqdn, timeout_ms=timeout_ms)

    def kill_agent(self, fqdn):
        return self._call("kill_agent", fqdn=fqdn)

    def restart_agent(self, fqdn):
        return self._call("restart_agent", fqdn=fqdn)

    def clear_faults(self):
        return self._call("clear_faults")

    def faults(self):
        return self._call("faults")


def _mount(filesystem):
    """A manager filesystem dict (mount_path "<mgs nids>:/<fsname>") or that string."""
    if isinstance(filesystem, dict):
        return {"mount_path": filesystem["mount_path"]}
    return filesystem
