# Tiny declarative helpers so each folder's CMakeLists.txt reads like a manifest
# (after Abseil's absl_cc_library / absl_cc_test).
include_guard(GLOBAL)

# faultline_library(NAME name SRCS ... DEPS ...)
function(faultline_library)
  cmake_parse_arguments(FL "" "NAME" "SRCS;DEPS" ${ARGN})
  add_library(${FL_NAME} STATIC ${FL_SRCS})
  target_include_directories(${FL_NAME} PUBLIC ${PROJECT_SOURCE_DIR})
  target_link_libraries(${FL_NAME} PUBLIC ${FL_DEPS})
endfunction()

# faultline_test(NAME name SRCS ... DEPS ... [LABELS ...])
function(faultline_test)
  cmake_parse_arguments(FL "" "NAME" "SRCS;DEPS;LABELS" ${ARGN})
  add_executable(${FL_NAME} ${FL_SRCS})
  target_link_libraries(${FL_NAME} PRIVATE ${FL_DEPS} GTest::gtest GTest::gtest_main)
  gtest_discover_tests(${FL_NAME} DISCOVERY_TIMEOUT 60 PROPERTIES LABELS "${FL_LABELS}")
endfunction()
