# The fleet as a Locust workload (python/cluster_sim_locust, docs/distributed.md).
# The unit test is pure Python; the others run Debian's Locust (/usr/bin/locust,
# which needs /usr/bin/python3, not a pyenv shim) against the built-in manager,
# all on 127.0.0.1.
set(CS_DEBIAN_PYTHON /usr/bin/python3)
add_test(NAME locust_events_unit
         COMMAND ${CS_DEBIAN_PYTHON} ${PROJECT_SOURCE_DIR}/python/test_cluster_sim_locust_events.py)
set_tests_properties(locust_events_unit PROPERTIES LABELS unit TIMEOUT 60)
add_test(NAME locust_scenarios_unit
         COMMAND ${CS_DEBIAN_PYTHON} ${PROJECT_SOURCE_DIR}/python/test_cluster_sim_locust_scenarios.py)
set_tests_properties(locust_scenarios_unit PROPERTIES LABELS unit TIMEOUT 60)

# They never overlap the other fleet-sized tests (tests/schedule/schedule.cmake).
foreach(test_case DistributedTest WorkerLostTest WebUiTest)
  add_test(NAME locust_e2e.${test_case}
           COMMAND ${CS_DEBIAN_PYTHON} ${PROJECT_SOURCE_DIR}/python/test_cluster_sim_locust_e2e.py -v ${test_case})
  set_tests_properties(locust_e2e.${test_case} PROPERTIES
    ENVIRONMENT "CLUSTER_SIM=$<TARGET_FILE:cluster-sim>"
    LABELS "integration;locust" TIMEOUT 600)
endforeach()
