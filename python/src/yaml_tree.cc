#include "python/src/yaml_tree.h"

#include <cctype>
#include <cmath>
#include <cstdint>
#include <regex>
#include <vector>

#include "sim/scenario/yaml_reader.h"

namespace faultline::python {

namespace {

// One step of a key path: a key, or a position written in brackets.
struct Step {
  std::string key;
  long index = -1;  // >= 0: a bracketed position
};

bool all_digits(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c));
  });
}

std::vector<Step> split_path(const std::string& path) {
  const auto bad = [&](const std::string& why) {
    throw py::value_error("'" + path + "' is not a key path (" + why +
                          "); write e.g. 'population.borrowers' or 'faults[0].duration'");
  };
  std::vector<Step> steps;
  std::size_t i = 0;
  while (i <= path.size()) {
    std::string key;
    while (i < path.size() && path[i] != '.' && path[i] != '[') key += path[i++];
    if (key.empty() && (i >= path.size() || path[i] != '[')) bad("an empty key");
    if (!key.empty()) steps.push_back({key, -1});
    while (i < path.size() && path[i] == '[') {
      const std::size_t close = path.find(']', i);
      const std::string digits =
          close == std::string::npos ? "" : path.substr(i + 1, close - i - 1);
      if (!all_digits(digits) || digits.size() > 9) bad("a position must be [0], [1], ...");
      steps.push_back({"", std::stol(digits)});
      i = close + 1;
    }
    if (i == path.size()) break;
    if (path[i] != '.') bad("expected '.' after ']'");
    ++i;
    if (i == path.size()) bad("it ends with '.'");
  }
  return steps;
}

std::string keys_of(const YAML::Node& map) {
  std::vector<std::string> keys;
  std::string out;
  for (auto it = map.begin(); it != map.end(); ++it)
    out += (out.empty() ? "" : ", ") + it->first.Scalar();
  return out;
}

// A position in a list: a bracketed step, or a number after a dot where the tree has a list.
long position(const YAML::Node& node, const Step& step) {
  if (step.index >= 0) return step.index;
  if (node.IsSequence() && all_digits(step.key) && step.key.size() <= 9) return std::stol(step.key);
  return -1;
}

// Python's own shortest repr of a float, which reads back as the same double.
std::string float_text(double v) {
  return py::repr(py::float_(v)).cast<std::string>();
}

// A timedelta as a duration the scenario parser reads, in the largest exact unit.
std::string duration_text(py::handle td) {
  const long long us =
      (td.attr("days").cast<long long>() * 86400LL + td.attr("seconds").cast<long long>()) *
          1000000LL +
      td.attr("microseconds").cast<long long>();
  struct Unit {
    long long us;
    const char* suffix;
  };
  for (const Unit u : {Unit{86400000000LL, "d"}, Unit{3600000000LL, "h"}, Unit{60000000LL, "m"},
                       Unit{1000000LL, "s"}, Unit{1000LL, "ms"}})
    if (us % u.us == 0) return std::to_string(us / u.us) + u.suffix;
  return float_text(static_cast<double>(us) / 1e6) + "s";
}

const std::regex& int_pattern() {
  static const std::regex r("[-+]?[0-9]+");
  return r;
}
const std::regex& float_pattern() {
  static const std::regex r("[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?");
  return r;
}

py::object scalar_to_python(const YAML::Node& node) {
  const std::string& text = node.Scalar();
  if (node.Tag() == "!") return py::str(text);  // quoted: a string whatever it reads as
  if (text == "true" || text == "True" || text == "TRUE") return py::bool_(true);
  if (text == "false" || text == "False" || text == "FALSE") return py::bool_(false);
  if (text == "null" || text == "Null" || text == "NULL" || text == "~") return py::none();
  // Numbers only where Python writes them back with the same text, so a round trip
  // through Python never changes what the parser reads ("09" and "1e3" stay strings).
  if (std::regex_match(text, int_pattern())) {
    py::object value =
        py::reinterpret_steal<py::object>(PyLong_FromString(text.c_str(), nullptr, 10));
    if (!value) throw py::error_already_set();
    if (py::str(value).cast<std::string>() == text) return value;
    return py::str(text);
  }
  if (std::regex_match(text, float_pattern())) {
    const double v = std::stod(text);
    if (std::isfinite(v) && float_text(v) == text) return py::float_(v);
  }
  return py::str(text);
}

