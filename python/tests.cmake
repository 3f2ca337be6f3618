# The pytest suite (python/tests), one ctest per file so `ctest --parallel` spreads them,
# on Debian's /usr/bin/python3 with its pandas and pytest, against the package in the
# build tree. Label `python`.
#
# Registered in the dev and release builds (CI runs them in `scripts/test.sh dev`), not
# under the sanitizers unless asked: loading a sanitized module into Debian's
# uninstrumented interpreter (LD_PRELOAD below) has not been verified on CI's machine yet,
# and the suite would add minutes to CI's ASan run for C++ that the C++ suite already
# runs under ASan (the pipeline, the outputs). docs/python.md, "Tests".
option(FAULTLINE_PYTHON_SANITIZED_TESTS
       "Under FAULTLINE_SANITIZE, register the Python tests too (python/tests.cmake)" OFF)
if(FAULTLINE_SANITIZE AND NOT FAULTLINE_PYTHON_SANITIZED_TESTS)
  return()
endif()
set(python_test_env
  "PYTHONPATH=${CMAKE_CURRENT_BINARY_DIR}"
  "FAULTLINE_BIN=$<TARGET_FILE:faultline>"
  "FAULTLINE_SOURCE_DIR=${PROJECT_SOURCE_DIR}"
  "FAULTLINE_TEST_WORK=${CMAKE_CURRENT_BINARY_DIR}/test-work"
  "PYTHONDONTWRITEBYTECODE=1")
if(FAULTLINE_SANITIZE)
  # /usr/bin/python3 is not instrumented: the sanitizer runtimes the module needs must be
  # loaded first. Python keeps objects alive until exit by design, so leak checking is
  # off for the interpreter; everything else ASan and UBSan check stays on.
  execute_process(COMMAND ${CMAKE_CXX_COMPILER} -print-file-name=libasan.so
                  OUTPUT_VARIABLE asan_runtime OUTPUT_STRIP_TRAILING_WHITESPACE)
  execute_process(COMMAND ${CMAKE_CXX_COMPILER} -print-file-name=libubsan.so
                  OUTPUT_VARIABLE ubsan_runtime OUTPUT_STRIP_TRAILING_WHITESPACE)
  list(APPEND python_test_env
    "LD_PRELOAD=${asan_runtime}:${ubsan_runtime}"
    "ASAN_OPTIONS=detect_leaks=0:abort_on_error=1"
    "UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1"
    "FAULTLINE_SANITIZED=1")
endif()
file(GLOB python_tests CONFIGURE_DEPENDS "${CMAKE_CURRENT_SOURCE_DIR}/tests/test_*.py")
if(FAULTLINE_SANITIZE)
  # It builds and installs its own Release module: under the sanitizers it would only
  # repeat the dev run's build (tests/test_install.py).
  list(FILTER python_tests EXCLUDE REGEX "test_install\\.py$")
endif()
foreach(test IN LISTS python_tests)
  cmake_path(GET test STEM name)
  add_test(NAME python_${name}
    COMMAND ${Python_EXECUTABLE} -m pytest -q -p no:cacheprovider "${test}"
    WORKING_DIRECTORY "${PROJECT_SOURCE_DIR}")
  set_tests_properties(python_${name} PROPERTIES
    LABELS python TIMEOUT 900 ENVIRONMENT "${python_test_env}")
endforeach()
if(TEST python_test_install)
  # A Release build of the simulator's libraries and the module from scratch (~9 min of
  # CPU): on a busy 2-core machine it outlasts the suite's default 900 s. The property
  # overrides `ctest --timeout`.
  set_tests_properties(python_test_install PROPERTIES TIMEOUT 2400)
endif()
