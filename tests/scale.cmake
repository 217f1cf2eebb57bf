# The bounded scale test (tests/scale/): a live fleet of 1,000 servers and
# the built-in manager, as processes. Label `scale`: `ctest -L scale`.
cs_add_test(scale_test
  SOURCES scale/live_fleet_test.cpp
  LIBS cs_live_fleet
  LABELS scale integration)
target_compile_definitions(scale_test PRIVATE CS_BINARY="$<TARGET_FILE:cluster-sim>")
add_dependencies(scale_test cluster-sim)
