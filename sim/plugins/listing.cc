#include "sim/plugins/listing.h"

#include <algorithm>
#include <span>
#include <stdexcept>

#include "sim/metrics/metrics.h"
#include "sim/plugins/plugins.h"

namespace faultline {

namespace {

// The parameters every scheduled fault shares (with_schedule, sim/faults/schedule.h):
// docs/scenarios.md describes them once, so the parameter table of such a fault lists
// only its own parameters and its duration.
bool shared_schedule_param(const PluginInfo& p, std::string_view name) {
  const bool scheduled = std::any_of(p.params.begin(), p.params.end(),
                                     [](const ParamSpec& s) { return s.name == "onset_spread"; });
  return scheduled && (name == "at" || name == "every" || name == "repeat" ||
                       name == "onset_spread" || name == "group");
}

std::string code(std::string_view text) {
  return "`" + std::string(text) + "`";
}

// `mode` (`a` \| `b`; `a`), `target` (vendor, required), `drain` (duration, `2h`)
std::string param_markdown(const ParamSpec& p) {
  std::string kind;
  if (p.kind == ParamKind::kChoice) {
    std::string_view rest = p.choices;
    while (!rest.empty()) {
      const auto bar = rest.find('|');
      kind += (kind.empty() ? "" : " \\| ") + code(rest.substr(0, bar));
      rest = bar == std::string_view::npos ? std::string_view{} : rest.substr(bar + 1);
    }
  } else {
    kind = to_string(p.kind);
  }
  const std::string def = p.default_value.empty() ? "required" : code(p.default_value);
  return code(p.name) + " (" + kind + (p.kind == ParamKind::kChoice ? "; " : ", ") + def + ")";
}

std::string plugin_text(std::span<const PluginInfo> catalogue) {
  std::string out;
  for (const PluginInfo& p : catalogue) {
    out += std::string(p.name) + " — " + std::string(p.summary) + "\n";
    for (const ParamSpec& spec : p.params) {
      out += "    " + std::string(spec.name) + " (" + to_string(spec.kind);
      if (!spec.choices.empty()) out += ": " + std::string(spec.choices);
      out += ", " +
             (spec.default_value.empty() ? std::string("required")
                                         : "default " + std::string(spec.default_value)) +
             ") " + std::string(spec.help) + "\n";
    }
  }
  return out;
}

std::string plugin_markdown(std::span<const PluginInfo> catalogue, const char* noun, bool effects,
                            bool calibration) {
  std::string out = effects ? "| " + std::string(noun) + " | what it does |" +
                                  (calibration ? " calibration |" : "") + "\n|---|---|" +
                                  (calibration ? "---|" : "") + "\n"
                            : "| " + std::string(noun) + " | parameters (defaults) |\n|---|---|\n";
  for (const PluginInfo& p : catalogue) {
    std::string name = code(p.name) + (p.network ? " (engine: simgrid)" : "");
    if (effects) {
      out += "| " + name + " | " + std::string(p.effect) + " |" +
             (calibration ? " " + std::string(p.calibration) + " |" : "") + "\n";
      continue;
    }
    std::string params;
    for (const ParamSpec& spec : p.params)
      if (!shared_schedule_param(p, spec.name))
        params += (params.empty() ? "" : ", ") + param_markdown(spec);
    out += "| " + name + " | " + (params.empty() ? "none" : params) + " |\n";
  }
  return out;
}

std::string metrics_listing(bool markdown) {
  std::string out = markdown ? "| metric | unit | definition |\n|---|---|---|\n" : "";
  for (const MetricInfo& m : kMetrics) {
    if (markdown)
      out += "| " + code(m.name) + " | " + std::string(m.unit) + " | " + std::string(m.definition) +
             " |\n";
    else
      out += std::string(m.name) + " [" + std::string(m.unit) + "] " + std::string(m.definition) +
             "\n";
  }
  return out;
}

}  // namespace

std::string catalogue_listing(const std::vector<std::string>& args) {
  const char* expected = "expected faults, mitigations or metrics";
  if (args.empty()) throw std::invalid_argument(std::string("say what to list: ") + expected);
  const std::string& what = args[0];
  if (what != "faults" && what != "mitigations" && what != "metrics")
    throw std::invalid_argument("cannot list '" + what + "'; " + expected);
  std::string format = "text", table = "parameters";
  for (std::size_t i = 1; i < args.size(); ++i) {
    const std::string& a = args[i];
    if ((a == "--format" || a == "--table") && i + 1 < args.size()) {
      (a == "--format" ? format : table) = args[++i];
    } else {
      throw std::invalid_argument("unknown argument '" + a +
                                  "'; expected --format text|markdown or --table "
                                  "parameters|effects");
    }
  }
  if (format != "text" && format != "markdown")
    throw std::invalid_argument("--format: '" + format + "'; expected text or markdown");
  if (table != "parameters" && table != "effects")
    throw std::invalid_argument("--table: '" + table + "'; expected parameters or effects");
  if (what == "metrics") return metrics_listing(format == "markdown");
  const Catalogues c = builtin_catalogues();
  const bool faults = what == "faults";
  const std::span<const PluginInfo> catalogue = faults ? c.faults : c.mitigations;
  if (format == "text") return plugin_text(catalogue);
  return plugin_markdown(catalogue, faults ? "fault" : "mitigation", table == "effects", faults);
}

}  // namespace faultline
