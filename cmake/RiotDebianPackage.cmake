# `cpack -G DEB` from the build tree: one Debian package with the launcher, the
# bundled plugins, the SDK (library, headers, CMake package, so plugins build
# against it with find_package(riot)) and what RiotInstallExtras installs.
# The runtime dependencies are computed by dpkg-shlibdeps from the binaries,
# so they name exactly the libraries (and versions) riot was linked against.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME riot)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR "riot")
set(CPACK_PACKAGE_CONTACT "riot maintainers <riot@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "Moves data between Redis databases: snapshot, live replication, comparison")
set(CPACK_PACKAGE_DESCRIPTION
    "riot copies the keys of a Redis database into another with what managed services\n"
    "allow (SCAN, DUMP, RESTORE, keyspace notifications): a one-time snapshot, a live\n"
    "replication that follows every change until cut-over, and a comparison that\n"
    "proves the target holds what the source holds. Pipelines are JSON documents of\n"
    "plugins; the SDK to write plugins of your own is included.")
set(CPACK_RESOURCE_FILE_LICENSE ${PROJECT_SOURCE_DIR}/LICENSE)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION database)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# libriot-sdk.so ships in the package itself: dpkg-shlibdeps finds it here.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS_PRIVATE_DIRS ${PROJECT_BINARY_DIR}/lib)
# Building a plugin against the SDK headers needs these.
set(CPACK_DEBIAN_PACKAGE_SUGGESTS
    "redis-server, redis-tools, cmake, g++, libhiredis-dev, nlohmann-json3-dev, libspdlog-dev")
include(CPack)
