#include "carteira/segments/segment_map.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <memory>
#include <sstream>

#include <nlohmann/json.hpp>

#include "absl/strings/str_join.h"
#include "carteira/core/money.h"
#include "carteira/core/strings.h"
#include "src/portfolio/string_codes.h"

namespace carteira {
namespace {

using Json = nlohmann::json;

absl::Status Bad(std::string_view path, std::string_view what) {
  return absl::InvalidArgumentError(StrCat(path, ": ", what));
}

std::string Shown(const Json& value) {
  std::string text = value.dump();
  if (text.size() > 40) text = text.substr(0, 37) + "...";
  return text;
}

absl::Status ReadScore(const Json& item, std::string_view path, std::uint8_t* out) {
  if (!item.is_number_integer()) return Bad(path, StrCat("expected a score 1 to 5, got ", Shown(item)));
  const std::int64_t v = item.get<std::int64_t>();
  if (v < 1 || v > kRfmLevels) return Bad(path, StrCat("a score is 1 to 5, got ", v));
  *out = static_cast<std::uint8_t>(v);
  return absl::OkStatus();
}

// A range is a score (5) or an inclusive pair ([3, 5]).
absl::Status ReadRange(const Json& rule, std::string_view path, const char* key, ScoreRange* out) {
  const auto it = rule.find(key);
  if (it == rule.end()) return absl::OkStatus();
  const std::string where = StrCat(path, ".", key);
  if (it->is_array()) {
    if (it->size() != 2) return Bad(where, StrCat("expected [low, high], got ", Shown(*it)));
    if (auto s = ReadScore((*it)[0], where, &out->lo); !s.ok()) return s;
    if (auto s = ReadScore((*it)[1], where, &out->hi); !s.ok()) return s;
    if (out->lo > out->hi) {
      return Bad(where, StrCat("low ", int{out->lo}, " is above high ", int{out->hi}));
    }
    return absl::OkStatus();
  }
  if (auto s = ReadScore(*it, where, &out->lo); !s.ok()) return s;
  out->hi = out->lo;
  return absl::OkStatus();
}

Json RangeToJson(const ScoreRange& r) {
  if (r.lo == r.hi) return r.lo;
  return Json::array({r.lo, r.hi});
}

// ---- conditions ------------------------------------------------------------

enum class FieldKind { kText, kFlag, kNumber, kMoney };

FieldKind KindOf(SegmentField field) {
  switch (field) {
    case SegmentField::kRegion:
    case SegmentField::kSegment:
    case SegmentField::kState:
    case SegmentField::kCity:
    case SegmentField::kAttribute:
      return FieldKind::kText;
    case SegmentField::kKeyAccount:
    case SegmentField::kDelinquent:
      return FieldKind::kFlag;
    case SegmentField::kMonetary:
    case SegmentField::kAverageTicket:
      return FieldKind::kMoney;
    default:
      return FieldKind::kNumber;
  }
}

constexpr SegmentField kFields[] = {
    SegmentField::kRegion,       SegmentField::kSegment,       SegmentField::kState,
    SegmentField::kCity,         SegmentField::kKeyAccount,    SegmentField::kDelinquent,
    SegmentField::kRecencyDays,  SegmentField::kFrequency,     SegmentField::kMonetary,
    SegmentField::kAverageTicket, SegmentField::kTenureDays,   SegmentField::kRepeatPurchases,
    SegmentField::kMedianGapDays};
constexpr std::string_view kAttributePrefix = "attribute:";
constexpr std::string_view kFieldList =
    "region, segment, state, city, key_account, delinquent, recency_days, frequency, monetary, "
    "average_ticket, tenure_days, repeat_purchases, median_gap_days, attribute:NAME";

bool IsList(CompareOp op) { return op == CompareOp::kIn || op == CompareOp::kNotIn; }
bool IsOrdering(CompareOp op) {
  return op == CompareOp::kLt || op == CompareOp::kLe || op == CompareOp::kGt || op == CompareOp::kGe;
}

// Money in a condition: up to a trillion major units, so that the minor
// units are exact in a double and the value written back (ToJson, major
// units as a JSON number) reads back the same.
constexpr double kMaxMoneyMinor = 1e14;

// A money value written in major units (1500.00, 1500.5, 1500): exact,
// at most two decimals.
absl::StatusOr<double> ReadMoney(const Json& v) {
  if (!v.is_number()) return absl::InvalidArgumentError("not a number");
  double minor = 0;
  if (v.is_number_integer()) {
    minor = v.get<double>() * kMinorPerMajor;
  } else {
    auto parsed = ParseMoney(v.dump(), DecimalSeparator::kPoint);
    if (!parsed.ok()) return parsed.status();
    minor = static_cast<double>(*parsed);
  }
  if (std::fabs(minor) > kMaxMoneyMinor) return absl::InvalidArgumentError("too large");
  return minor;
}

// One element of a condition's value, checked against the field's kind
// and appended to the condition's values.
absl::Status ReadValue(const Json& v, std::string_view where, bool* numeric, SegmentCondition* out) {
  const SegmentCondition& c = *out;
  const FieldKind kind = KindOf(c.field);
  if (kind == FieldKind::kText) {
    // An attribute compares as text or, with numbers, as a number; one
    // condition does not mix them.
    const bool is_number = c.field == SegmentField::kAttribute && v.is_number();
    if (!v.is_string() && !is_number) {
      return Bad(where, StrCat(c.field == SegmentField::kAttribute ? "expected a text or a number, got "
                                                                   : "expected a text, got ",
                               Shown(v)));
    }
    if (*numeric != is_number && (!out->text.empty() || !out->number.empty())) {
      return Bad(where, StrCat("mixes texts and numbers in one list: ", Shown(v)));
    }
    *numeric = is_number;
    if (is_number) {
      out->number.push_back(v.get<double>());
    } else {
      out->text.push_back(v.get<std::string>());
    }
    return absl::OkStatus();
  }
  if (kind == FieldKind::kFlag) {
    if (!v.is_boolean()) return Bad(where, StrCat("expected true or false, got ", Shown(v)));
    out->number.push_back(v.get<bool>() ? 1 : 0);
    return absl::OkStatus();
  }
  if (kind == FieldKind::kMoney) {
    auto minor = ReadMoney(v);
    if (!minor.ok()) {
      return Bad(where, StrCat("expected an amount in major units such as 1500.00 (at most two decimals, up to a "
                               "trillion), got ",
                               Shown(v)));
    }
    out->number.push_back(*minor);
    return absl::OkStatus();
  }
  if (!v.is_number() || !std::isfinite(v.get<double>())) {
    return Bad(where, StrCat("expected a number, got ", Shown(v)));
  }
  out->number.push_back(v.get<double>());
  return absl::OkStatus();
}

// {"field": "region", "op": "in", "value": ["Sul", "Sudeste"]}
absl::StatusOr<SegmentCondition> ReadCondition(const Json& item, const std::string& place) {
  if (!item.is_object()) return Bad(place, StrCat("expected {\"field\", \"op\", \"value\"}, got ", Shown(item)));
  for (const auto& [key, value] : item.items()) {
    if (key != "field" && key != "op" && key != "value") {
      return Bad(StrCat(place, ".", key), "unknown key (expected one of: field, op, value)");
    }
  }
  for (const char* key : {"field", "op", "value"}) {
    if (!item.contains(key)) return Bad(place, StrCat("missing \"", key, "\""));
  }
  const Json& field = item["field"];
  if (!field.is_string()) return Bad(StrCat(place, ".field"), StrCat("expected a field name, got ", Shown(field)));
  SegmentCondition c;
  const std::string field_name = field.get<std::string>();
  bool known = false;
  if (field_name.rfind(kAttributePrefix, 0) == 0) {
    c.field = SegmentField::kAttribute;
    c.attribute = field_name.substr(kAttributePrefix.size());
    known = !c.attribute.empty();
  } else {
    for (SegmentField f : kFields) {
      if (SegmentFieldName(f) == field_name) {
        c.field = f;
        known = true;
      }
    }
  }
  if (!known) return Bad(place, StrCat("unknown field '", field_name, "' (one of: ", kFieldList, ")"));
  const std::string where = StrCat(place, " '", field_name, "'");
  const Json& op = item["op"];
  const auto parsed = op.is_string() ? ParseCompareOp(op.get<std::string>()) : std::nullopt;
  if (!parsed) {
    return Bad(where, StrCat("unknown operator ", Shown(op), " (one of: =, !=, <, <=, >, >=, in, not in)"));
  }
  c.op = *parsed;
  const FieldKind kind = KindOf(c.field);
  if (kind == FieldKind::kFlag && c.op != CompareOp::kEq && c.op != CompareOp::kNe) {
    return Bad(where, StrCat("'", CompareOpName(c.op), "' does not apply to a flag (use = or != true / false)"));
  }
  const Json& value = item["value"];
  bool numeric = false;
  if (IsList(c.op)) {
    if (!value.is_array() || value.empty()) {
      return Bad(where, StrCat("'", CompareOpName(c.op), "' needs a non-empty list, got ", Shown(value)));
    }
    for (const Json& v : value) {
      if (auto s = ReadValue(v, where, &numeric, &c); !s.ok()) return s;
    }
  } else {
    if (value.is_array()) {
      return Bad(where, StrCat("'", CompareOpName(c.op), "' compares one value, got a list (use in or not in)"));
    }
    if (auto s = ReadValue(value, where, &numeric, &c); !s.ok()) return s;
  }
  if (IsOrdering(c.op) && !c.text.empty()) {
    return Bad(where, StrCat("'", CompareOpName(c.op), "' compares numbers; ", field_name,
                             " is text here (use =, !=, in or not in)"));
  }
  return c;
}

Json ConditionToJson(const SegmentCondition& c) {
  Json value;
  auto one = [&c](size_t k) -> Json {
    if (!c.text.empty()) return c.text[k];
    const FieldKind kind = KindOf(c.field);
    if (kind == FieldKind::kFlag) return c.number[k] != 0;
    if (kind == FieldKind::kMoney) {
      const auto minor = static_cast<MinorUnits>(c.number[k]);
      if (minor % kMinorPerMajor == 0) return minor / kMinorPerMajor;
      return static_cast<double>(minor) / kMinorPerMajor;
    }
    const double v = c.number[k];
    if (v == std::floor(v) && std::fabs(v) < 9e15) return static_cast<std::int64_t>(v);
    return v;
  };
  const size_t count = c.text.empty() ? c.number.size() : c.text.size();
  if (IsList(c.op)) {
    value = Json::array();
    for (size_t k = 0; k < count; ++k) value.push_back(one(k));
  } else if (count > 0) {
    value = one(0);
  }
  return Json{{"field", c.FieldName()}, {"op", CompareOpName(c.op)}, {"value", std::move(value)}};
}

SegmentRule Rule(std::string name, ScoreRange r, ScoreRange fm) {
  SegmentRule rule;
  rule.name = std::move(name);
  rule.r = r;
  rule.fm = fm;
  return rule;
}

}  // namespace

std::string_view CompareOpName(CompareOp op) {
  switch (op) {
    case CompareOp::kEq:
      return "=";
    case CompareOp::kNe:
      return "!=";
    case CompareOp::kLt:
      return "<";
    case CompareOp::kLe:
      return "<=";
    case CompareOp::kGt:
      return ">";
    case CompareOp::kGe:
      return ">=";
    case CompareOp::kIn:
      return "in";
    case CompareOp::kNotIn:
      return "not in";
  }
  return "";
}

std::optional<CompareOp> ParseCompareOp(std::string_view name) {
  for (CompareOp op : {CompareOp::kEq, CompareOp::kNe, CompareOp::kLt, CompareOp::kLe, CompareOp::kGt,
                       CompareOp::kGe, CompareOp::kIn, CompareOp::kNotIn}) {
    if (CompareOpName(op) == name) return op;
  }
  if (name == "==") return CompareOp::kEq;
  return std::nullopt;
}

std::string_view SegmentFieldName(SegmentField field) {
  switch (field) {
    case SegmentField::kRegion:
      return "region";
    case SegmentField::kSegment:
      return "segment";
    case SegmentField::kState:
      return "state";
    case SegmentField::kCity:
      return "city";
    case SegmentField::kAttribute:
      return "attribute";
    case SegmentField::kKeyAccount:
      return "key_account";
    case SegmentField::kDelinquent:
      return "delinquent";
    case SegmentField::kRecencyDays:
      return "recency_days";
    case SegmentField::kFrequency:
      return "frequency";
    case SegmentField::kMonetary:
      return "monetary";
    case SegmentField::kAverageTicket:
      return "average_ticket";
    case SegmentField::kTenureDays:
      return "tenure_days";
    case SegmentField::kRepeatPurchases:
      return "repeat_purchases";
    case SegmentField::kMedianGapDays:
      return "median_gap_days";
  }
  return "";
}

std::string SegmentCondition::FieldName() const {
  if (field == SegmentField::kAttribute) return StrCat(kAttributePrefix, attribute);
  return std::string(SegmentFieldName(field));
}

std::string SegmentCondition::Describe() const {
  const Json value = ConditionToJson(*this)["value"];
  std::string shown;
  if (KindOf(field) == FieldKind::kMoney) {
    // Amounts as amounts: 1500.00, [10.00, 20.50].
    std::vector<std::string> parts;
    for (double v : number) parts.push_back(FormatMoney(static_cast<MinorUnits>(v)));
    shown = IsList(op) ? StrCat("[", absl::StrJoin(parts, ", "), "]") : parts.empty() ? "" : parts[0];
  } else {
    shown = value.dump();
    if (IsList(op)) {
      // ["Sul","Sudeste"] -> ["Sul", "Sudeste"]
      std::vector<std::string> parts;
      for (const Json& v : value) parts.push_back(v.dump());
      shown = StrCat("[", absl::StrJoin(parts, ", "), "]");
    }
  }
  return StrCat(FieldName(), " ", CompareOpName(op), " ", shown);
}

std::string SegmentRule::DescribeConditions() const {
  std::vector<std::string> parts;
  for (const SegmentCondition& c : where) parts.push_back(c.Describe());
  return absl::StrJoin(parts, " and ");
}

SegmentMap SegmentMap::Default() {
  // The classic R x F map of the RFM literature, read on R x FM, with
  // `lost` carved out of hibernating's worst cell. It is a partition of the
  // 25 cells: CheckSegmentMap finds nothing (a test proves it).
  SegmentMap map;
  map.rules = {
      Rule("champions", {5, 5}, {4, 5}),
      Rule("loyal", {3, 4}, {4, 5}),
      Rule("potential_loyalist", {4, 5}, {2, 3}),
      Rule("new", {5, 5}, {1, 1}),
      Rule("promising", {4, 4}, {1, 1}),
      Rule("need_attention", {3, 3}, {3, 3}),
      Rule("about_to_sleep", {3, 3}, {1, 2}),
      Rule("cant_lose", {1, 2}, {5, 5}),
      Rule("at_risk", {1, 2}, {3, 4}),
      Rule("lost", {1, 1}, {1, 1}),
      Rule("hibernating", {1, 2}, {1, 2}),
  };
  return map;
}

absl::StatusOr<SegmentMap> SegmentMap::FromJson(std::string_view json, std::string_view source) {
  Json doc;
  try {
    doc = Json::parse(json.begin(), json.end(), nullptr, /*allow_exceptions=*/true,
                      /*ignore_comments=*/true);
  } catch (const Json::exception& e) {  // parse_error, and out_of_range for a number overflow
    return absl::InvalidArgumentError(StrCat(source, ": not valid JSON: ", e.what()));
  }
  auto located = [source](const absl::Status& s) {
    return absl::InvalidArgumentError(StrCat(source, ": ", s.message()));
  };
  if (!doc.is_object()) return located(Bad("map", StrCat("expected an object, got ", Shown(doc))));
  for (const auto& [key, value] : doc.items()) {
    if (key != "version" && key != "fallback" && key != "segments") {
      return located(Bad(key, "unknown key (expected one of: version, fallback, segments)"));
    }
  }
  if (const auto it = doc.find("version"); it != doc.end()) {
    if (!it->is_number_integer() || it->get<std::int64_t>() != 1) {
      return located(Bad("version", StrCat("unsupported map version ", Shown(*it), " (this library reads 1)")));
    }
  }
  SegmentMap map;
  if (const auto it = doc.find("fallback"); it != doc.end()) {
    if (!it->is_string()) return located(Bad("fallback", StrCat("expected a name, got ", Shown(*it))));
    map.fallback = it->get<std::string>();
  }
  const auto segments = doc.find("segments");
  if (segments == doc.end()) return located(Bad("segments", "missing (the ordered list of rules)"));
  if (!segments->is_array()) {
    return located(Bad("segments", StrCat("expected a list of rules, got ", Shown(*segments))));
  }
  for (size_t i = 0; i < segments->size(); ++i) {
    const Json& item = (*segments)[i];
    const std::string path = StrCat("segments[", i, "]");
    if (!item.is_object()) return located(Bad(path, StrCat("expected an object, got ", Shown(item))));
    for (const auto& [key, value] : item.items()) {
      if (key != "name" && key != "r" && key != "f" && key != "m" && key != "fm" && key != "where") {
        return located(Bad(StrCat(path, ".", key), "unknown key (expected one of: name, r, f, m, fm, where)"));
      }
    }
    SegmentRule rule;
    const auto name = item.find("name");
    if (name == item.end() || !name->is_string()) {
      return located(Bad(StrCat(path, ".name"), "missing or not a string"));
    }
    rule.name = name->get<std::string>();
    for (auto [key, range] : {std::pair{"r", &rule.r}, std::pair{"f", &rule.f},
                              std::pair{"m", &rule.m}, std::pair{"fm", &rule.fm}}) {
      if (auto s = ReadRange(item, path, key, range); !s.ok()) return located(s);
    }
    if (const auto where = item.find("where"); where != item.end()) {
      // Errors name the rule by index and name, and the condition's field.
      const std::string rule_path = StrCat(path, " '", rule.name, "'");
      if (!where->is_array()) {
        return located(Bad(StrCat(rule_path, ": where"), StrCat("expected a list of conditions, got ", Shown(*where))));
      }
      for (size_t k = 0; k < where->size(); ++k) {
        auto condition = ReadCondition((*where)[k], StrCat(rule_path, ": where[", k, "]"));
        if (!condition.ok()) return located(condition.status());
        rule.where.push_back(*std::move(condition));
      }
    }
    map.rules.push_back(std::move(rule));
  }
  if (auto s = map.Validate(); !s.ok()) return located(s);
  return map;
}

absl::StatusOr<SegmentMap> SegmentMap::FromFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(StrCat(path, ": cannot open the segment map file"));
  std::ostringstream text;
  text << in.rdbuf();
  std::string json = text.str();
  if (json.rfind("\xEF\xBB\xBF", 0) == 0) json.erase(0, 3);
  return FromJson(json, path);
}

