#include "adapters/proxy/proxy_set.h"

#include <algorithm>
#include <cctype>

#include "adapters/common/address.h"

namespace faultline::proxy {

namespace {

ApiError bad_body(const std::string& why) {
  return ApiError(400, "bad request body: " + why);
}

// A field of the body: absent (null) or of the given JSON type, else 400 naming it.
const nlohmann::json* field(const nlohmann::json& body, const char* name,
                            nlohmann::json::value_t type, const char* type_name) {
  const auto it = body.find(name);
  if (it == body.end() || it->is_null()) return nullptr;
  const bool ok =
      it->type() == type || (type == nlohmann::json::value_t::number_float && it->is_number());
  if (!ok)
    throw bad_body("field " + std::string(name) + " must be " + type_name + ", got " + it->dump());
  return &*it;
}

std::string text_field(const nlohmann::json& body, const char* name) {
  const auto* f = field(body, name, nlohmann::json::value_t::string, "a string");
  return f ? f->get<std::string>() : std::string();
}

void require_object(const nlohmann::json& body, const std::string& what) {
  if (!body.is_object())
    throw bad_body(what + " must be a JSON object, got " + std::string(body.type_name()));
}

// Toxiproxy compares listen addresses after resolving them ("localhost:7070" is
// "127.0.0.1:7070").
std::string resolved(const std::string& listen) {
  const auto hp = adapters::parse_host_port(listen.empty() ? "127.0.0.1:0" : listen);
  if (!hp) return listen;
  try {
    return adapters::to_string(adapters::resolve_endpoint(*hp));
  } catch (const std::exception&) {
    return listen;
  }
}

bool differs(const Proxy& proxy, const std::string& listen, const std::string& upstream) {
  return resolved(listen) != proxy.listen() || upstream != proxy.upstream();
}

}  // namespace

ProxySet::~ProxySet() {
  stop_all();
}

std::shared_ptr<Proxy> ProxySet::get(const std::string& name) const {
  const auto it = proxies_.find(name);
  if (it == proxies_.end()) throw ApiError(404, "proxy not found");
  return it->second;
}

std::shared_ptr<Proxy> ProxySet::create(const nlohmann::json& body) {
  require_object(body, "a proxy");
  const std::string name = text_field(body, "name");
  const std::string listen = text_field(body, "listen");
  const std::string upstream = text_field(body, "upstream");
  const auto* enabled = field(body, "enabled", nlohmann::json::value_t::boolean, "true or false");
  if (name.empty()) throw ApiError(400, "missing required field: name");
  if (upstream.empty()) throw ApiError(400, "missing required field: upstream");
  if (proxies_.count(name)) throw ApiError(409, "proxy already exists");
  auto proxy = std::make_shared<Proxy>(runtime_, name, listen, upstream);
  if (!enabled || enabled->get<bool>()) proxy->start();
  proxies_[name] = proxy;
  return proxy;
}

std::shared_ptr<Proxy> ProxySet::update(const std::string& name, const nlohmann::json& body) {
  auto proxy = get(name);
  require_object(body, "a proxy");
  const auto* listen = field(body, "listen", nlohmann::json::value_t::string, "a string");
  const auto* upstream = field(body, "upstream", nlohmann::json::value_t::string, "a string");
  const auto* enabled = field(body, "enabled", nlohmann::json::value_t::boolean, "true or false");
  const std::string new_listen = listen ? listen->get<std::string>() : proxy->listen();
  const std::string new_upstream = upstream ? upstream->get<std::string>() : proxy->upstream();
  const bool want_enabled = enabled ? enabled->get<bool>() : proxy->enabled();
  if (differs(*proxy, new_listen, new_upstream)) {
    const bool was_enabled = proxy->enabled();
    proxy->stop();
    try {
      proxy->set_addresses(new_listen, new_upstream);
    } catch (const ApiError&) {
      if (was_enabled) proxy->start();
      throw;
    }
  }
  if (want_enabled)
    proxy->start();
  else
    proxy->stop();
  return proxy;
}

void ProxySet::remove(const std::string& name) {
  auto proxy = get(name);
  proxy->stop();
  proxies_.erase(name);
}

void ProxySet::stop_all() {
  for (auto& [name, proxy] : proxies_) proxy->stop();
}

void ProxySet::reset() {
  for (auto& [name, proxy] : proxies_) {
    proxy->start();
    proxy->remove_all_toxics();
  }
}

std::vector<std::shared_ptr<Proxy>> ProxySet::populate(const nlohmann::json& body) {
  if (!body.is_array())
    throw bad_body("json: cannot unmarshal " + std::string(body.type_name()) +
                   " into a list of proxies");
  // Every entry is checked before any proxy is made (Toxiproxy's order).
  for (std::size_t i = 0; i < body.size(); ++i) {
    const auto& entry = body[i];
    require_object(entry, "proxy " + std::to_string(i + 1));
    if (text_field(entry, "name").empty())
      throw PopulateError(
          ApiError(400, "missing required field: name at proxy " + std::to_string(i + 1)), {}, i);
    if (text_field(entry, "upstream").empty())
      throw PopulateError(
          ApiError(400, "missing required field: upstream at proxy " + std::to_string(i + 1)), {},
          i);
    field(entry, "listen", nlohmann::json::value_t::string, "a string");
    field(entry, "enabled", nlohmann::json::value_t::boolean, "true or false");
  }
  std::vector<std::shared_ptr<Proxy>> done;
  for (std::size_t i = 0; i < body.size(); ++i) {
    const auto& entry = body[i];
    const std::string name = text_field(entry, "name");
    const std::string listen = text_field(entry, "listen");
    const std::string upstream = text_field(entry, "upstream");
    const auto* enabled = field(entry, "enabled", nlohmann::json::value_t::boolean, "");
    try {
      const auto existing = proxies_.find(name);
      if (existing != proxies_.end() && !differs(*existing->second, listen, upstream)) {
        done.push_back(existing->second);
        continue;
      }
      auto proxy = std::make_shared<Proxy>(runtime_, name, listen, upstream);
      if (existing != proxies_.end()) existing->second->stop();
      if (!enabled || enabled->get<bool>()) proxy->start();
      proxies_[name] = proxy;
      done.push_back(proxy);
    } catch (const ApiError& e) {
      throw PopulateError(e, done, i);
    }
  }
  return done;
}

std::shared_ptr<const ToxicConfig> ProxySet::add_toxic(Proxy& proxy, const nlohmann::json& body) {
  require_object(body, "a toxic");
  auto toxic = std::make_shared<ToxicConfig>();
  toxic->name = text_field(body, "name");
  const std::string type = text_field(body, "type");
  if (const auto* stream = field(body, "stream", nlohmann::json::value_t::string, "a string"))
    toxic->stream_text = stream->get<std::string>();
  if (const auto* toxicity =
          field(body, "toxicity", nlohmann::json::value_t::number_float, "a number"))
    toxic->toxicity = toxicity->get<double>();
  std::string lower = toxic->stream_text;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (lower == "upstream")
    toxic->stream = Stream::kUpstream;
  else if (lower == "downstream")
    toxic->stream = Stream::kDownstream;
  else
    throw ApiError(400, "stream was invalid, can be either upstream or downstream");
  if (toxic->name.empty()) toxic->name = type + "_" + toxic->stream_text;
  toxic->kind = find_toxic_kind(type);
  if (!toxic->kind) {
    std::string known;
    for (const ToxicKind& kind : toxic_kinds())
      known += (known.empty() ? "" : ", ") + std::string(kind.name);
    throw ApiError(400, "invalid toxic type: '" + type + "' (expected one of " + known + ")");
  }
  if (proxy.find_toxic(toxic->name)) throw ApiError(409, "toxic already exists");
  if (toxic->toxicity < 0 || toxic->toxicity > 1)
    throw bad_body("toxicity must be in [0, 1], got " + body["toxicity"].dump());
  try {
    const auto it = body.find("attributes");
    toxic->attributes =
        validate_attributes(*toxic->kind, it == body.end() ? nlohmann::json() : *it, nullptr);
  } catch (const std::invalid_argument& e) {
    throw bad_body(e.what());
  }
  proxy.add_toxic(toxic);
  return toxic;
}

std::shared_ptr<const ToxicConfig> ProxySet::update_toxic(Proxy& proxy, const std::string& name,
                                                          const nlohmann::json& body) {
  const auto current = proxy.find_toxic(name);
  if (!current) throw ApiError(404, "toxic not found");
  require_object(body, "a toxic");
  auto toxic = std::make_shared<ToxicConfig>(*current);
  if (const auto* toxicity =
          field(body, "toxicity", nlohmann::json::value_t::number_float, "a number")) {
    toxic->toxicity = toxicity->get<double>();
    if (toxic->toxicity < 0 || toxic->toxicity > 1)
      throw bad_body("toxicity must be in [0, 1], got " + toxicity->dump());
  }
  try {
    const auto it = body.find("attributes");
    if (it != body.end())
      toxic->attributes = validate_attributes(*toxic->kind, *it, &current->attributes);
  } catch (const std::invalid_argument& e) {
    throw bad_body(e.what());
  }
  toxic->generation = current->generation + 1;
  proxy.update_toxic(toxic);
  return toxic;
}

void ProxySet::remove_toxic(Proxy& proxy, const std::string& name) {
  if (!proxy.find_toxic(name)) throw ApiError(404, "toxic not found");
  proxy.remove_toxic(name);
}

}  // namespace faultline::proxy
