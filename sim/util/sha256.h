// SHA-256 (FIPS 180-4), in-tree so the scenario hash in every results file can be checked
// with `sha256sum scenario.yaml` and needs no crypto library.
#pragma once

#include <string>
#include <string_view>

namespace faultline {

std::string sha256_hex(std::string_view data);

}  // namespace faultline
