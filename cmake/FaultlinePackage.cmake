# Installing and packaging faultline (issue 20; docs/install.md).
#
#   cmake --install build/package            bin/faultline, share/faultline/scenarios
#                                            (+ scenario.schema.json), the man page,
#                                            bash/zsh/fish completions, share/doc/faultline
#   cpack --config build/package/CPackConfig.cmake   faultline_<version>_amd64.deb
#
# The man page and the completions are generated at build time by the binary itself
# (`faultline man`, `faultline completion SHELL`) from the option definitions its --help
# prints, so they cannot drift from the CLI. The report's assets (Vega and the report's
# own CSS/JS) are compiled into the binary; only their licences are installed.
include_guard(GLOBAL)
include(GNUInstallDirs)

set(_gen "${PROJECT_BINARY_DIR}/generated/share")
add_custom_command(
  OUTPUT ${_gen}/faultline.1.gz ${_gen}/faultline.bash ${_gen}/_faultline ${_gen}/faultline.fish
  COMMAND ${CMAKE_COMMAND} -E make_directory ${_gen}
  COMMAND $<TARGET_FILE:faultline> man -o ${_gen}/faultline.1
  COMMAND gzip -9nf ${_gen}/faultline.1
  COMMAND $<TARGET_FILE:faultline> completion bash > ${_gen}/faultline.bash
  COMMAND $<TARGET_FILE:faultline> completion zsh > ${_gen}/_faultline
  COMMAND $<TARGET_FILE:faultline> completion fish > ${_gen}/faultline.fish
  DEPENDS faultline
  COMMENT "Generating the man page and the shell completions from faultline's options"
  VERBATIM)
add_custom_target(faultline_docs ALL
  DEPENDS ${_gen}/faultline.1.gz ${_gen}/faultline.bash ${_gen}/_faultline ${_gen}/faultline.fish)

install(TARGETS faultline RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
# The SimGrid engine, loaded by faultline for `engine: simgrid` only (sim/engines/simgrid/module.h).
install(TARGETS faultline_simgrid_module LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}/faultline)
file(GLOB _scenarios CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/scenarios/*.yaml)
install(FILES ${_scenarios} ${PROJECT_SOURCE_DIR}/scenarios/scenario.schema.json
        DESTINATION ${CMAKE_INSTALL_DATADIR}/faultline/scenarios)
install(FILES ${_gen}/faultline.1.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES ${_gen}/faultline.bash DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions
        RENAME faultline)
install(FILES ${_gen}/_faultline DESTINATION ${CMAKE_INSTALL_DATADIR}/zsh/vendor-completions)
install(FILES ${_gen}/faultline.fish DESTINATION ${CMAKE_INSTALL_DATADIR}/fish/vendor_completions.d)
install(FILES ${PROJECT_SOURCE_DIR}/README.md
              ${PROJECT_SOURCE_DIR}/third_party/vega/LICENSE.vega
              ${PROJECT_SOURCE_DIR}/third_party/vega/LICENSE.vega-lite
              ${PROJECT_SOURCE_DIR}/third_party/vega/LICENSE.vega-embed
        DESTINATION ${CMAKE_INSTALL_DOCDIR})

# The Debian package. Depends: comes from dpkg-shlibdeps (the shared libraries the binary
# really links: SimGrid, yaml-cpp, Boost.Program_options, libstdc++…), so it names the
# runtime packages of the Debian release it was built on.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME faultline)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "faultline developers <faultline@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "simulate reminder and payment systems under faults, compare mitigations")
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
    "simulate reminder and payment systems under faults, compare mitigations\n faultline is a discrete-event simulator and chaos-testing framework for the\n systems that remind borrowers to pay and let them pay. It replays YAML\n scenarios of faults and measures missed payments and lost notifications\n under each mitigation strategy, with confidence intervals.")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # faultline_<version>_<arch>.deb
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "bash-completion")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_OUTPUT_FILE_PREFIX ${PROJECT_BINARY_DIR})
include(CPack)
