// The registries, walked: every plug-in file registered itself under its file's name
// (so the linker kept it), every registered plug-in has a file, and every registered
// plug-in has an effect test — a GoogleTest suite named after it in CamelCase
// (vendor_outage → VendorOutage) in the test binary that calls this. The file lists come
// from CMake (the same glob that builds faultline_plugins). Network plug-ins' tests run
// the SimGrid engine (tests/simgrid); the others are model tests (tests/unit).
#pragma once

#include <gtest/gtest.h>

#include <set>
#include <sstream>
#include <string>
#include <string_view>

#include "sim/model/registry.h"

namespace faultline::testing {

// "a,b,c," → {a, b, c}
inline std::set<std::string> split_names(std::string_view list) {
  std::set<std::string> out;
  std::string item;
  std::istringstream in{std::string(list)};
  while (std::getline(in, item, ','))
    if (!item.empty()) out.insert(item);
  return out;
}

inline std::string camel_case(std::string_view name) {
  std::string out;
  bool upper = true;
  for (const char c : name) {
    if (c == '_') {
      upper = true;
      continue;
    }
    out += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
    upper = false;
  }
  return out;
}

inline std::set<std::string> test_suites() {
  std::set<std::string> out;
  const ::testing::UnitTest& unit = *::testing::UnitTest::GetInstance();
  for (int i = 0; i < unit.total_test_suite_count(); ++i)
    if (unit.GetTestSuite(i)->total_test_count() > 0) out.insert(unit.GetTestSuite(i)->name());
  return out;
}

template <typename Plugin>
void expect_files_and_effect_tests(const Registry<Plugin>& registry, std::string_view files,
                                   bool network) {
  const std::set<std::string> expected = split_names(files), suites = test_suites();
  std::set<std::string> registered;
  for (const Plugin& p : registry.plugins()) {
    registered.insert(std::string(p.info.name));
    if (p.info.network != network) continue;
    EXPECT_TRUE(suites.count(camel_case(p.info.name)))
        << p.info.name << " has no effect test: write a test suite " << camel_case(p.info.name);
  }
  for (const std::string& f : expected)
    EXPECT_TRUE(registered.count(f)) << f << ".cc did not register a plug-in named " << f;
  for (const std::string& r : registered)
    EXPECT_TRUE(expected.count(r)) << r << " is registered by no file of its own name";
}

}  // namespace faultline::testing
