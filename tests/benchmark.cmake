# `cluster-sim bench` (benchmark/) and what it reads from the built-in
# manager: each mode run to a limit against a throttled manager, the
# system_status/, volume/ and storage_resource/ resources, registration
# answers, bad input and SIGINT. Processes on 127.0.0.1, ended by PID.
cs_add_test(benchmark_test
  SOURCES benchmark/bench_modes_test.cpp benchmark/bench_manager_test.cpp benchmark/bench_reports_test.cpp
          benchmark/bench_test_util.cpp metrics/report_checks.cpp util/terminal_run.cpp
  LIBS cs_benchmark
  LABELS integration
  TIMEOUT 400)
target_compile_definitions(benchmark_test PRIVATE CS_BINARY="$<TARGET_FILE:cluster-sim>")
add_dependencies(benchmark_test cluster-sim)
