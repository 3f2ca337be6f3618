# Records the git revision at configure time so every output can name the exact source
# it came from (DESIGN.md, "What every output carries").
include_guard(GLOBAL)
find_package(Git QUIET)
set(FAULTLINE_GIT_REVISION "unknown")
if(GIT_FOUND AND EXISTS "${PROJECT_SOURCE_DIR}/.git")
  execute_process(
    COMMAND ${GIT_EXECUTABLE} rev-parse --short=12 HEAD
    WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
    OUTPUT_VARIABLE _rev OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET RESULT_VARIABLE _rc)
  if(_rc EQUAL 0 AND _rev)
    set(FAULTLINE_GIT_REVISION "${_rev}")
    execute_process(
      COMMAND ${GIT_EXECUTABLE} status --porcelain --untracked-files=no
      WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
      OUTPUT_VARIABLE _dirty OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
    if(_dirty)
      set(FAULTLINE_GIT_REVISION "${FAULTLINE_GIT_REVISION}-dirty")
    endif()
  endif()
endif()
# The build type `faultline --version` names: a Release package, a Debug dev tree, asan.
set(FAULTLINE_BUILD_TYPE "${CMAKE_BUILD_TYPE}")
if(NOT FAULTLINE_BUILD_TYPE)
  set(FAULTLINE_BUILD_TYPE "unspecified")
endif()
if(FAULTLINE_SANITIZE)
  string(APPEND FAULTLINE_BUILD_TYPE "+sanitizers")
endif()
configure_file(${PROJECT_SOURCE_DIR}/sim/version.h.in ${PROJECT_BINARY_DIR}/generated/faultline/version.h @ONLY)
