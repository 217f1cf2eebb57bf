cs_add_test(util_test SOURCES util/status_test.cpp util/clock_test.cpp util/random_test.cpp util/fd_limit_test.cpp LIBS cs_util)
