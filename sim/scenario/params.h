// Self-describing parameters (after ns-3's attributes): every fault and mitigation
// declares its parameters once — name, kind, unit, default, help — and that declaration is
// the single source for YAML validation, `faultline list` and the docs.
#pragma once

#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sim/kernel/time.h"
#include "sim/scenario/error.h"

namespace faultline {

enum class ParamKind {
  kDuration,     // "15m"          → SimTime
  kTimePoint,    // "12d 22:00"    → SimTime from the scenario start
  kRate,         // "500/s"        → per second
  kProbability,  // "2%" or 0.02   → [0, 1]
  kNumber,       // any finite number
  kInteger,      // whole number
  kBoolean,      // true / false
  kChoice,       // one of `choices`
  kVendor,   // name of a vendor declared under infrastructure.vendors ("*" = all, if the default)
  kCarrier,  // name of a carrier declared under infrastructure.carriers ("*" = all, if the default)
  kChannel,  // sms, push, email or in_app, declared under channels ("*" = all, if the default)
  kChannelList,  // a YAML list (or comma-separated) of declared channels
  kText,         // free text (e.g. a group name)
};

const char* to_string(ParamKind kind);

struct ParamSpec {
  std::string_view name;
  ParamKind kind;
  std::string_view default_value;  // as it would be written in YAML; empty = required
  std::string_view help;
  std::string_view choices = {};  // kChoice only: "a|b|c"
};

// A parsed parameter value; which member is meaningful follows the kind.
struct ParamValue {
  ParamKind kind{};
  SimTime time = 0;   // kDuration, kTimePoint
  double number = 0;  // kRate, kProbability, kNumber, kInteger, kBoolean (0/1)
  std::string text;   // kChoice, kVendor; and the source text for every kind
  SourceLoc loc;      // where it was written; {0,0} when it came from the default
};

class ParamSet {
 public:
  void set(std::string name, ParamValue v) { values_[std::move(name)] = std::move(v); }
  const ParamValue& get(std::string_view name) const;
  SimTime time(std::string_view name) const { return get(name).time; }
  double number(std::string_view name) const { return get(name).number; }
  bool flag(std::string_view name) const { return get(name).number != 0; }
  const std::string& text(std::string_view name) const { return get(name).text; }
  const std::map<std::string, ParamValue, std::less<>>& all() const { return values_; }

 private:
  std::map<std::string, ParamValue, std::less<>> values_;
};

// A parameter or a choice renamed in this release: the old spelling is still accepted,
// with a warning, until the next release (docs/scenarios.md, "Renamed keys").
struct Renamed {
  std::string_view key;             // the parameter, by its current name
  std::string_view old_key = {};    // its old name (empty: only a value was renamed)
  std::string_view old_value = {};  // a choice's old value...
  std::string_view new_value = {};  // ...and its current one
};

struct PluginUse;
struct Scenario;
// A plug-in's check of its use against the whole parsed scenario (e.g. that a link name
// exists in the platform), run after parsing and again when --engine overrides the
// engine. Throws ScenarioError at the parameter; `file` is the scenario's path.
using ValidateFn = void (*)(const PluginUse& use, const Scenario& scenario,
                            const std::string& file);

// What a plug-in (fault or mitigation) tells the parser, `faultline list` and the docs
// about itself. Written with designated initializers in the plug-in's own file.
struct PluginInfo {
  std::string_view name = {};
  std::string_view summary = {};  // one line for `faultline list`
  std::vector<ParamSpec> params = {};
  std::string_view effect = {};       // what it does in the model (docs/model.md's table)
  std::string_view calibration = {};  // where its defaults come from (faults; docs/model.md)
  bool network = false;               // acts on the network: needs engine: simgrid
  ValidateFn validate = nullptr;
  std::vector<Renamed> renamed = {};  // old spellings still accepted, with a warning
};

// The items of a kChannelList value's text ("push, email" → {"push", "email"}).
std::vector<std::string> split_list(std::string_view text);

// Parses one value of the given kind; on failure returns the explanation in `error`.
bool parse_param(const ParamSpec& spec, std::string_view text, ParamValue& out, std::string& error);

}  // namespace faultline
