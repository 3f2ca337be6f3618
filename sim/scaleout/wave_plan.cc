#include "sim/scaleout/wave_plan.h"

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace faultline {

std::string wave_plan_text(const WavePlan& plan) {
  const nlohmann::ordered_json j = {{"schema", kWavePlanSchema},
                                    {"study", study_json(plan.study)},
                                    {"wave",
                                     {{"number", plan.wave.number},
                                      {"rounds", plan.wave.rounds},
                                      {"first", plan.wave.first()},
                                      {"end", plan.wave.end()}}},
                                    {"why", plan.why}};
  return j.dump(2) + "\n";
}

WavePlan read_wave_plan(const std::filesystem::path& path) {
  std::error_code ec;
  const std::filesystem::path file =
      std::filesystem::is_directory(path, ec) ? path / kWavePlanFile : path;
  std::ifstream in(file, std::ios::binary);
  if (!in)
    throw std::invalid_argument("cannot read " + file.string() +
                                " (a merge writes it when another wave is needed)");
  std::ostringstream text;
  text << in.rdbuf();
  WavePlan plan;
  try {
    const nlohmann::json j = nlohmann::json::parse(text.str());
    if (j.value("schema", "") != kWavePlanSchema)
      throw std::invalid_argument(file.string() + " is not a wave plan (schema " + kWavePlanSchema +
                                  ")");
    plan.study = study_from_json(j.at("study"));
    plan.wave.number = j.at("wave").at("number").get<int>();
    plan.wave.rounds = j.at("wave").at("rounds").get<std::vector<int>>();
    plan.why = j.value("why", "");
  } catch (const nlohmann::json::exception& e) {
    throw std::invalid_argument(file.string() + ": not a valid wave plan: " + e.what());
  }
  if (plan.wave.number < 2 ||
      plan.wave.rounds.size() != static_cast<std::size_t>(plan.wave.number) ||
      plan.wave.first() >= plan.wave.end())
    throw std::invalid_argument(file.string() + ": the wave's rounds do not add replications");
  return plan;
}

}  // namespace faultline