absl::Status SegmentMap::Validate() const {
  if (rules.empty()) return Bad("segments", "the map has no rule");
  // Segment indices are 16-bit in the assignment.
  if (rules.size() > 1000) return Bad("segments", StrCat(rules.size(), " rules; at most 1000"));
  if (fallback.empty()) return Bad("fallback", "must not be empty");
  for (size_t i = 0; i < rules.size(); ++i) {
    const SegmentRule& rule = rules[i];
    const std::string path = StrCat("segments[", i, "]");
    if (rule.name.empty()) return Bad(StrCat(path, ".name"), "must not be empty");
    for (auto [key, range] : {std::pair{"r", &rule.r}, std::pair{"f", &rule.f},
                              std::pair{"m", &rule.m}, std::pair{"fm", &rule.fm}}) {
      if (range->lo < 1 || range->hi > kRfmLevels || range->lo > range->hi) {
        return Bad(StrCat(path, ".", key), StrCat("invalid range [", int{range->lo}, ", ", int{range->hi}, "]"));
      }
    }
    // A map built in code gets the checks the JSON reader makes.
    for (size_t k = 0; k < rule.where.size(); ++k) {
      const SegmentCondition& c = rule.where[k];
      const std::string where = StrCat(path, " '", rule.name, "': where[", k, "] '", c.FieldName(), "'");
      const FieldKind kind = KindOf(c.field);
      const size_t count = c.text.size() + c.number.size();
      if ((c.field == SegmentField::kAttribute) == c.attribute.empty()) {
        return Bad(where, "an attribute name goes with the attribute field only");
      }
      if (!c.text.empty() && !c.number.empty()) return Bad(where, "mixes texts and numbers");
      if (IsList(c.op) ? count == 0 : count != 1) {
        return Bad(where, StrCat("'", CompareOpName(c.op), "' needs ", IsList(c.op) ? "a non-empty list" : "one value"));
      }
      if (kind != FieldKind::kText && !c.text.empty()) return Bad(where, "expected numbers, got texts");
      if (kind == FieldKind::kText && c.field != SegmentField::kAttribute && !c.number.empty()) {
        return Bad(where, "expected texts, got numbers");
      }
      if (IsOrdering(c.op) && !c.text.empty()) return Bad(where, "an ordering compares numbers");
      if (kind == FieldKind::kFlag) {
        if (c.op != CompareOp::kEq && c.op != CompareOp::kNe) return Bad(where, "a flag takes = or !=");
        if (c.number[0] != 0 && c.number[0] != 1) return Bad(where, "a flag is 1 (true) or 0 (false)");
      }
      for (double v : c.number) {
        if (!std::isfinite(v)) return Bad(where, "a value is not a finite number");
        if (kind == FieldKind::kMoney && (v != std::floor(v) || std::fabs(v) > kMaxMoneyMinor)) {
          return Bad(where, "money is whole minor units, up to a trillion major units");
        }
      }
    }
  }
  return absl::OkStatus();
}

