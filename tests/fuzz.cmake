# The libFuzzer targets (fuzz/) for a bounded time each, in the normal build
# only (the ASan suite does not repeat them): one test builds them with clang
# (scripts/fuzz --build-only, build-fuzz/), then each target runs 20 s on its
# seed corpus. A crash fails the test and leaves its input in
# build-fuzz/artifacts/.
if(NOT CLUSTER_SIM_SANITIZE AND NOT CLUSTER_SIM_FUZZ)
  file(GLOB fuzz_sources CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/fuzz/*_fuzz.cpp)
  add_test(NAME fuzz.build COMMAND bash ${PROJECT_SOURCE_DIR}/scripts/fuzz --build-only)
  set_tests_properties(fuzz.build PROPERTIES FIXTURES_SETUP fuzz_build LABELS fuzz TIMEOUT 2400 RUN_SERIAL TRUE)
  # Each run computes for its 20 s: it takes one of the two "heavy" slots
  # (tests/schedule/schedule.cmake), so at most two share the cores.
  foreach(source ${fuzz_sources})
    get_filename_component(target ${source} NAME_WE)
    string(REGEX REPLACE "_fuzz$" "" target ${target})
    add_test(NAME fuzz.${target} COMMAND bash ${PROJECT_SOURCE_DIR}/scripts/fuzz ${target} --seconds 20 --seed 1 --no-build)
    set_tests_properties(fuzz.${target} PROPERTIES FIXTURES_REQUIRED fuzz_build LABELS fuzz TIMEOUT 300
                         RESOURCE_GROUPS heavy:1)
  endforeach()
endif()
