# Registers the tests of `expect:`, verdicts, CI outputs (sim/check) and the HTML report
# (reports/). Included from tests/unit/CMakeLists.txt; kept in its own file so this work
# adds one line to that shared manifest.
faultline_test(NAME check_test SRCS expect_test.cc DEPS faultline_check faultline_model LABELS unit)
faultline_test(NAME report_test SRCS report_test.cc DEPS faultline_report faultline_pipeline LABELS unit)
