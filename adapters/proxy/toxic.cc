#include "adapters/proxy/toxic.h"

#include <cmath>
#include <stdexcept>

namespace faultline::proxy {

std::string_view to_string(Stream stream) {
  return stream == Stream::kUpstream ? "upstream" : "downstream";
}

std::int64_t Attributes::integer(std::string_view name) const {
  return values_.at(std::string(name)).get<std::int64_t>();
}
double Attributes::number(std::string_view name) const {
  return values_.at(std::string(name)).get<double>();
}
std::string Attributes::text(std::string_view name) const {
  return values_.at(std::string(name)).get<std::string>();
}

const ToxicKind* find_toxic_kind(std::string_view name) {
  for (const ToxicKind& kind : toxic_kinds())
    if (kind.name == name) return &kind;
  return nullptr;
}

Attributes default_attributes(const ToxicKind& kind) {
  nlohmann::ordered_json values = nlohmann::ordered_json::object();
  for (const AttributeSpec& spec : kind.attributes)
    values[std::string(spec.name)] = nlohmann::ordered_json::parse(spec.default_value);
  return Attributes(std::move(values));
}

namespace {
std::string expected_list(const ToxicKind& kind) {
  if (kind.attributes.empty()) return "none";
  std::string out;
  for (const AttributeSpec& spec : kind.attributes)
    out += (out.empty() ? "" : ", ") + std::string(spec.name);
  return out;
}

std::string describe(double v) {
  if (v == std::floor(v) && std::abs(v) < 1e15) return std::to_string(static_cast<long long>(v));
  return nlohmann::json(v).dump();
}
}  // namespace

Attributes validate_attributes(const ToxicKind& kind, const nlohmann::json& input,
                               const Attributes* base) {
  nlohmann::ordered_json values = base ? base->json() : default_attributes(kind).json();
  if (input.is_null()) return Attributes(std::move(values));
  if (!input.is_object())
    throw std::invalid_argument("attributes must be a JSON object, got " +
                                std::string(input.type_name()));
  for (const auto& [name, value] : input.items()) {
    const AttributeSpec* spec = nullptr;
    for (const AttributeSpec& s : kind.attributes)
      if (s.name == name) spec = &s;
    if (!spec)
      throw std::invalid_argument("unknown attribute '" + name + "' for toxic type " +
                                  std::string(kind.name) + " (expected " + expected_list(kind) +
                                  ")");
    const std::string where = "attribute " + name + " of " + std::string(kind.name);
    if (spec->kind == AttributeKind::kText) {
      if (!value.is_string())
        throw std::invalid_argument(where + " must be a string, got " + value.dump());
      values[name] = value;
      continue;
    }
    if (!value.is_number())
      throw std::invalid_argument(where + " must be a number, got " + value.dump());
    const double v = value.get<double>();
    if (spec->kind == AttributeKind::kInteger && (!value.is_number_integer() && v != std::floor(v)))
      throw std::invalid_argument(where + " must be a whole number, got " + value.dump());
    if (v < spec->min || v > spec->max)
      throw std::invalid_argument(where + " must be in [" + describe(spec->min) + ", " +
                                  (spec->max == std::numeric_limits<double>::max()
                                       ? std::string("∞")
                                       : describe(spec->max)) +
                                  "], got " + value.dump());
    // Whole numbers print as integers, as Go prints them.
    if (spec->kind == AttributeKind::kInteger || v == std::floor(v))
      values[name] = static_cast<std::int64_t>(v);
    else
      values[name] = v;
  }
  Attributes result(std::move(values));
  if (kind.check) {
    const std::string problem = kind.check(result);
    if (!problem.empty()) throw std::invalid_argument(problem);
  }
  return result;
}

nlohmann::ordered_json ToxicConfig::to_json() const {
  nlohmann::ordered_json j;
  j["attributes"] = attributes.json();
  j["name"] = name;
  j["type"] = std::string(kind->name);
  j["stream"] = stream_text;
  // Go prints a float32 1 as `1`, not `1.0`: keep whole toxicities integral.
  if (toxicity == std::floor(toxicity))
    j["toxicity"] = static_cast<std::int64_t>(toxicity);
  else
    j["toxicity"] = toxicity;
  return j;
}

}  // namespace faultline::proxy