std::string SegmentMap::ToJson() const {
  Json list = Json::array();
  for (const SegmentRule& rule : rules) {
    Json item{{"name", rule.name}};
    if (!rule.r.Any()) item["r"] = RangeToJson(rule.r);
    if (!rule.f.Any()) item["f"] = RangeToJson(rule.f);
    if (!rule.m.Any()) item["m"] = RangeToJson(rule.m);
    if (!rule.fm.Any()) item["fm"] = RangeToJson(rule.fm);
    if (!rule.where.empty()) {
      Json where = Json::array();
      for (const SegmentCondition& c : rule.where) where.push_back(ConditionToJson(c));
      item["where"] = std::move(where);
    }
    list.push_back(std::move(item));
  }
  Json doc{{"version", 1}, {"fallback", fallback}, {"segments", std::move(list)}};
  return doc.dump(2);
}

bool SegmentMap::UsesFandM() const {
  for (const SegmentRule& rule : rules) {
    if (!rule.f.Any() || !rule.m.Any()) return true;
  }
  return false;
}

std::vector<std::string> SegmentMap::Names() const {
  std::vector<std::string> names;
  auto add = [&names](const std::string& name) {
    for (const auto& n : names) {
      if (n == name) return;
    }
    names.push_back(name);
  };
  for (const SegmentRule& rule : rules) add(rule.name);
  // The fallback only when some scores reach no rule that always matches
  // them (one without conditions).
  bool uncovered = false;
  for (int r = 1; r <= kRfmLevels && !uncovered; ++r) {
    for (int f = 1; f <= kRfmLevels && !uncovered; ++f) {
      for (int m = 1; m <= kRfmLevels && !uncovered; ++m) {
        bool hit = false;
        for (const SegmentRule& rule : rules) hit = hit || (rule.where.empty() && rule.Matches(r, f, m));
        uncovered = !hit;
      }
    }
  }
  if (uncovered) add(fallback);
  return names;
}

