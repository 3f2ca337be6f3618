#include "sim/scenario/params.h"

#include <stdexcept>

#include "sim/scenario/units.h"

namespace faultline {

const char* to_string(ParamKind kind) {
  switch (kind) {
    case ParamKind::kDuration:
      return "duration";
    case ParamKind::kTimePoint:
      return "instant";
    case ParamKind::kRate:
      return "rate";
    case ParamKind::kProbability:
      return "probability";
    case ParamKind::kNumber:
      return "number";
    case ParamKind::kInteger:
      return "integer";
    case ParamKind::kBoolean:
      return "boolean";
    case ParamKind::kChoice:
      return "choice";
    case ParamKind::kVendor:
      return "vendor";
    case ParamKind::kCarrier:
      return "carrier";
    case ParamKind::kChannel:
      return "channel";
    case ParamKind::kChannelList:
      return "channel list";
    case ParamKind::kText:
      return "text";
  }
  return "?";
}

const ParamValue& ParamSet::get(std::string_view name) const {
  const auto it = values_.find(name);
  // Plug-ins only ask for parameters they declared, and the parser fills every declared
  // parameter (with its default when absent), so a miss is a programming error.
  if (it == values_.end()) throw std::logic_error("parameter not declared: " + std::string(name));
  return it->second;
}

namespace {
template <typename T>
bool take(const Parsed<T>& p, T& out, std::string& error) {
  if (!p.ok()) {
    error = p.error();
    return false;
  }
  out = p.value();
  return true;
}
}  // namespace

bool parse_param(const ParamSpec& spec, std::string_view text, ParamValue& out,
                 std::string& error) {
  out.kind = spec.kind;
  out.text = std::string(text);
  switch (spec.kind) {
    case ParamKind::kDuration:
      return take(parse_duration(text), out.time, error);
    case ParamKind::kTimePoint:
      return take(parse_time_point(text), out.time, error);
    case ParamKind::kRate:
      return take(parse_rate_per_s(text), out.number, error);
    case ParamKind::kProbability:
      return take(parse_probability(text), out.number, error);
    case ParamKind::kNumber:
      return take(parse_number(text), out.number, error);
    case ParamKind::kInteger: {
      long long v = 0;
      if (!take(parse_integer(text), v, error)) return false;
      out.number = static_cast<double>(v);
      return true;
    }
    case ParamKind::kBoolean: {
      bool b = false;
      if (!take(parse_boolean(text), b, error)) return false;
      out.number = b ? 1 : 0;
      return true;
    }
    case ParamKind::kChoice: {
      std::string_view rest = spec.choices;
      while (!rest.empty()) {
        const auto bar = rest.find('|');
        if (rest.substr(0, bar) == text) return true;
        rest = bar == std::string_view::npos ? std::string_view{} : rest.substr(bar + 1);
      }
      std::string list(spec.choices);
      for (char& c : list)
        if (c == '|') c = ',';
      error = "'" + std::string(text) + "' is not one of: " + list;
      return false;
    }
    case ParamKind::kVendor:  // references are checked by the parser, which knows the scenario
    case ParamKind::kCarrier:
    case ParamKind::kChannel:
    case ParamKind::kChannelList:
    case ParamKind::kText:
      return true;
  }
  return false;
}

std::vector<std::string> split_list(std::string_view text) {
  std::vector<std::string> out;
  while (!text.empty()) {
    const auto comma = text.find(',');
    std::string_view item = text.substr(0, comma);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    out.emplace_back(item);
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
  }
  return out;
}

}  // namespace faultline
