# pacemaker/: the placement model, the CIB the simulator exports (checked with
# Debian's crm_verify and crm_mon) and the simulator's decisions compared with
# crm_simulate's, event by event (the property test, in six shards that CTest
# can run side by side; each takes about 30 s on an idle machine, far more on
# a loaded one, hence the longer limit).
cs_add_test(pacemaker_test
  SOURCES pacemaker/placement_test.cpp pacemaker/cib_test.cpp pacemaker/cib_reader_test.cpp
          pacemaker/oracle_property_test.cpp pacemaker/oracle_device_loss_test.cpp
          pacemaker/crm_tools_test.cpp
  LIBS cs_cib cs_crm_tools cs_fakes
  TIMEOUT 1200)
