// The tables in docs/ that come from the registries and the metric catalogue: every block
// between "<!-- faultline list ARGS -->" and "<!-- end faultline list -->" must be exactly
// what `faultline list ARGS` prints today (scripts/update-doc-tables.sh regenerates them),
// so the docs cannot drift from the plug-ins' own descriptions.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "sim/plugins/listing.h"

namespace faultline {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> words(const std::string& text) {
  std::istringstream in(text);
  std::vector<std::string> out;
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

TEST(DocTables, EveryGeneratedTableMatchesTheRegistry) {
  const std::regex block("<!-- faultline list (.*?) -->\n([^]*?)<!-- end faultline list -->");
  int tables = 0;
  for (const auto& entry : fs::directory_iterator(fs::path(FAULTLINE_SOURCE_DIR) / "docs")) {
    if (entry.path().extension() != ".md") continue;
    std::ifstream in(entry.path());
    std::stringstream buf;
    buf << in.rdbuf();
    const std::string text = buf.str();
    for (auto m = std::sregex_iterator(text.begin(), text.end(), block);
         m != std::sregex_iterator(); ++m) {
      ++tables;
      const std::string args = (*m)[1];
      EXPECT_EQ((*m)[2].str(), catalogue_listing(words(args)))
          << entry.path().filename() << ", faultline list " << args
          << ": run scripts/update-doc-tables.sh";
    }
  }
  // docs/scenarios.md: faults' and mitigations' parameters; docs/model.md: their effects.
  EXPECT_GE(tables, 4);
}

TEST(DocTables, ListingRejectsWhatItDoesNotKnow) {
  EXPECT_THROW(catalogue_listing({}), std::invalid_argument);
  EXPECT_THROW(catalogue_listing({"toxics"}), std::invalid_argument);
  EXPECT_THROW(catalogue_listing({"faults", "--format", "html"}), std::invalid_argument);
  EXPECT_THROW(catalogue_listing({"faults", "--table"}), std::invalid_argument);
  const std::string md = catalogue_listing({"faults", "--format", "markdown"});
  EXPECT_EQ(md.rfind("| fault | parameters (defaults) |\n|---|---|\n", 0), 0u);
  EXPECT_NE(md.find("| `vendor_outage` | `target` (vendor, required), `mode` (`reject` \\| "),
            std::string::npos);
  EXPECT_NE(md.find("| `link_outage` (engine: simgrid) |"), std::string::npos);
  EXPECT_EQ(md.find("`onset_spread`"), std::string::npos) << "shared schedule parameters: once";
  EXPECT_NE(catalogue_listing({"metrics", "--format", "markdown"})
                .find("| `missed_payment_rate` | ratio |"),
            std::string::npos);
}

}  // namespace
}  // namespace faultline
