cs_add_test(control_test
  SOURCES control/control_api_test.cpp control/control_server_test.cpp control/faulty_transport_test.cpp
          control/lock_order_test.cpp control/control_hostile_test.cpp control/action_seed_test.cpp
          control/hsm_methods_test.cpp control/hsm_service_test.cpp
  LIBS cs_control cs_remote_ops)

# The Python client (python/cluster_sim_remote.py) against a running daemon.
find_package(Python3 COMPONENTS Interpreter)
if(Python3_Interpreter_FOUND)
  add_test(NAME control_python_client
           COMMAND ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/python/test_cluster_sim_remote.py)
  set_tests_properties(control_python_client PROPERTIES
    ENVIRONMENT "CLUSTER_SIM=$<TARGET_FILE:cluster-sim>" LABELS integration TIMEOUT 300)
endif()
