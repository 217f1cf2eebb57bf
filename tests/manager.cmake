cs_add_test(manager_test
  SOURCES
    manager/manager_test_util.cpp
    manager/agent_sessions_test.cpp
    manager/agent_protocol_test.cpp
    manager/manager_store_test.cpp
    manager/rest_api_test.cpp
    manager/job_runner_test.cpp
    manager/job_runner_writes_test.cpp
    manager/wal_bounded_test.cpp
    manager/wal_checkpoint_test.cpp
    manager/filesystem_test.cpp
    manager/copytool_events_test.cpp
  LIBS cs_manager)