// Short collections of scalars are written inline, as people write them in scenario files
// (`alpha: {capacity: 500/s, failure_probability: 5%}`, `vendors: [alpha, beta]`).
YAML::Node compact(YAML::Node node) {
  std::size_t chars = 0;
  for (auto it = node.begin(); it != node.end(); ++it) {
    const YAML::Node value = node.IsMap() ? it->second : *it;
    if (!value.IsScalar() && !value.IsNull()) return node;
    chars += (node.IsMap() ? it->first.Scalar().size() + 2 : 0) + value.Scalar().size() + 2;
  }
  if (chars <= 72) node.SetStyle(YAML::EmitterStyle::Flow);
  return node;
}

[[noreturn]] void path_error(const std::string& file, const YAML::Node& at, const std::string& path,
                             const std::string& why) {
  throw ScenarioError(file, YamlReader::loc(at), "'" + path + "': " + why);
}

}  // namespace

YAML::Node to_yaml(py::handle value, const std::string& where) {
  if (value.is_none()) return YAML::Node(YAML::NodeType::Null);
  if (PyBool_Check(value.ptr())) return YAML::Node(value.ptr() == Py_True ? "true" : "false");
  if (PyLong_Check(value.ptr())) return YAML::Node(py::str(value).cast<std::string>());
  if (PyFloat_Check(value.ptr())) {
    const double v = value.cast<double>();
    if (!std::isfinite(v))
      throw py::value_error(where + ": " + float_text(v) + " is not a number a scenario can hold");
    return YAML::Node(float_text(v));
  }
  if (PyUnicode_Check(value.ptr())) return YAML::Node(value.cast<std::string>());
  if (PyIndex_Check(value.ptr()))  // numpy integers
    return YAML::Node(py::str(py::reinterpret_steal<py::object>(PyNumber_Index(value.ptr())))
                          .cast<std::string>());
  if (py::isinstance(value, py::module_::import("datetime").attr("timedelta")))
    return YAML::Node(duration_text(value));
  if (PyDict_Check(value.ptr())) {
    YAML::Node map(YAML::NodeType::Map);
    for (const auto& [k, v] : value.cast<py::dict>()) {
      if (!PyUnicode_Check(k.ptr()))
        throw py::type_error(where + ": keys must be strings, got " +
                             py::repr(k).cast<std::string>());
      const std::string key = k.cast<std::string>();
      map[key] = to_yaml(v, where.empty() ? key : where + "." + key);
    }
    return compact(map);
  }
  if (PyList_Check(value.ptr()) || PyTuple_Check(value.ptr())) {
    YAML::Node seq(YAML::NodeType::Sequence);
    std::size_t i = 0;
    for (const auto item : value)
      seq.push_back(to_yaml(item, where + "[" + std::to_string(i++) + "]"));
    return compact(seq);
  }
  throw py::type_error(where +
                       ": a scenario value must be a str, int, float, bool, timedelta, "
                       "list or dict (or None), not " +
                       py::str(value.get_type().attr("__name__")).cast<std::string>());
}

py::object to_python(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map: {
      py::dict out;
      for (auto it = node.begin(); it != node.end(); ++it)
        out[py::str(it->first.Scalar())] = to_python(it->second);
      return out;
    }
    case YAML::NodeType::Sequence: {
      py::list out;
      for (const auto& item : node) out.append(to_python(item));
      return out;
    }
    case YAML::NodeType::Scalar:
      return scalar_to_python(node);
    default:
      return py::none();
  }
}

std::string emit(const YAML::Node& root) {
  YAML::Emitter out;
  out << root;
  if (!out.good())
    throw std::runtime_error("cannot write the scenario as YAML: " + out.GetLastError());
  return std::string(out.c_str()) + "\n";
}

