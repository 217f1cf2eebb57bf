cs_add_test(plugins_test
  SOURCES plugins/corosync_plugin_test.cpp plugins/device_plugins_test.cpp
          plugins/journal_plugin_test.cpp plugins/linux_plugin_test.cpp
          plugins/lustre_plugin_test.cpp plugins/network_plugin_test.cpp
          plugins/server_proc_test.cpp
  LIBS cs_plugins cs_cib cs_crm_tools)
