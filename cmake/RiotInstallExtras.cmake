# What `cmake --install` puts under share/ besides the binaries: the man page
# and shell completions (made from the launcher's own --help at build time, so
# they list exactly the options the binary has), the docs and the licence.
set(RIOT_CLI_FILES_DIR ${PROJECT_BINARY_DIR}/share)
set(RIOT_CLI_FILES ${RIOT_CLI_FILES_DIR}/riot.1 ${RIOT_CLI_FILES_DIR}/riot.bash
                   ${RIOT_CLI_FILES_DIR}/_riot)
add_custom_command(
  OUTPUT ${RIOT_CLI_FILES}
  COMMAND ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/cmake/generate_cli_files.py
          $<TARGET_FILE:riot> ${RIOT_CLI_FILES_DIR} ${PROJECT_VERSION}
  DEPENDS riot ${PROJECT_SOURCE_DIR}/cmake/generate_cli_files.py
  COMMENT "Writing the man page and shell completions from riot --help")
add_custom_target(riot-cli-files ALL DEPENDS ${RIOT_CLI_FILES})

install(FILES ${RIOT_CLI_FILES_DIR}/riot.1 DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES ${RIOT_CLI_FILES_DIR}/riot.bash DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions
        RENAME riot)
install(FILES ${RIOT_CLI_FILES_DIR}/_riot DESTINATION ${CMAKE_INSTALL_DATADIR}/zsh/vendor-completions)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(FILES ${PROJECT_SOURCE_DIR}/README.md ${PROJECT_SOURCE_DIR}/LICENSE
        DESTINATION ${CMAKE_INSTALL_DOCDIR})
