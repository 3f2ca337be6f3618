#include "reports/context.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace faultline::report {

namespace {
double mean_of(const Json& strategy, const char* metric) {
  const auto m = strategy.value("metrics", Json::object());
  if (!m.contains(metric) || !m[metric].is_object()) return NAN;
  const Json& mean = m[metric]["mean"];
  return mean.is_number() ? mean.get<double>() : NAN;
}
}  // namespace

ReportContext::ReportContext(const Json& r, const Evaluation* e, std::string note)
    : results(r), evaluation(e), expectations_note(std::move(note)) {
  const Json& points = results.at("points");
  if (!points.is_array() || points.empty())
    throw std::invalid_argument("results.json has no points");
  swept = points.size() > 1;
  point = &points[0];
  if (swept) {
    double worst = -INFINITY;
    for (const Json& p : points) {
      const Json& ranked = p.at("strategies");
      if (ranked.empty()) continue;
      const double v = mean_of(ranked[0], "missed_payment_rate");
      if (std::isfinite(v) && v > worst) worst = v, point = &p;
    }
  }
  point_index = point->value("index", 0);
  for (const Json& st : point->at("strategies")) strategies.push_back(st.value("name", ""));
  for (std::size_t i = 0; i < strategies.size(); ++i)
    colours.push_back(i == 0 ? kReferenceColour : kPalette[(i - 1) % std::size(kPalette)]);
  confidence = results.value("confidence", 0.95);
}

const Json& ReportContext::strategy(const std::string& name) const {
  for (const Json& st : point->at("strategies"))
    if (st.value("name", "") == name) return st;
  throw std::out_of_range("no strategy " + name);
}

std::string ReportContext::unit(const std::string& metric) const {
  for (const Json& m : results.value("metrics", Json::array()))
    if (m.value("name", "") == metric) return m.value("unit", "");
  return "";
}

std::string ReportContext::definition(const std::string& metric) const {
  for (const Json& m : results.value("metrics", Json::array()))
    if (m.value("name", "") == metric) return m.value("definition", "");
  return "";
}

bool ReportContext::has_metric(const std::string& metric) const {
  const Json& first = point->at("strategies");
  return !first.empty() && first[0].value("metrics", Json::object()).contains(metric);
}

std::vector<std::string> ReportContext::key_metrics() const {
  std::vector<std::string> out;
  for (const char* m : {"missed_payment_rate", "late_payment_rate", "notification_loss_rate",
                        "delivery_latency_p95_s", "sms_cost"})
    if (has_metric(m)) out.emplace_back(m);
  // The payment side, when payments failed or were charged twice in some strategy.
  // borrower_failure_rate beside payment_failure_rate shows whether failures cluster.
  for (const char* m :
       {"payment_failure_rate", "borrower_failure_rate", "duplicate_charges", "support_contacts"}) {
    if (!has_metric(m)) continue;
    for (const Json& st : point->at("strategies"))
      if (mean_of(st, m) > 0) {
        out.emplace_back(m);
        break;
      }
  }
  if (evaluation)
    for (const Outcome& o : evaluation->outcomes)
      if (has_metric(o.expectation.metric) &&
          std::find(out.begin(), out.end(), o.expectation.metric) == out.end())
        out.push_back(o.expectation.metric);
  return out;
}

Json ReportContext::faults() const {
  if (point->contains("faults") && (*point)["faults"].is_array()) return (*point)["faults"];
  return results.value("faults", Json::array());
}

std::string ReportContext::point_label(const Json& p) const {
  std::string label;
  const Json params = p.value("parameters", Json::object());
  for (auto it = params.begin(); it != params.end(); ++it) {
    const std::string value = it->is_string() ? it->get<std::string>() : it->dump();
    label += (label.empty() ? "" : ", ") + (params.size() == 1 ? value : it.key() + "=" + value);
  }
  return label.empty() ? "point " + std::to_string(p.value("index", 0)) : label;
}

}  // namespace faultline::report
