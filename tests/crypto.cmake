# Tests of the crypto module (keys, CSRs, CA, certificate files, and interop
# with the openssl command line tool).
cs_add_test(crypto_test
  SOURCES crypto/keys_test.cpp crypto/csr_test.cpp crypto/authority_test.cpp
          crypto/server_dir_test.cpp crypto/openssl_cli_test.cpp
  LIBS cs_crypto)