bool SegmentMap::HasConditions() const {
  for (const SegmentRule& rule : rules) {
    if (!rule.where.empty()) return true;
  }
  return false;
}

SegmentMapCheck CheckSegmentMap(const SegmentMap& map) {
  SegmentMapCheck check;
  check.r_f_m_grid = map.UsesFandM();
  // Every cell of the grid as representative (r, f, m) triples: on the
  // R x FM grid, a cell (r, fm) is the triples with that FM, and rules that
  // read only r and fm treat them alike.
  struct Cell {
    std::array<std::uint8_t, 3> name;
    std::vector<std::array<int, 3>> triples;
  };
  std::vector<Cell> cells;
  for (int r = 1; r <= kRfmLevels; ++r) {
    if (check.r_f_m_grid) {
      for (int f = 1; f <= kRfmLevels; ++f) {
        for (int m = 1; m <= kRfmLevels; ++m) {
          cells.push_back({{static_cast<std::uint8_t>(r), static_cast<std::uint8_t>(f), static_cast<std::uint8_t>(m)},
                           {{r, f, m}}});
        }
      }
    } else {
      for (int fm = 1; fm <= kRfmLevels; ++fm) {
        Cell cell{{static_cast<std::uint8_t>(r), static_cast<std::uint8_t>(fm), 0}, {}};
        for (int f = 1; f <= kRfmLevels; ++f) {
          for (int m = 1; m <= kRfmLevels; ++m) {
            if ((f + m + 1) / 2 == fm) cell.triples.push_back({r, f, m});
          }
        }
        cells.push_back(std::move(cell));
      }
    }
  }
  // On a triple both match, an earlier rule j takes the customers of a
  // later rule i first when j's conditions are among i's: whenever i's hold,
  // j's do. A rule without conditions thus takes from every later rule, and
  // a rule with conditions from none without them (its conditions may fail
  // for a customer the later rule takes). For maps without conditions this
  // is the plain first match: the check is exact there. Conditions are
  // compared as written (`region = "Sul"` is not seen to imply `region in
  // ["Sul", "Norte"]`), so the check may miss a shadowed rule, never invent
  // one.
  const size_t n = map.rules.size();
  std::vector<std::vector<bool>> implies(n, std::vector<bool>(n, false));  // [i][j]: j's conditions among i's
  for (size_t i = 0; i < n; ++i) {
    for (size_t j = 0; j < i; ++j) {
      bool all = true;
      for (const SegmentCondition& c : map.rules[j].where) {
        all = all && std::find(map.rules[i].where.begin(), map.rules[i].where.end(), c) != map.rules[i].where.end();
      }
      implies[i][j] = all;
    }
  }
  // A rule is shadowed when none of its triples reaches it.
  std::vector<bool> reaches(n, false);
  std::vector<std::vector<bool>> takes_from(n, std::vector<bool>(n, false));
  std::vector<bool> matches(n);
  for (const Cell& cell : cells) {
    bool covered = false, only_conditional = false;
    for (const auto& [r, f, m] : cell.triples) {
      bool any = false, always = false;
      for (size_t i = 0; i < n; ++i) {
        matches[i] = map.rules[i].Matches(r, f, m);
        if (!matches[i]) continue;
        any = true;
        always = always || map.rules[i].where.empty();
        size_t by = i;
        for (size_t j = 0; j < i && by == i; ++j) {
          if (matches[j] && implies[i][j]) by = j;
        }
        if (by == i) {
          reaches[i] = true;
        } else {
          takes_from[i][by] = true;
        }
      }
      covered = covered || any;
      only_conditional = only_conditional || (any && !always);
    }
    if (!covered) {
      check.uncovered.push_back(cell.name);
    } else if (only_conditional) {
      check.conditional.push_back(cell.name);
    }
  }
  for (size_t i = 0; i < map.rules.size(); ++i) {
    if (reaches[i]) continue;
    SegmentMapCheck::Shadowed s{i, {}};
    for (size_t j = 0; j < i; ++j) {
      if (takes_from[i][j]) s.covered_by.push_back(j);
    }
    check.shadowed.push_back(std::move(s));
  }
  return check;
}

