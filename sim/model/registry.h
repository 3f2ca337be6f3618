// Faults and mitigations are plug-ins registered by name (after Toxiproxy's toxics and
// FoundationDB's workloads): one source file each, which describes itself (PluginInfo:
// name, summary, parameters with kind, default and help) and says what it does in a run,
// and registers itself with a static registrar:
//
//   namespace {
//   void apply(const ScheduledFault& fault, World& world) { ... }
//   const RegisterFault registered{{{"my_fault", "one line for faultline list", params}, apply}};
//   }  // namespace
//
// No central header, list or CMake entry: sim/CMakeLists.txt compiles every .cc in
// sim/faults and sim/mitigations into a library linked whole (so the linker keeps the
// registrars), and the registrars run before main(). The registries are the single source
// for YAML validation, `faultline list`, the docs tables and the editor schema. How to add
// one: sim/faults/README.md.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sim/scenario/params.h"
#include "sim/scenario/schedule.h"

namespace faultline {

class World;
struct NetworkPlan;
struct SmsPath;

struct FaultPlugin {
  PluginInfo info;
  // Applies one fault, with its windows in this run, to a World before the run: most
  // faults hand their windows to the component they break (a vendor, a carrier, the
  // payment platform). nullptr: nothing in the model (a network-level fault).
  void (*apply)(const ScheduledFault& fault, World& world) = nullptr;
  // Network-level faults (info.network): adds the fault to the run's network plan, which
  // the SimGrid engine builds its platform from (sim/scenario/network_plan.h).
  void (*plan_network)(const ScheduledFault& fault, NetworkPlan& plan) = nullptr;
  // Faults that break only the SMS path (a vendor, a carrier) say what they do to it here
  // instead: the World applies it before the run, and the live SMS-vendor emulator applies
  // the same function to its own vendors and carriers (sim/model/sms_path.h).
  void (*apply_sms)(const ScheduledFault& fault, const SmsPath& sms) = nullptr;
};

struct MitigationPlugin {
  PluginInfo info;
  // Applies the mitigation to a World before the run, after every fault: it attaches an
  // object that subscribes to the model's hooks (sim/model/hooks.h) and keeps its own
  // state, or changes a setting of a model component through its API.
  void (*apply)(const PluginUse& use, World& world) = nullptr;
  void (*plan_network)(const PluginUse& use, NetworkPlan& plan) = nullptr;
};

// Plug-ins by name, kept sorted by name. Filled by the registrars before main() (one
// thread), read-only afterwards (any thread).
template <typename Plugin>
class Registry {
 public:
  // A duplicate or empty name is kept out and recorded: errors() reports it (a static
  // registrar cannot report anything itself before main()).
  void add(Plugin plugin);
  const Plugin* find(std::string_view name) const;
  std::span<const Plugin> plugins() const { return plugins_; }
  std::span<const PluginInfo> catalogue() const { return infos_; }
  const std::vector<std::string>& errors() const { return errors_; }

 private:
  std::vector<Plugin> plugins_;
  std::vector<PluginInfo> infos_;  // the same order as plugins_
  std::vector<std::string> errors_;
};

Registry<FaultPlugin>& fault_registry();
Registry<MitigationPlugin>& mitigation_registry();

// Static registrars: `const RegisterFault registered{...};` at namespace scope of a plug-in
// file registers it when the program starts.
struct RegisterFault {
  explicit RegisterFault(FaultPlugin plugin);
};
struct RegisterMitigation {
  explicit RegisterMitigation(MitigationPlugin plugin);
};

}  // namespace faultline
