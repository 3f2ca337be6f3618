// Embedded report assets: every vendored file is in the binary, byte for byte equal to
// the file in third_party/vega it was generated from (so a stale or truncated generated
// source is caught), and lookups of unknown names fail loudly instead of returning "".
#include "faultline/assets.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#ifndef FAULTLINE_VEGA_DIR
#error "FAULTLINE_VEGA_DIR must name third_party/vega (set in tests/unit/assets.cmake)"
#endif

namespace faultline {
namespace {

const std::vector<std::string> kExpectedNames = {
    "LICENSE.vega",      "LICENSE.vega-embed", "LICENSE.vega-lite",
    "vega-embed.min.js", "vega-lite.min.js",   "vega.min.js",
};

std::string read_source(const std::string& name) {
  const std::string path = std::string(FAULTLINE_VEGA_DIR) + "/" + name;
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

TEST(Assets, NamesAreTheSortedBaseNames) {
  const std::vector<std::string_view> names = assets::names();
  ASSERT_EQ(names.size(), kExpectedNames.size());
  for (std::size_t i = 0; i < names.size(); ++i) EXPECT_EQ(names[i], kExpectedNames[i]);
  EXPECT_TRUE(std::is_sorted(names.begin(), names.end()));
}

TEST(Assets, EachAssetEqualsItsSourceFile) {
  for (const std::string& name : kExpectedNames) {
    SCOPED_TRACE(name);
    const std::string_view embedded = assets::get(name);
    const std::string source = read_source(name);
    ASSERT_FALSE(embedded.empty());
    ASSERT_EQ(embedded.size(), source.size());
    // Compare the beginning first so a mismatch prints something readable.
    EXPECT_EQ(embedded.substr(0, 64), std::string_view(source).substr(0, 64));
    EXPECT_TRUE(embedded == source) << "contents differ from " FAULTLINE_VEGA_DIR "/" << name;
    // The generator appends a NUL after the data (outside the view).
    EXPECT_EQ(embedded.data()[embedded.size()], '\0');
  }
}

TEST(Assets, ScriptsAndLicencesLookRight) {
  // Catches a swapped or mis-vendored file even when the bytes match the disk.
  EXPECT_NE(assets::get("vega.min.js").find("vega"), std::string_view::npos);
  EXPECT_NE(assets::get("vega-embed.min.js").find("vegaEmbed"), std::string_view::npos);
  for (const char* licence : {"LICENSE.vega", "LICENSE.vega-lite", "LICENSE.vega-embed"}) {
    EXPECT_NE(assets::get(licence).find("Copyright"), std::string_view::npos) << licence;
  }
}

TEST(Assets, UnknownNameThrows) {
  EXPECT_THROW(assets::get("no-such-file.js"), std::out_of_range);
  EXPECT_THROW(assets::get(""), std::out_of_range);
  // Names are base names, not paths.
  EXPECT_THROW(assets::get("third_party/vega/vega.min.js"), std::out_of_range);
}

}  // namespace
}  // namespace faultline