namespace {
// "r1fm2" on the R x FM grid, "r1f2m5" on the full one.
std::string CellName(const std::array<std::uint8_t, 3>& c, bool r_f_m_grid) {
  if (r_f_m_grid) return StrCat("r", int{c[0]}, "f", int{c[1]}, "m", int{c[2]});
  return StrCat("r", int{c[0]}, "fm", int{c[1]});
}
}  // namespace

std::string SegmentMapCheck::Describe(const SegmentMap& map) const {
  std::string out;
  for (const Shadowed& s : shadowed) {
    StrAppend(&out, "rule ", s.rule + 1, " '", map.rules[s.rule].name, "' can never match: ");
    if (s.covered_by.empty()) {
      StrAppend(&out, "no scores satisfy all its ranges\n");
      continue;
    }
    StrAppend(&out, s.covered_by.size() == 1 ? "rule " : "rules ");
    for (size_t k = 0; k < s.covered_by.size(); ++k) {
      StrAppend(&out, k ? ", " : "", s.covered_by[k] + 1, " '", map.rules[s.covered_by[k]].name, "'");
    }
    StrAppend(&out, s.covered_by.size() == 1 ? " takes" : " take", " all its cells first\n");
  }
  if (!uncovered.empty()) {
    StrAppend(&out, uncovered.size(), uncovered.size() == 1 ? " cell" : " cells",
              " no rule covers (their customers are '", map.fallback, "'):");
    for (const auto& c : uncovered) StrAppend(&out, " ", CellName(c, r_f_m_grid));
    StrAppend(&out, "\n");
  }
  if (!conditional.empty()) {
    StrAppend(&out, "note: ", conditional.size(), conditional.size() == 1 ? " cell" : " cells",
              " only rules with conditions reach (their customers are '", map.fallback,
              "' when no condition holds):");
    for (const auto& c : conditional) StrAppend(&out, " ", CellName(c, r_f_m_grid));
    StrAppend(&out, "\n");
  }
  return out;
}

