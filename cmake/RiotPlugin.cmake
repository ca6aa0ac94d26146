# riot_add_plugin(<name> SOURCES <files...> [LIBRARIES <targets...>] [OUTPUT_DIRECTORY <dir>]
#                 [EXPORTS <symbols...>])
#
# Builds a riot plugin: a shared object named riot-plugin-<name>.so, linked
# against riot::sdk, compiled with hidden visibility so that only the entry
# point declared with RIOT_PLUGIN(...) is exported (plus any EXPORTS, which
# only test fixtures need). Used in riot's own tree and,
# through find_package(riot), by plugins built out of tree.
function(riot_add_plugin name)
  cmake_parse_arguments(ARG "" "OUTPUT_DIRECTORY" "SOURCES;LIBRARIES;EXPORTS" ${ARGN})
  if(NOT ARG_SOURCES)
    message(FATAL_ERROR "riot_add_plugin(${name}): SOURCES is required")
  endif()
  set(target riot-plugin-${name})
  add_library(${target} MODULE ${ARG_SOURCES})
  target_link_libraries(${target} PRIVATE riot::sdk ${ARG_LIBRARIES})
  if(TARGET riot_warnings)
    target_link_libraries(${target} PRIVATE riot_warnings)
  endif()
  set_target_properties(${target} PROPERTIES
    PREFIX ""
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON
    CXX_STANDARD 20
    CXX_STANDARD_REQUIRED ON)
  # Hidden visibility does not cover symbols that headers force to default
  # visibility (Boost.System's error categories among them); the version
  # script leaves the entry point as the only export.
  set(export_map ${CMAKE_CURRENT_BINARY_DIR}/${target}.exports)
  set(exported riot_plugin_v1 ${ARG_EXPORTS})
  list(JOIN exported "; " exported)
  file(WRITE ${export_map} "{ global: ${exported}; local: *; };\n")
  target_link_options(${target} PRIVATE -Wl,--no-undefined -Wl,--version-script=${export_map})
  set_property(TARGET ${target} APPEND PROPERTY LINK_DEPENDS ${export_map})
  # In riot's own tree: installed beside the launcher's default plugin directory,
  # finding libriot-sdk two levels up.
  if(TARGET riot-sdk AND NOT ARG_OUTPUT_DIRECTORY)
    set_target_properties(${target} PROPERTIES INSTALL_RPATH "$ORIGIN/../..")
    install(TARGETS ${target} LIBRARY DESTINATION ${RIOT_PLUGIN_INSTALL_DIR})
    set_property(GLOBAL APPEND PROPERTY RIOT_BUNDLED_PLUGINS ${target})
  endif()
  if(ARG_OUTPUT_DIRECTORY)
    set_target_properties(${target} PROPERTIES LIBRARY_OUTPUT_DIRECTORY ${ARG_OUTPUT_DIRECTORY})
  elseif(DEFINED RIOT_PLUGIN_OUTPUT_DIR)
    set_target_properties(${target} PROPERTIES LIBRARY_OUTPUT_DIRECTORY ${RIOT_PLUGIN_OUTPUT_DIR})
  endif()
endfunction()
