// The plug-in registries' contract: sorted by name, duplicate and empty names kept out and
// reported (a static registrar cannot throw before main), and every built-in plug-in
// registered — the linker keeps registrars that nothing refers to (faultline_plugins links
// its archive whole).
#include "sim/model/registry.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "sim/plugins/plugins.h"

namespace faultline {
namespace {

void noop(const ScheduledFault&, World&) {}

TEST(Registry, KeepsPluginsSortedAndRejectsDuplicateAndEmptyNames) {
  Registry<FaultPlugin> r;
  r.add({{.name = "zeta", .summary = "z"}, noop});
  r.add({{.name = "alpha", .summary = "a"}, noop});
  r.add({{.name = "zeta", .summary = "again"}, noop});
  r.add({{.name = "", .summary = "nameless"}, noop});
  ASSERT_EQ(r.plugins().size(), 2u);
  EXPECT_EQ(r.plugins()[0].info.name, "alpha");
  EXPECT_EQ(r.catalogue()[1].name, "zeta");
  EXPECT_EQ(r.find("zeta")->info.summary, "z") << "the first registration stays";
  EXPECT_EQ(r.find("omega"), nullptr);
  ASSERT_EQ(r.errors().size(), 2u);
  EXPECT_EQ(r.errors()[0], "plug-in 'zeta' is registered twice");
}

TEST(Registry, TheBuiltInPluginsAreRegisteredAndLoadCleanly) {
  EXPECT_NE(fault_registry().find("vendor_outage"), nullptr);
  EXPECT_NE(mitigation_registry().find("vendor_failover"), nullptr);
  EXPECT_EQ(fault_registry().find("vendor_failover"), nullptr) << "faults and mitigations apart";
  EXPECT_TRUE(fault_registry().errors().empty());
  EXPECT_TRUE(mitigation_registry().errors().empty());
  const Catalogues c = builtin_catalogues();
  EXPECT_TRUE(
      std::is_sorted(c.faults.begin(), c.faults.end(),
                     [](const PluginInfo& a, const PluginInfo& b) { return a.name < b.name; }));
  EXPECT_EQ(c.faults.size(), fault_registry().plugins().size());
}

}  // namespace
}  // namespace faultline