namespace {

int CellIndex(int r, int f, int m) { return (r - 1) * 25 + (f - 1) * 5 + (m - 1); }

bool CompareNumber(double v, CompareOp op, const std::vector<double>& values) {
  if (std::isnan(v)) return false;  // an absent figure (median gap below 2 purchase-days) never matches
  switch (op) {
    case CompareOp::kEq:
      return v == values[0];
    case CompareOp::kNe:
      return v != values[0];
    case CompareOp::kLt:
      return v < values[0];
    case CompareOp::kLe:
      return v <= values[0];
    case CompareOp::kGt:
      return v > values[0];
    case CompareOp::kGe:
      return v >= values[0];
    case CompareOp::kIn:
      return std::find(values.begin(), values.end(), v) != values.end();
    case CompareOp::kNotIn:
      return std::find(values.begin(), values.end(), v) == values.end();
  }
  return false;
}

bool CompareText(std::string_view v, CompareOp op, const std::vector<std::string>& values) {
  switch (op) {
    case CompareOp::kEq:
      return v == values[0];
    case CompareOp::kNe:
      return v != values[0];
    case CompareOp::kIn:
      return std::find(values.begin(), values.end(), v) != values.end();
    case CompareOp::kNotIn:
      return std::find(values.begin(), values.end(), v) == values.end();
    default:
      return false;
  }
}

// A text cell read as a number ("12", "3.5"); nothing for other text.
std::optional<double> AsNumber(std::string_view text) {
  double v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || !std::isfinite(v)) {
    return std::nullopt;
  }
  return v;
}

