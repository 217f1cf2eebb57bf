cs_add_test(net_test
  SOURCES
    net/test_certs.cpp
    net/url_test.cpp
    net/server_client_test.cpp
    net/tls_test.cpp
    net/limits_test.cpp
    net/scale_test.cpp
  LIBS cs_net)
