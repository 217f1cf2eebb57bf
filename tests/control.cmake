cs_add_test(control_test
  SOURCES control/control_api_test.cpp control/control_server_test.cpp control/faulty_transport_test.cpp
  LIBS cs_control cs_remote_ops)