// The conditions of a map bound to a portfolio and the summary its RFM
// table comes from. A text field is coded once (a code per distinct
// value, src/portfolio/string_codes.h) and each condition on it decided
// once per distinct value, so that a customer costs a lookup per
// condition, not a string comparison.
class BoundConditions {
 public:
  static absl::StatusOr<BoundConditions> Bind(const SegmentMap& map, const Portfolio& portfolio,
                                              const CustomerSummary& summary) {
    BoundConditions b;
    b.portfolio_ = &portfolio;
    b.summary_ = &summary;
    const CustomerTable& customers = portfolio.customers();
    for (size_t i = 0; i < map.rules.size(); ++i) {
      const SegmentRule& rule = map.rules[i];
      b.first_.push_back(b.tests_.size());
      for (const SegmentCondition& c : rule.where) {
        Test t;
        t.condition = &c;
        const StringColumn* column = nullptr;
        switch (c.field) {
          case SegmentField::kRegion:
            column = &customers.region;
            break;
          case SegmentField::kSegment:
            column = &customers.segment;
            break;
          case SegmentField::kState:
            column = &customers.state;
            break;
          case SegmentField::kCity:
            column = &customers.city;
            break;
          case SegmentField::kAttribute: {
            const auto& names = customers.attributes.names();
            const auto it = std::find(names.begin(), names.end(), c.attribute);
            if (it == names.end()) {
              return absl::InvalidArgumentError(
                  StrCat("segment map: segments[", i, "] '", rule.name, "': ", c.FieldName(),
                         ": the customers have no attribute '", c.attribute, "'",
                         names.empty() ? std::string(" (they have none)")
                                       : StrCat(" (they have: ", absl::StrJoin(names, ", "), ")")));
            }
            column = &customers.attributes.column(static_cast<size_t>(it - names.begin()));
            break;
          }
          default:
            break;
        }
        if (column != nullptr) {
          const Coded& coded = b.Code(*column);
          t.codes = coded.codes.data();
          t.holds.resize(coded.values.size() + 1);
          for (size_t k = 0; k <= coded.values.size(); ++k) {
            const std::string_view v = k == 0 ? std::string_view() : coded.values[k - 1];
            bool holds = false;
            if (c.text.empty()) {
              const std::optional<double> number = AsNumber(v);
              holds = number.has_value() && CompareNumber(*number, c.op, c.number);
            } else {
              holds = CompareText(v, c.op, c.text);
            }
            t.holds[k] = holds;
          }
        }
        b.tests_.push_back(std::move(t));
      }
    }
    b.first_.push_back(b.tests_.size());
    return b;
  }

  // Whether every condition of rule `rule` holds for RFM row `row`
  // (summary row `row`, customer `customer`).
  bool Holds(size_t rule, size_t row, CustomerIndex customer) const {
    for (size_t k = first_[rule]; k < first_[rule + 1]; ++k) {
      if (!Holds(tests_[k], row, customer)) return false;
    }
    return true;
  }

 private:
  struct Coded {
    std::vector<std::uint32_t> codes;  // per customer
    std::vector<std::string_view> values;
  };
  struct Test {
    const SegmentCondition* condition = nullptr;
    const std::uint32_t* codes = nullptr;  // text fields: the column's codes
    std::vector<std::uint8_t> holds;       // by code
  };

  const Coded& Code(const StringColumn& column) {
    for (const auto& [col, coded] : coded_) {
      if (col == &column) return *coded;
    }
    auto coded = std::make_unique<Coded>();
    coded->codes.resize(column.size());
    if (column.size() > 0) coded->values = internal::CodeStrings(column, coded->codes.data());
    coded_.emplace_back(&column, std::move(coded));
    return *coded_.back().second;
  }

  bool Holds(const Test& t, size_t row, CustomerIndex customer) const {
    if (t.codes != nullptr) return t.holds[t.codes[customer]];
    const SegmentCondition& c = *t.condition;
    const CustomerTable& customers = portfolio_->customers();
    const CustomerSummary& s = *summary_;
    double v = 0;
    switch (c.field) {
      case SegmentField::kKeyAccount:
        v = customers.key_account[customer] != 0 ? 1 : 0;
        break;
      case SegmentField::kDelinquent:
        v = customers.delinquent[customer] != 0 ? 1 : 0;
        break;
      case SegmentField::kRecencyDays:
        v = s.days_since_last[row];
        break;
      case SegmentField::kFrequency:
        v = s.purchase_days[row];
        break;
      case SegmentField::kMonetary:
        v = static_cast<double>(s.revenue[row]);
        break;
      case SegmentField::kAverageTicket:
        v = static_cast<double>(s.average_ticket[row]);
        break;
      case SegmentField::kTenureDays:
        v = s.as_of - s.first_purchase[row];
        break;
      case SegmentField::kRepeatPurchases:
        v = s.x[row];
        break;
      case SegmentField::kMedianGapDays:
        v = s.median_gap_days[row];
        break;
      default:
        return false;
    }
    return CompareNumber(v, c.op, c.number);
  }

