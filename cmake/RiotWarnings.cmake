# Warnings every riot target compiles with. The build stays free of them.
add_library(riot_warnings INTERFACE)
target_compile_options(riot_warnings INTERFACE -Wall -Wextra -Wpedantic -Wshadow
                                               -Wnon-virtual-dtor -Wno-missing-field-initializers)
if(RIOT_WERROR)
  target_compile_options(riot_warnings INTERFACE -Werror)
endif()
