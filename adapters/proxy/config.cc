#include "adapters/proxy/config.h"

#include <yaml-cpp/yaml.h>

#include <filesystem>

#include "sim/scenario/yaml_reader.h"

namespace faultline::proxy {

namespace {

// YAML → JSON, keeping what the text meant: a quoted scalar is a string, a plain one a
// number, boolean or null when it reads as one.
nlohmann::json to_json(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Sequence: {
      nlohmann::json out = nlohmann::json::array();
      for (const auto& item : node) out.push_back(to_json(item));
      return out;
    }
    case YAML::NodeType::Map: {
      nlohmann::json out = nlohmann::json::object();
      for (const auto& kv : node) out[kv.first.as<std::string>()] = to_json(kv.second);
      return out;
    }
    case YAML::NodeType::Scalar: {
      const std::string text = node.Scalar();
      if (node.Tag() == "!") return text;  // quoted
      if (text == "true") return true;
      if (text == "false") return false;
      if (text == "null" || text == "~") return nullptr;
      try {
        std::size_t used = 0;
        const long long i = std::stoll(text, &used);
        if (used == text.size()) return i;
        const double d = std::stod(text, &used);
        if (used == text.size()) return d;
      } catch (const std::exception&) {
      }
      return text;
    }
    default:
      return nullptr;
  }
}

}  // namespace

std::size_t load_config(const std::string& path, ProxySet& proxies) {
  YamlReader reader(path);
  if (!std::filesystem::is_regular_file(path))
    throw ScenarioError(path, {1, 1}, "cannot read the config file: no such file");
  YAML::Node root;
  try {
    root = YAML::LoadFile(path);
  } catch (const YAML::ParserException& e) {
    throw ScenarioError(path, {e.mark.line + 1, e.mark.column + 1}, e.msg);
  } catch (const YAML::Exception& e) {
    throw ScenarioError(path, {1, 1}, std::string("cannot read the config file: ") + e.what());
  }
  if (!root.IsSequence())
    reader.fail(root,
                "expected a list of proxies (Toxiproxy's config: [{\"name\": ..., "
                "\"listen\": ..., \"upstream\": ...}])");
  std::vector<std::string> made;
  try {
    for (std::size_t i = 0; i < root.size(); ++i) {
      const YAML::Node entry = root[i];
      const std::string context = "proxy " + std::to_string(i + 1);
      reader.expect_map(entry, context);
      reader.check_keys(entry, {"name", "listen", "upstream", "enabled", "toxics"}, context);
      reader.scalar(reader.require(entry, "name", context), context + ".name");
      reader.scalar(reader.require(entry, "upstream", context), context + ".upstream");
      nlohmann::json body = to_json(entry);
      body.erase("toxics");
      std::shared_ptr<Proxy> proxy;
      try {
        proxy = proxies.populate(nlohmann::json::array({body})).at(0);
      } catch (const ApiError& e) {
        reader.fail(entry, context + ": " + e.what());
      }
      made.push_back(proxy->name());
      if (const YAML::Node toxics = entry["toxics"]) {
        reader.expect_list(toxics, context + ".toxics");
        for (const auto& toxic : toxics) {
          reader.expect_map(toxic, context + ".toxics");
          reader.check_keys(toxic, {"name", "type", "stream", "toxicity", "attributes"},
                            context + ".toxics");
          try {
            proxies.add_toxic(*proxy, to_json(toxic));
          } catch (const ApiError& e) {
            reader.fail(toxic, "proxy " + proxy->name() + ": " + e.what());
          }
        }
      }
    }
  } catch (const ScenarioError&) {
    for (const auto& name : made) {
      try {
        proxies.remove(name);
      } catch (const ApiError&) {
      }
    }
    throw;
  }
  return root.size();
}

}  // namespace faultline::proxy