void set_path(YAML::Node root, const std::string& path, py::handle value, const std::string& file) {
  const std::vector<Step> steps = split_path(path);
  YAML::Node cur = root;
  std::string where;  // the path so far, for messages
  for (std::size_t k = 0; k < steps.size(); ++k) {
    const Step& step = steps[k];
    const bool last = k + 1 == steps.size();
    const YAML::Node& view = cur;  // const access never inserts a key
    const long index = position(view, step);
    if (step.index >= 0 && !view.IsSequence())
      path_error(file, view, path,
                 "'" + where + "' is not a list, so it has no position [" +
                     std::to_string(step.index) + "]");
    if (index >= 0) {
      const auto size = static_cast<long>(view.size());
      const std::string here = where + "[" + std::to_string(index) + "]";
      if (last && value.is_none() && index < size) {
        cur.remove(index);
        return;
      }
      if (last && !value.is_none() && index <= size) {
        if (index == size)
          cur.push_back(to_yaml(value, here));
        else
          cur[index] = to_yaml(value, here);
        return;
      }
      if (index >= size)
        path_error(file, view, path,
                   "'" + where + "' has " + std::to_string(size) + " entries; [" +
                       std::to_string(index) + "] is past the end (positions count from 0)");
      where = here;
      cur.reset(view[index]);
      continue;
    }
    if (!view.IsMap() && !view.IsNull())
      path_error(file, view, path,
                 "'" + where + "' is not a mapping, so it has no key '" + step.key + "'");
    const std::string here = where.empty() ? step.key : where + "." + step.key;
    if (last) {
      if (value.is_none()) {
        if (view.IsMap()) cur.remove(step.key);
      } else {
        cur[step.key] = to_yaml(value, here);
      }
      return;
    }
    if (!view.IsMap() || !view[step.key]) {
      std::vector<std::string> known;
      if (view.IsMap())
        for (auto it = view.begin(); it != view.end(); ++it) known.push_back(it->first.Scalar());
      std::string why = "no key '" + step.key + "' under '" +
                        (where.empty() ? std::string("the top level") : where) + "'";
      if (const auto near = closest_match(step.key, known); !near.empty())
        why += " (did you mean '" + near + "'?)";
      if (!known.empty()) why += "; keys there: " + keys_of(view);
      path_error(file, view, path, why);
    }
    where = here;
    cur.reset(view[step.key]);
  }
}

void merge(YAML::Node map, const py::dict& changes, const std::string& where) {
  for (const auto& [k, v] : changes) {
    if (!PyUnicode_Check(k.ptr()))
      throw py::type_error(where + ": keys must be strings, got " +
                           py::repr(k).cast<std::string>());
    const std::string key = k.cast<std::string>();
    const std::string here = where.empty() ? key : where + "." + key;
    const YAML::Node& view = map;
    if (v.is_none()) {
      if (view.IsMap()) map.remove(key);
    } else if (PyDict_Check(v.ptr()) && view.IsMap() && view[key] && view[key].IsMap()) {
      merge(map[key], v.cast<py::dict>(), here);
    } else {
      map[key] = to_yaml(v, here);
    }
  }
}

std::string sweep_path(const YAML::Node& root, const std::string& path) {
  const std::vector<Step> steps = split_path(path);
  YAML::Node cur = root;
  bool known = true;  // cur is the node the path has reached so far
  std::string out;
  for (const Step& step : steps) {
    const YAML::Node& view = cur;
    const long index = known ? position(view, step) : step.index;
    if (index >= 0) {
      out += "[" + std::to_string(index) + "]";
      known = known && view.IsSequence() && index < static_cast<long>(view.size());
      if (known) cur.reset(view[index]);
      continue;
    }
    out += (out.empty() ? "" : ".") + step.key;
    known = known && view.IsMap() && view[step.key];
    if (known) cur.reset(view[step.key]);
  }
  return out;
}

}  // namespace faultline::python
