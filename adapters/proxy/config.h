// `faultline proxy --config FILE`: Toxiproxy's config file — a list of proxies, as POST
// /populate takes them — where each proxy may also list its toxics, as POST
// /proxies/{name}/toxics takes them, so a fault setup is one reviewed file instead of a
// script of API calls. JSON (Toxiproxy's format) or YAML. A mistake is reported as
// file:line:col with what was expected (ScenarioError, exit 2), and nothing half-made
// stays: on an error every proxy the file made is removed again.
//
//   [{"name": "alpha", "listen": "127.0.0.1:26001", "upstream": "127.0.0.1:9001",
//     "toxics": [{"type": "latency", "stream": "downstream",
//                 "attributes": {"latency": 200, "jitter": 50}}]}]
#pragma once

#include <string>

#include "adapters/proxy/proxy_set.h"

namespace faultline::proxy {

// Loads `path` into `proxies`; returns how many proxies it declared.
std::size_t load_config(const std::string& path, ProxySet& proxies);

}  // namespace faultline::proxy
