cs_add_test(actions_test
  SOURCES actions/catalog_test.cpp actions/server_actions_test.cpp actions/target_actions_test.cpp
  LIBS cs_actions)
