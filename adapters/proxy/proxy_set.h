// The proxies of one `faultline proxy` process by name, and the operations of the control
// API on them with Toxiproxy's rules (ProxyCollection + ToxicCollection): create, update,
// populate (create-or-replace: a proxy whose listen and upstream are unchanged is kept,
// toxics and all), reset (enable every proxy, drop every toxic), delete; add, update and
// delete toxics with Toxiproxy's defaults (stream downstream, toxicity 1, name
// <type>_<stream>). Errors are ApiError with Toxiproxy's messages and codes; where
// Toxiproxy would answer 500 (a bad listen address, a port in use) or accept silently (an
// unknown attribute), this answers 400 or 409 naming the field (docs/adapters.md).
#pragma once

#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "adapters/proxy/proxy.h"

namespace faultline::proxy {

class ProxySet {
 public:
  explicit ProxySet(std::shared_ptr<Runtime> runtime) : runtime_(std::move(runtime)) {}
  ~ProxySet();

  std::shared_ptr<Proxy> get(const std::string& name) const;  // 404 "proxy not found"
  const std::map<std::string, std::shared_ptr<Proxy>>& all() const { return proxies_; }

  // POST /proxies: {name, listen, upstream, enabled = true}.
  std::shared_ptr<Proxy> create(const nlohmann::json& body);
  // POST|PATCH /proxies/{name}: the fields given change; listen/upstream changes restart.
  std::shared_ptr<Proxy> update(const std::string& name, const nlohmann::json& body);
  void remove(const std::string& name);
  // POST /populate (and --config, entry by entry). Returns the proxies made or kept; on an
  // error, throws PopulateError holding those made so far.
  std::vector<std::shared_ptr<Proxy>> populate(const nlohmann::json& body);
  // POST /reset.
  void reset();
  // Stops every proxy (shutdown).
  void stop_all();

  // POST /proxies/{p}/toxics.
  std::shared_ptr<const ToxicConfig> add_toxic(Proxy& proxy, const nlohmann::json& body);
  // POST|PATCH /proxies/{p}/toxics/{t}: attributes (partial) and toxicity.
  std::shared_ptr<const ToxicConfig> update_toxic(Proxy& proxy, const std::string& name,
                                                  const nlohmann::json& body);
  void remove_toxic(Proxy& proxy, const std::string& name);  // 404 "toxic not found"

 private:
  std::shared_ptr<Runtime> runtime_;
  std::map<std::string, std::shared_ptr<Proxy>> proxies_;  // by name: the API lists sorted
};

struct PopulateError : ApiError {
  PopulateError(const ApiError& error, std::vector<std::shared_ptr<Proxy>> done, std::size_t at)
      : ApiError(error), proxies(std::move(done)), index(at) {}
  std::vector<std::shared_ptr<Proxy>> proxies;
  std::size_t index;  // the entry that failed (0-based)
};

}  // namespace faultline::proxy
