// docs/adapters.md against the catalogues it documents: every toxic kind has a row in the
// toxics table naming each of its attributes, and every row of inject's fault table is
// fault_map.cc's — so the page cannot drift from the code.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "adapters/inject/fault_map.h"
#include "adapters/proxy/toxic.h"

namespace faultline::testing {
namespace {

std::string page() {
  std::ifstream in(FAULTLINE_SOURCE_DIR "/docs/adapters.md");
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The table row that starts with `| first |`, or "".
std::string row(const std::string& text, const std::string& first) {
  const auto at = text.find("\n| " + first + " |");
  if (at == std::string::npos) return {};
  return text.substr(at + 1, text.find('\n', at + 1) - at - 1);
}

TEST(AdaptersDoc, EveryToxicAndAttributeIsInTheTable) {
  const std::string text = page();
  for (const proxy::ToxicKind& kind : proxy::toxic_kinds()) {
    const std::string r = row(text, "`" + std::string(kind.name) + "`");
    ASSERT_FALSE(r.empty()) << "no row for toxic " << kind.name;
    for (const proxy::AttributeSpec& a : kind.attributes)
      EXPECT_NE(r.find("`" + std::string(a.name) + "`"), std::string::npos)
          << kind.name << " row lacks attribute " << a.name;
  }
}

TEST(AdaptersDoc, TheFaultTableIsFaultMapsTable) {
  const std::string text = page();
  for (const inject::FaultMapping& m : inject::fault_mappings()) {
    const std::string r = row(text, std::string(m.fault));
    ASSERT_FALSE(r.empty()) << "no row for " << m.fault;
    EXPECT_NE(r.find(std::string(m.toxics)), std::string::npos) << m.fault;
  }
}

}  // namespace
}  // namespace faultline::testing
