# What keeps a clean build of riot's own tree fast (README.md, "Building by
# hand"). Never applied to plugins built out of tree with riot_add_plugin():
# their authors configure their builds.
#
# riot_precompile_headers(<target> [TESTS] [EXTRA <headers...>])
#   For targets of many files: precompiles, once per target, the standard and
#   third-party headers nearly every file includes (the standard library,
#   nlohmann/json, spdlog and fmt; with TESTS GoogleTest; EXTRA more), and
#   precompiled/fmt_extern_templates.hpp. Only headers that never change with
#   riot's code go in, so editing riot's headers never rebuilds them.
#
# riot_use_fmt_extern_templates_elsewhere()
#   Called once, after every target is defined: every other C++ target of the
#   tree gets precompiled/fmt_extern_templates.hpp by -include, which for a
#   file or two costs less than a precompiled header would.
option(RIOT_PRECOMPILED_HEADERS "Precompile common third-party headers (faster clean builds)" ON)

set(RIOT_FMT_EXTERN_TEMPLATES ${CMAKE_CURRENT_LIST_DIR}/precompiled/fmt_extern_templates.hpp)
set(RIOT_COMMON_PRECOMPILED_HEADERS
    <algorithm> <array> <atomic> <chrono> <cstddef> <cstdint> <filesystem> <functional> <map>
    <memory> <mutex> <optional> <span> <stdexcept> <string> <string_view> <thread>
    <unordered_map> <utility> <vector>
    <nlohmann/json.hpp> <spdlog/spdlog.h>)

function(riot_precompile_headers target)
  cmake_parse_arguments(ARG "TESTS" "" "EXTRA" ${ARGN})
  if(NOT RIOT_PRECOMPILED_HEADERS)
    return()
  endif()
  set(headers ${RIOT_COMMON_PRECOMPILED_HEADERS} ${ARG_EXTRA})
  if(ARG_TESTS)
    list(APPEND headers <gtest/gtest.h>)
  endif()
  target_precompile_headers(${target} PRIVATE ${headers} ${RIOT_FMT_EXTERN_TEMPLATES})
  # With a precompiled header, GCC 12 no longer treats libstdc++'s inlined
  # code as a system header's, so its own false positives on std::string's
  # copies (GCC bug 105329, the family of -Wrestrict in RiotWarnings.cmake)
  # would fail the build. Off for these targets with GCC 12 only: the
  # sanitizer builds check the same at run time.
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
    target_compile_options(${target} PRIVATE -Wno-array-bounds -Wno-stringop-overflow
                                             -Wno-stringop-overread)
  endif()
endfunction()

function(_riot_targets_below directory out)
  get_property(targets DIRECTORY ${directory} PROPERTY BUILDSYSTEM_TARGETS)
  get_property(subdirectories DIRECTORY ${directory} PROPERTY SUBDIRECTORIES)
  foreach(subdirectory IN LISTS subdirectories)
    _riot_targets_below(${subdirectory} below)
    list(APPEND targets ${below})
  endforeach()
  set(${out} ${targets} PARENT_SCOPE)
endfunction()

function(riot_use_fmt_extern_templates_elsewhere)
  _riot_targets_below(${PROJECT_SOURCE_DIR} targets)
  foreach(target IN LISTS targets)
    get_target_property(type ${target} TYPE)
    if(NOT type MATCHES "^(EXECUTABLE|STATIC_LIBRARY|SHARED_LIBRARY|MODULE_LIBRARY)$")
      continue()
    endif()
    get_target_property(precompiled ${target} PRECOMPILE_HEADERS)
    if(precompiled)
      continue()
    endif()
    # -include, joined to its file: a C source in the same target is left alone.
    target_compile_options(${target} PRIVATE
                           "$<$<COMPILE_LANGUAGE:CXX>:-include${RIOT_FMT_EXTERN_TEMPLATES}>")
  endforeach()
endfunction()
