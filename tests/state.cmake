cs_add_test(state_test SOURCES state/store_test.cpp state/export_test.cpp state/snapshot_test.cpp
            state/group_commit_test.cpp LIBS cs_state)
