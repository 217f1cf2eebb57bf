# Installing (packaging/): `cmake --install` into a scratch prefix, and the
# Debian package built by cpack from this build, unpacked into a scratch root
# and run; its dependencies checked against this Debian's archive.
add_test(NAME package_install_and_deb
         COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/package/package_test.sh ${PROJECT_BINARY_DIR} ${PROJECT_VERSION})
set_tests_properties(package_install_and_deb PROPERTIES LABELS "integration;e2e" TIMEOUT 600)
