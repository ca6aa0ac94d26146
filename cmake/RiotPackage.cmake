# Installs riot and a CMake package so that out-of-tree plugins build with
#   find_package(riot REQUIRED)
#   riot_add_plugin(myplugin SOURCES my_plugin.cpp)
include(CMakePackageConfigHelpers)

install(TARGETS riot-sdk EXPORT riotTargets
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/sdk/include/riot DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(EXPORT riotTargets NAMESPACE riot:: DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/riot)

configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/riotConfig.cmake.in
                              ${PROJECT_BINARY_DIR}/riotConfig.cmake
                              INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/riot
                              PATH_VARS RIOT_PLUGIN_INSTALL_DIR)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/riotConfigVersion.cmake
                                 COMPATIBILITY SameMajorVersion)
install(FILES ${PROJECT_BINARY_DIR}/riotConfig.cmake ${PROJECT_BINARY_DIR}/riotConfigVersion.cmake
              ${PROJECT_SOURCE_DIR}/cmake/RiotPlugin.cmake
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/riot)
