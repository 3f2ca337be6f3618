// The layers of docs/architecture.md, kept true: no file under sim/ or reports/ includes a
// header of a layer above its own. A back-edge — the model including a plug-in, the
// scenario layer including the model — fails here with the file and the include.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <string>

namespace faultline {
namespace {

namespace fs = std::filesystem;

// Bottom to top (docs/architecture.md, "Layers"). The same rank may include each other.
const std::map<std::string, int> kRank = {
    {"sim/kernel", 0},      {"sim/random", 0},   {"sim/util", 0},     {"faultline", 0},
    {"sim/metrics", 1},     {"sim/scenario", 2}, {"sim/model", 3},    {"sim/faults", 4},
    {"sim/mitigations", 4}, {"sim/plugins", 4},  {"sim/engines", 5},  {"sim/experiment", 6},
    {"sim/output", 7},      {"sim/check", 8},    {"sim/pipeline", 9}, {"reports", 9},
    {"sim/scaleout", 10},   {"sim/cli", 11},
};

// Deprecated forwarding headers that keep old include paths working for one release:
// they include the layer the code moved to, and nothing of their own layer includes them.
const char* kForwarding[] = {"sim/model/plugin.h"};

int rank_of(const std::string& path) {
  for (const auto& [prefix, rank] : kRank)
    if (path.rfind(prefix + "/", 0) == 0) return rank;
  return -1;
}

TEST(Layering, NoFileIncludesALayerAboveItsOwn) {
  const fs::path root = FAULTLINE_SOURCE_DIR;
  const std::regex include("^#include \"([^\"]+)\"");
  int files = 0;
  for (const char* top : {"sim", "reports"}) {
    for (const auto& entry : fs::recursive_directory_iterator(root / top)) {
      const std::string ext = entry.path().extension();
      if (ext != ".cc" && ext != ".h") continue;
      const std::string path = fs::relative(entry.path(), root).generic_string();
      if (std::find(std::begin(kForwarding), std::end(kForwarding), path) != std::end(kForwarding))
        continue;
      const int own = rank_of(path);
      ASSERT_GE(own, 0) << path << " is in no layer: add its folder to kRank and to "
                        << "docs/architecture.md";
      ++files;
      std::ifstream in(entry.path());
      for (std::string line; std::getline(in, line);) {
        std::smatch m;
        if (!std::regex_search(line, m, include)) continue;
        const int theirs = rank_of(m[1]);
        if (theirs < 0) continue;  // a header of the same folder, included by a short path
        EXPECT_LE(theirs, own) << path << " includes " << m[1] << ", a layer above its own";
      }
    }
  }
  EXPECT_GT(files, 150);
}

TEST(Layering, NothingOfTheModelIncludesTheDeprecatedForwardingHeader) {
  const fs::path root = FAULTLINE_SOURCE_DIR;
  for (const char* dir : {"sim/model", "sim/scenario", "sim/kernel", "sim/metrics"}) {
    for (const auto& entry : fs::directory_iterator(root / dir)) {
      std::ifstream in(entry.path());
      for (std::string line; std::getline(in, line);)
        EXPECT_EQ(line.find("#include \"sim/model/plugin.h\""), std::string::npos)
            << entry.path() << ": include sim/model/registry.h or sim/plugins/plugins.h";
    }
  }
}

}  // namespace
}  // namespace faultline
