// Toxics: the faults a proxy applies to the bytes of a connection, after Toxiproxy's
// toxics/ (one small file per type behind one interface, registered by name). This
// header is the catalogue's vocabulary: a toxic *kind* (its name, what it does, its
// attributes with defaults, units and ranges — the single source for validation, the
// API's JSON and docs/adapters.md) and a toxic *config* (one toxic on one proxy, as the
// control API shows it). What a toxic does to a connection lives in its Stage
// (stage.h), in its own file under toxics/.
#pragma once

#include <cstdint>
#include <limits>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace faultline::proxy {

class Stage;
class StageContext;

// upstream: client → server bytes; downstream: server → client (Toxiproxy's words).
enum class Stream { kUpstream = 0, kDownstream = 1 };
std::string_view to_string(Stream stream);

enum class AttributeKind { kInteger, kNumber, kText };

struct AttributeSpec {
  std::string_view name;
  AttributeKind kind;
  std::string_view default_value;  // JSON text: "0", "0.5", "\"\""
  std::string_view unit;           // "ms", "KB/s", "bytes", "µs", "s", "" ...
  std::string_view help;
  double min = 0;
  double max = std::numeric_limits<double>::max();
};

// A toxic's attributes in its kind's order (the order Toxiproxy's JSON shows them).
class Attributes {
 public:
  Attributes() : values_(nlohmann::ordered_json::object()) {}
  explicit Attributes(nlohmann::ordered_json values) : values_(std::move(values)) {}
  std::int64_t integer(std::string_view name) const;
  double number(std::string_view name) const;
  std::string text(std::string_view name) const;
  const nlohmann::ordered_json& json() const { return values_; }

 private:
  nlohmann::ordered_json values_;
};

struct ToxicKind {
  std::string_view name;
  std::string_view help;
  std::string_view origin;  // "toxiproxy" (same behaviour and attributes) or "faultline"
  std::vector<AttributeSpec> attributes;
  std::unique_ptr<Stage> (*make)(StageContext& context);
  // Checks between attributes (one per attribute is in AttributeSpec): an error message,
  // or empty when fine. May be null.
  std::string (*check)(const Attributes& attributes) = nullptr;
};

// Every kind, in the order docs/adapters.md lists them.
const std::vector<ToxicKind>& toxic_kinds();
const ToxicKind* find_toxic_kind(std::string_view name);

// Checks `input` (a JSON object, possibly partial) against `kind`, starting from `base`
// (defaults when creating, the current values when updating). Throws std::invalid_argument
// naming the attribute: unknown ones, wrong types and values out of range are refused.
Attributes validate_attributes(const ToxicKind& kind, const nlohmann::json& input,
                               const Attributes* base);
Attributes default_attributes(const ToxicKind& kind);

// One toxic on one proxy, as `GET /proxies/{proxy}/toxics/{toxic}` shows it. Immutable
// once shared: an update makes a new config with generation + 1.
struct ToxicConfig {
  std::string name;
  const ToxicKind* kind = nullptr;
  Stream stream = Stream::kDownstream;
  std::string stream_text = "downstream";  // as the client wrote it (Toxiproxy echoes it)
  double toxicity = 1.0;                   // share of connections it applies to
  Attributes attributes;
  std::uint64_t generation = 0;

  // {"attributes":{...},"name":...,"type":...,"stream":...,"toxicity":...}
  nlohmann::ordered_json to_json() const;
};

}  // namespace faultline::proxy
