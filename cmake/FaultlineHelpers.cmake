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

# faultline_test(NAME name SRCS ... DEPS ... [LABELS label])
function(faultline_test)
  cmake_parse_arguments(FL "" "NAME" "SRCS;DEPS;LABELS" ${ARGN})
  # gtest_discover_tests flattens PROPERTIES into key/value pairs, so a second label would
  # silently become a property name and be lost: refuse it here instead (one label per
  # test executable; set_tests_properties takes lists for tests added with add_test).
  list(LENGTH FL_LABELS n_labels)
  if(n_labels GREATER 1)
    message(FATAL_ERROR "faultline_test(${FL_NAME}): one label expected, got '${FL_LABELS}' "
                        "(gtest_discover_tests would keep only the first)")
  endif()
  add_executable(${FL_NAME} ${FL_SRCS})
  target_link_libraries(${FL_NAME} PRIVATE ${FL_DEPS} GTest::gtest GTest::gtest_main)
  gtest_discover_tests(${FL_NAME} DISCOVERY_TIMEOUT 60 PROPERTIES LABELS "${FL_LABELS}")
endfunction()

# faultline_plugins(NAME name DIRS dir... [SRCS file...] DEPS ...)
# Every .cc in DIRS (relative to the calling folder) is a plug-in that registers itself
# with a static registrar (sim/model/registry.h), so adding one is adding a file: the glob
# finds it at the next build. Nothing refers to a registrar, and a linker takes from a
# static archive only the members something refers to, so the code is archived as
# NAME_code and NAME links it whole ($<LINK_LIBRARY:WHOLE_ARCHIVE,...>): link NAME, never
# NAME_code. The sources are recorded in the global property NAME_SOURCES (the plug-in
# coverage test reads it).
function(faultline_plugins)
  cmake_parse_arguments(FL "" "NAME" "DIRS;SRCS;DEPS" ${ARGN})
  set(srcs ${FL_SRCS})
  foreach(dir ${FL_DIRS})
    file(GLOB found CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/${dir}/*.cc)
    list(APPEND srcs ${found})
  endforeach()
  add_library(${FL_NAME}_code STATIC ${srcs})
  target_include_directories(${FL_NAME}_code PUBLIC ${PROJECT_SOURCE_DIR})
  target_link_libraries(${FL_NAME}_code PUBLIC ${FL_DEPS})
  add_library(${FL_NAME} INTERFACE)
  target_link_libraries(${FL_NAME} INTERFACE "$<LINK_LIBRARY:WHOLE_ARCHIVE,${FL_NAME}_code>")
  set_property(GLOBAL PROPERTY ${FL_NAME}_SOURCES ${srcs})
endfunction()
