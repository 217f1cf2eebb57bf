# Precompiled headers: the third-party headers that most files include
# (nlohmann/json and the standard library; GoogleTest for tests, CLI11 for
# the command-line programs) are parsed once per build instead of
# once per file. docs/building.md has the measured gain and the caveats.
#
# One call, cs_use_precompiled_headers(), at the end of the top-level
# CMakeLists.txt, gives every target of the tree one of three shared PCHs
# (target_precompile_headers REUSE_FROM), so a new target or source file
# needs nothing. The three PCHs are built by small owner targets that link
# the same interface libraries as their users: GTest's imported target adds
# -DGTEST_HAS_PTHREAD=1, and a PCH is only valid for the macros it was made
# with. CMake adds -Winvalid-pch, so under -Werror a PCH that does not match
# a file's flags is an error, never a silent slowdown.
#
# Used with -DCLUSTER_SIM_PCH=ON (off by default: the measured gain is small).
# A file can opt out with the source property SKIP_PRECOMPILE_HEADERS (see
# fakes/power/CMakeLists.txt). A build with them can hide a missing #include
# <string> or <nlohmann/json.hpp>; the default build, without them, shows it.

# What goes in is measured (docs/building.md): a GCC PCH costs about as much
# to load as its size, so a header belongs here only if most files include
# it. nlohmann/json reaches 211 of 302 files; Boost.Asio only 23 (the net,
# agent and manager plumbing), and with it the PCH made every other file
# slower than it saves, so Asio and Beast stay out.
set(CS_PCH_COMMON
  <chrono> <cstdint> <functional> <map> <memory> <mutex> <optional> <set>
  <string> <string_view> <utility> <variant> <vector>
  <nlohmann/json.hpp>)
set(CS_PCH_TEST ${CS_PCH_COMMON} <gtest/gtest.h> <gmock/gmock.h>)
set(CS_PCH_CLI ${CS_PCH_COMMON} <CLI/CLI.hpp>)

# Every buildsystem target defined in DIR and below.
function(cs_collect_targets dir out)
  get_property(targets DIRECTORY ${dir} PROPERTY BUILDSYSTEM_TARGETS)
  get_property(subdirs DIRECTORY ${dir} PROPERTY SUBDIRECTORIES)
  foreach(sub ${subdirs})
    cs_collect_targets(${sub} sub_targets)
    list(APPEND targets ${sub_targets})
  endforeach()
  set(${out} ${targets} PARENT_SCOPE)
endfunction()

# An owner target: one empty file, the PCH, and LIBS for their interface flags.
function(cs_pch_owner name headers)
  set(empty ${CMAKE_BINARY_DIR}/cs_pch/${name}.cpp)
  if(NOT EXISTS ${empty})
    file(WRITE ${empty} "// Owner of the ${name} precompiled header (cmake/precompiled_headers.cmake).\n")
  endif()
  add_library(${name} STATIC EXCLUDE_FROM_ALL ${empty})
  target_link_libraries(${name} PRIVATE ${ARGN})
  target_precompile_headers(${name} PRIVATE ${headers})
endfunction()

function(cs_use_precompiled_headers)
  cs_collect_targets(${CMAKE_SOURCE_DIR} targets)
  cs_pch_owner(cs_pch_common "${CS_PCH_COMMON}" Threads::Threads nlohmann_json::nlohmann_json)
  cs_pch_owner(cs_pch_test "${CS_PCH_TEST}" Threads::Threads nlohmann_json::nlohmann_json
               GTest::gtest GTest::gmock)
  cs_pch_owner(cs_pch_cli "${CS_PCH_CLI}" Threads::Threads nlohmann_json::nlohmann_json CLI11::CLI11)
  foreach(target ${targets})
    get_target_property(type ${target} TYPE)
    if(NOT type MATCHES "^(STATIC_LIBRARY|SHARED_LIBRARY|OBJECT_LIBRARY|EXECUTABLE)$")
      continue()
    endif()
    get_target_property(libs ${target} LINK_LIBRARIES)
    if(libs MATCHES "GTest::")
      set(owner cs_pch_test)
    elseif(libs MATCHES "CLI11::")
      set(owner cs_pch_cli)
    else()
      set(owner cs_pch_common)
    endif()
    target_precompile_headers(${target} REUSE_FROM ${owner})
  endforeach()
endfunction()
