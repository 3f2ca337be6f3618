// The control API of `faultline proxy`: Toxiproxy 2.x's HTTP API (same routes, JSON
// shapes, defaults, status codes and error bodies), so its clients work unchanged, plus
// GET /metrics (Prometheus text). Built on adapters/http; see docs/adapters.md for the
// route table and where this API deliberately differs.
#pragma once

#include <string>

#include "adapters/http/router.h"
#include "adapters/proxy/proxy_set.h"

namespace faultline::proxy {

// What GET /version reports: the Toxiproxy release whose API this one follows, with
// faultline's version as semver build metadata ("2.12.0+faultline.0.1.0"), so a client
// that compares versions sees 2.12.0.
std::string api_version();

// The routes, bound to `proxies` (which must outlive the router).
http::Router make_api_router(ProxySet& proxies);

// Prometheus text exposition of every proxy's counters (metrics.cc).
std::string prometheus_metrics(const ProxySet& proxies);

}  // namespace faultline::proxy
