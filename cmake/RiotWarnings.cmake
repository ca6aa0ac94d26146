# Warnings every riot target compiles with. The build stays free of them.
add_library(riot_warnings INTERFACE)
target_compile_options(riot_warnings INTERFACE -Wall -Wextra -Wpedantic -Wshadow
                                               -Wnon-virtual-dtor -Wno-missing-field-initializers)
if(RIOT_WERROR)
  target_compile_options(riot_warnings INTERFACE -Werror)
endif()

# GCC 12 reports -Wrestrict on std::string's operator+ (a literal plus a
# temporary string) once it inlines at -O3: a false positive of the compiler
# itself (GCC bug 105329, fixed in GCC 13), not of our code.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  target_compile_options(riot_warnings INTERFACE -Wno-restrict)
endif()
