# The built-in manager's journal store behind api/log/ (manager/log_store.h).
cs_add_test(manager_log_test SOURCES manager/log_store_test.cpp LIBS cs_manager)
