# -DRIOT_SANITIZE=address,undefined builds everything with those sanitizers.
if(RIOT_SANITIZE)
  add_compile_options(-fsanitize=${RIOT_SANITIZE} -fno-omit-frame-pointer -fno-sanitize-recover=all)
  add_link_options(-fsanitize=${RIOT_SANITIZE})
  # GCC 12's flow analysis reports false "may be used uninitialized" warnings
  # inside libstdc++ (std::regex) once sanitizer instrumentation is added.
  add_compile_options(-Wno-maybe-uninitialized)
endif()
