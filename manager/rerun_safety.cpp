#include "manager/rerun_safety.h"

#include <algorithm>
#include <iterator>
#include <vector>

namespace cs::manager {

namespace {
constexpr std::string_view kSafeToRunAgain[] = {
    "change_mcast_port",
    "check_block_device",
    "close_firewall",
    "configure_corosync",
    "configure_corosync2_stage_1",
    "configure_corosync2_stage_2",
    "configure_fencing",
    "configure_lnet",
    "configure_network",
    "configure_ntp",
    "configure_pacemaker",
    "configure_repo",
    "detect_scan",
    "device_plugin",
    "enable_pacemaker",
    "failback_target",
    "failover_target",
    "get_corosync_autoconfig",
    "host_corosync_config",
    "initialise_block_device_drivers",
    "install_packages",
    "kernel_status",
    "load_lnet",
    "mount_lustre_filesystems",
    "open_firewall",
    "scan_packages",
    "set_conf_param",
    "start_corosync",
    "start_corosync2",
    "start_lnet",
    "start_pacemaker",
    "start_target",
    "stop_corosync",
    "stop_corosync2",
    "stop_lnet",
    "stop_pacemaker",
    "stop_target",
    "unconfigure_corosync",
    "unconfigure_corosync2",
    "unconfigure_fencing",
    "unconfigure_lnet",
    "unconfigure_ntp",
    "unconfigure_pacemaker",
    "unload_lnet",
    "unmount_lustre_filesystems",
    "update_profile",
    "configure_target_store",
    "unconfigure_target_store",
};
}  // namespace

bool SafeToRunAgain(std::string_view action) {
  static const std::vector<std::string_view> sorted = [] {
    std::vector<std::string_view> copy(std::begin(kSafeToRunAgain), std::end(kSafeToRunAgain));
    std::sort(copy.begin(), copy.end());
    return copy;
  }();
  return std::binary_search(sorted.begin(), sorted.end(), action);
}

}  // namespace cs::manager
