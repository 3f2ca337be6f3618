# `faultline check`, `run --report`/--baseline and `faultline report` through the binary
# (issue 6). Included from tests/e2e/CMakeLists.txt; kept in its own file so this work
# adds one line to that shared manifest. JUnit files are parsed back by junit_summary.py
# with the system Python's xml.etree.
faultline_test(NAME check_cli_test SRCS check_cli_test.cc DEPS nlohmann_json::nlohmann_json LABELS e2e)
target_compile_definitions(check_cli_test PRIVATE
  FAULTLINE_BINARY="$<TARGET_FILE:faultline>" FAULTLINE_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
  FAULTLINE_JUNIT_SUMMARY="${CMAKE_CURRENT_SOURCE_DIR}/junit_summary.py")
add_dependencies(check_cli_test faultline)
