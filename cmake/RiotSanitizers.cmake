# -DRIOT_SANITIZE=address,undefined builds everything with those sanitizers.
if(RIOT_SANITIZE)
  add_compile_options(-fsanitize=${RIOT_SANITIZE} -fno-omit-frame-pointer -fno-sanitize-recover=all)
  add_link_options(-fsanitize=${RIOT_SANITIZE})
endif()
