cs_add_test(util_test SOURCES util/status_test.cpp util/clock_test.cpp util/random_test.cpp util/fd_limit_test.cpp
  util/json_parse_test.cpp util/number_check_test.cpp util/log_escape_test.cpp LIBS cs_util)
