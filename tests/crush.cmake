cs_add_test(crush_test SOURCES crush/text_map_test.cpp crush/mapper_test.cpp crush/crushtool_compare_test.cpp crush/fleet_map_test.cpp crush/placement_test.cpp
            crush/topology_cli_test.cpp crush/classes_compare_test.cpp
            LIBS cs_crush)
# The CLI tests (crush test, crush place, topology) run the binary.
add_dependencies(crush_test cluster-sim)