  const Portfolio* portfolio_ = nullptr;
  const CustomerSummary* summary_ = nullptr;
  std::vector<Test> tests_;
  std::vector<size_t> first_;  // rule i's tests: [first_[i], first_[i + 1])
  std::vector<std::pair<const StringColumn*, std::unique_ptr<Coded>>> coded_;
};

absl::StatusOr<SegmentAssignment> Assign(const RfmTable& rfm, const SegmentMap& map, const Portfolio* portfolio,
                                         const CustomerSummary* summary) {
  if (auto s = map.Validate(); !s.ok()) return s;
  SegmentAssignment out;
  out.names = map.Names();
  auto index_of = [&out](const std::string& name) {
    for (size_t k = 0; k < out.names.size(); ++k) {
      if (out.names[k] == name) return static_cast<std::uint16_t>(k);
    }
    return std::uint16_t{0};
  };
  std::vector<std::uint16_t> name_of(map.rules.size());
  for (size_t i = 0; i < map.rules.size(); ++i) name_of[i] = index_of(map.rules[i].name);
  const std::uint16_t fallback = index_of(map.fallback);
  // Per (r, f, m) cell: the rules whose ranges match, in order, up to the
  // first without conditions (it always matches there). Without
  // conditions, that is one rule a cell: one load a customer.
  std::array<std::vector<std::uint32_t>, 125> candidates;
  std::array<std::uint16_t, 125> cell{};
  bool any_conditional_cell = false;
  for (int r = 1; r <= kRfmLevels; ++r) {
    for (int f = 1; f <= kRfmLevels; ++f) {
      for (int m = 1; m <= kRfmLevels; ++m) {
        const int k = CellIndex(r, f, m);
        cell[k] = fallback;
        for (size_t i = 0; i < map.rules.size(); ++i) {
          if (!map.rules[i].Matches(r, f, m)) continue;
          candidates[k].push_back(static_cast<std::uint32_t>(i));
          if (map.rules[i].where.empty()) break;
        }
        if (!candidates[k].empty() && map.rules[candidates[k].front()].where.empty()) {
          cell[k] = name_of[candidates[k].front()];
          candidates[k].clear();
        } else if (!candidates[k].empty()) {
          any_conditional_cell = true;
        }
      }
    }
  }
  std::optional<BoundConditions> bound;
  if (any_conditional_cell) {
    auto b = BoundConditions::Bind(map, *portfolio, *summary);
    if (!b.ok()) return b.status();
    bound = std::move(*b);
  }
  const size_t n = rfm.size();
  out.segment.resize(n);
  out.counts.assign(out.names.size(), 0);
  if (!bound) {
    // Every cell decided by its scores: one load a customer.
    for (size_t i = 0; i < n; ++i) {
      const std::uint16_t seg = cell[CellIndex(rfm.r[i], rfm.f[i], rfm.m[i])];
      out.segment[i] = seg;
      ++out.counts[seg];
    }
    return out;
  }
  for (size_t i = 0; i < n; ++i) {
    const int k = CellIndex(rfm.r[i], rfm.f[i], rfm.m[i]);
    std::uint16_t seg = cell[k];
    for (const std::uint32_t rule : candidates[k]) {
      if (bound->Holds(rule, i, rfm.customer[i])) {
        seg = name_of[rule];
        break;
      }
    }
    out.segment[i] = seg;
    ++out.counts[seg];
  }
  return out;
}

}  // namespace

absl::StatusOr<SegmentAssignment> AssignSegments(const RfmTable& rfm, const SegmentMap& map) {
  for (size_t i = 0; i < map.rules.size(); ++i) {
    if (!map.rules[i].where.empty()) {
      return absl::FailedPreconditionError(
          StrCat("segment map: rule ", i + 1, " '", map.rules[i].name, "' has conditions (",
                 map.rules[i].DescribeConditions(), "): they need the portfolio and the summary "
                 "(the AssignSegments overload that takes them)"));
    }
  }
  return Assign(rfm, map, nullptr, nullptr);
}

absl::StatusOr<SegmentAssignment> AssignSegments(const RfmTable& rfm, const SegmentMap& map,
                                                 const Portfolio& portfolio, const CustomerSummary& summary) {
  const size_t n = rfm.size();
  if (summary.size() != n || !std::equal(rfm.customer.begin(), rfm.customer.end(), summary.customer.begin())) {
    return absl::FailedPreconditionError("the RFM table was not scored from this summary (its customers differ)");
  }
  if (n > 0 && rfm.customer.back() >= portfolio.customers().size()) {
    return absl::FailedPreconditionError("the summary is of another portfolio (customer indices differ)");
  }
  return Assign(rfm, map, &portfolio, &summary);
}

}  // namespace carteira
