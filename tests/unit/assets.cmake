# Registers assets_test (embedded report assets). Included from tests/unit/CMakeLists.txt;
# kept in its own file so the assets work did not have to edit that shared manifest.
faultline_test(NAME assets_test SRCS assets_test.cc DEPS faultline_assets LABELS unit)
# The test compares each embedded asset with the file it was generated from.
target_compile_definitions(assets_test PRIVATE
  FAULTLINE_VEGA_DIR="${PROJECT_SOURCE_DIR}/third_party/vega")
