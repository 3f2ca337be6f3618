// Deprecated include path, kept for one release so branches that include it still build:
// the plug-in registry is sim/model/registry.h, and loading scenarios against the
// built-in plug-ins (builtin_catalogues, load_scenario, check_plugins) is
// sim/plugins/plugins.h, a layer above the model. Nothing in sim/model includes this file
// (tests/unit/layering_test.cc checks it). See docs/architecture.md.
#pragma once

#include "sim/model/registry.h"
#include "sim/plugins/plugins.h"
