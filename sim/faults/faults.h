// The built-in faults, one file each. Add a new one by writing its file and listing its
// function in registry.cc (see README.md in this folder).
#pragma once

#include "sim/model/plugin.h"

namespace faultline {

Plugin vendor_outage_plugin();

}  // namespace faultline
