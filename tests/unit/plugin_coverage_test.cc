// Every fault and mitigation file registered itself, and every model-level plug-in has an
// effect test in this binary (faults_test.cc, mitigations_test.cc, payments_test.cc);
// network-level ones: tests/simgrid/network_plugins_test.cc. See tests/plugin_coverage.h.
#include "tests/plugin_coverage.h"

#include <gtest/gtest-spi.h>

namespace faultline {
namespace {

TEST(PluginCoverage, EveryFaultFileRegisteredAndEveryFaultHasAnEffectTest) {
  testing::expect_files_and_effect_tests(fault_registry(), FAULTLINE_FAULT_FILES, false);
}

TEST(PluginCoverage, EveryMitigationFileRegisteredAndEveryMitigationHasAnEffectTest) {
  testing::expect_files_and_effect_tests(mitigation_registry(), FAULTLINE_MITIGATION_FILES, false);
}

// The failures the coverage check reports for a registry and a file list, as text.
std::string coverage_failures(const Registry<FaultPlugin>& r, std::string_view files) {
  ::testing::TestPartResultArray results;
  {
    const ::testing::ScopedFakeTestPartResultReporter intercept(
        ::testing::ScopedFakeTestPartResultReporter::INTERCEPT_ONLY_CURRENT_THREAD, &results);
    testing::expect_files_and_effect_tests(r, files, false);
  }
  std::string out;
  for (int i = 0; i < results.size(); ++i) out += results.GetTestPartResult(i).message();
  return out;
}

TEST(PluginCoverage, FailsForAPluginWithoutATestOrAFile) {
  Registry<FaultPlugin> r;
  r.add({{.name = "untested_thing"}});
  EXPECT_NE(coverage_failures(r, "untested_thing,").find("untested_thing has no effect test"),
            std::string::npos);
  EXPECT_NE(coverage_failures(r, "").find("untested_thing is registered by no file"),
            std::string::npos);
  EXPECT_NE(coverage_failures(r, "untested_thing,lost,").find("lost.cc did not register"),
            std::string::npos);
  Registry<FaultPlugin> tested;
  tested.add({{.name = "plugin_coverage"}});  // this very suite's name
  EXPECT_EQ(coverage_failures(tested, "plugin_coverage,"), "");
}

TEST(PluginCoverage, CamelCaseNames) {
  EXPECT_EQ(testing::camel_case("vendor_outage"), "VendorOutage");
  EXPECT_EQ(testing::camel_case("non_sms_otp"), "NonSmsOtp");
}

}  // namespace
}  // namespace faultline
