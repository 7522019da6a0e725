#include "carteira/status/status_policy.h"

#include <cmath>
#include <fstream>
#include <initializer_list>
#include <sstream>

#include <nlohmann/json.hpp>

#include "absl/container/flat_hash_set.h"

#include "carteira/core/strings.h"

namespace carteira {
namespace {

using Json = nlohmann::json;

// Day counts above a century are certainly a mistake, and keeping them
// small keeps every date computed from them inside the calendar.
constexpr std::int32_t kMaxDays = 36500;

std::string Join(std::string_view path, std::string_view key) {
  return path.empty() ? std::string(key) : StrCat(path, ".", key);
}

absl::Status Bad(std::string_view path, std::string_view what) {
  return absl::InvalidArgumentError(StrCat(path, ": ", what));
}

std::string Shown(const Json& value) {
  std::string text = value.dump();
  if (text.size() > 40) text = text.substr(0, 37) + "...";
  return text;
}

absl::Status CheckKeys(const Json& object, std::string_view path,
                       std::initializer_list<std::string_view> allowed) {
  if (!object.is_object()) {
    return Bad(path.empty() ? "policy" : path, StrCat("expected an object, got ", Shown(object)));
  }
  for (const auto& [key, value] : object.items()) {
    bool known = false;
    for (std::string_view name : allowed) known = known || key == name;
    if (known) continue;
    std::string expected;
    for (std::string_view name : allowed) StrAppend(&expected, expected.empty() ? "" : ", ", name);
    return Bad(Join(path, key), StrCat("unknown key (expected one of: ", expected, ")"));
  }
  return absl::OkStatus();
}

absl::Status ReadDays(const Json& object, std::string_view path, std::string_view key,
                      std::int32_t* out) {
  const auto it = object.find(std::string(key));
  if (it == object.end()) return absl::OkStatus();
  const std::string where = Join(path, key);
  if (!it->is_number_integer()) {
    return Bad(where, StrCat("expected a whole number of days, got ", Shown(*it)));
  }
  if (it->is_number_unsigned() && it->get<std::uint64_t>() > static_cast<std::uint64_t>(kMaxDays)) {
    return Bad(where, StrCat("must be at most ", kMaxDays, " days, got ", it->dump()));
  }
  const std::int64_t days = it->get<std::int64_t>();
  if (days < 0) return Bad(where, StrCat("must not be negative, got ", days));
  if (days > kMaxDays) return Bad(where, StrCat("must be at most ", kMaxDays, " days, got ", days));
  *out = static_cast<std::int32_t>(days);
  return absl::OkStatus();
}

absl::Status ReadMultiple(const Json& object, std::string_view path, std::string_view key,
                          double* out) {
  const auto it = object.find(std::string(key));
  if (it == object.end()) return absl::OkStatus();
  if (!it->is_number()) return Bad(Join(path, key), StrCat("expected a number, got ", Shown(*it)));
  *out = it->get<double>();
  return absl::OkStatus();
}

absl::Status ReadBool(const Json& object, std::string_view path, std::string_view key, bool* out) {
  const auto it = object.find(std::string(key));
  if (it == object.end()) return absl::OkStatus();
  if (!it->is_boolean()) return Bad(Join(path, key), StrCat("expected true or false, got ", Shown(*it)));
  *out = it->get<bool>();
  return absl::OkStatus();
}

#define CARTEIRA_RETURN_IF_ERROR(expr)         \
  do {                                         \
    if (absl::Status _s = (expr); !_s.ok()) return _s; \
  } while (false)

absl::Status ApplyRecency(const Json& j, std::string_view path, RecencyRule* r) {
  CARTEIRA_RETURN_IF_ERROR(CheckKeys(j, path, {"at_risk_after", "inactive_after", "lost_after"}));
  CARTEIRA_RETURN_IF_ERROR(ReadDays(j, path, "at_risk_after", &r->at_risk_after));
  CARTEIRA_RETURN_IF_ERROR(ReadDays(j, path, "inactive_after", &r->inactive_after));
  return ReadDays(j, path, "lost_after", &r->lost_after);
}

absl::Status ApplyCadence(const Json& j, std::string_view path, CadenceRule* r) {
  CARTEIRA_RETURN_IF_ERROR(CheckKeys(j, path,
                                     {"enabled", "at_risk_multiple", "inactive_multiple",
                                      "min_purchase_days", "min_days", "max_days", "combine"}));
  CARTEIRA_RETURN_IF_ERROR(ReadBool(j, path, "enabled", &r->enabled));
  CARTEIRA_RETURN_IF_ERROR(ReadMultiple(j, path, "at_risk_multiple", &r->at_risk_multiple));
  CARTEIRA_RETURN_IF_ERROR(ReadMultiple(j, path, "inactive_multiple", &r->inactive_multiple));
  CARTEIRA_RETURN_IF_ERROR(ReadDays(j, path, "min_purchase_days", &r->min_purchase_days));
  CARTEIRA_RETURN_IF_ERROR(ReadDays(j, path, "min_days", &r->min_days));
  CARTEIRA_RETURN_IF_ERROR(ReadDays(j, path, "max_days", &r->max_days));
  if (const auto it = j.find("combine"); it != j.end()) {
    const std::string where = Join(path, "combine");
    if (!it->is_string()) return Bad(where, StrCat("expected a string, got ", Shown(*it)));
    const std::string name = it->get<std::string>();
    bool found = false;
    for (CadenceCombine c :
         {CadenceCombine::kCadenceFirst, CadenceCombine::kStricter, CadenceCombine::kLooser}) {
      if (CadenceCombineName(c) == name) {
        r->combine = c;
        found = true;
      }
    }
    if (!found) {
      return Bad(where, StrCat("unknown value \"", name, "\" (expected cadence_first, stricter or looser)"));
    }
  }
  return absl::OkStatus();
}

absl::Status ApplyContract(const Json& j, std::string_view path, ContractRule* r) {
  CARTEIRA_RETURN_IF_ERROR(CheckKeys(
      j, path, {"enabled", "renewal_window", "include_auto_renew", "ended_unrenewed_is_inactive"}));
  CARTEIRA_RETURN_IF_ERROR(ReadBool(j, path, "enabled", &r->enabled));
  CARTEIRA_RETURN_IF_ERROR(ReadDays(j, path, "renewal_window", &r->renewal_window));
  CARTEIRA_RETURN_IF_ERROR(ReadBool(j, path, "include_auto_renew", &r->include_auto_renew));
  return ReadBool(j, path, "ended_unrenewed_is_inactive", &r->ended_unrenewed_is_inactive);
}

absl::Status ApplyLifecycle(const Json& j, std::string_view path, LifecycleRule* r) {
  CARTEIRA_RETURN_IF_ERROR(
      CheckKeys(j, path, {"new_and_reactivated", "new_within", "reactivated_within", "key_account_never"}));
  CARTEIRA_RETURN_IF_ERROR(ReadBool(j, path, "new_and_reactivated", &r->new_and_reactivated));
  CARTEIRA_RETURN_IF_ERROR(ReadDays(j, path, "new_within", &r->new_within));
  CARTEIRA_RETURN_IF_ERROR(ReadDays(j, path, "reactivated_within", &r->reactivated_within));
  if (const auto it = j.find("key_account_never"); it != j.end()) {
    const std::string where = Join(path, "key_account_never");
    if (!it->is_array()) return Bad(where, StrCat("expected a list of statuses, got ", Shown(*it)));
    r->key_account_never.clear();
    for (size_t i = 0; i < it->size(); ++i) {
      const Json& item = (*it)[i];
      const std::string at = StrCat(where, "[", i, "]");
      if (!item.is_string()) return Bad(at, StrCat("expected a status name, got ", Shown(item)));
      const std::optional<Status> status = ParseStatus(item.get<std::string>());
      if (!status) {
        return Bad(at, StrCat("unknown status \"", item.get<std::string>(),
                              "\" (expected prospect, new, active, at_risk, inactive, lost or "
                              "reactivated)"));
      }
      r->key_account_never.push_back(*status);
    }
  }
  return absl::OkStatus();
}

absl::Status ApplyRules(const Json& j, std::string_view path, StatusRules* rules) {
  if (const auto it = j.find("recency"); it != j.end()) {
    CARTEIRA_RETURN_IF_ERROR(ApplyRecency(*it, Join(path, "recency"), &rules->recency));
  }
  if (const auto it = j.find("cadence"); it != j.end()) {
    CARTEIRA_RETURN_IF_ERROR(ApplyCadence(*it, Join(path, "cadence"), &rules->cadence));
  }
  if (const auto it = j.find("contract"); it != j.end()) {
    CARTEIRA_RETURN_IF_ERROR(ApplyContract(*it, Join(path, "contract"), &rules->contract));
  }
  if (const auto it = j.find("lifecycle"); it != j.end()) {
    CARTEIRA_RETURN_IF_ERROR(ApplyLifecycle(*it, Join(path, "lifecycle"), &rules->lifecycle));
  }
  return absl::OkStatus();
}

absl::Status ValidateRules(const StatusRules& r, std::string_view path) {
  const std::string recency = Join(path, "recency");
  auto days = [](std::string_view where, std::int32_t value) -> absl::Status {
    if (value < 0) return Bad(where, StrCat("must not be negative, got ", value));
    if (value > kMaxDays) return Bad(where, StrCat("must be at most ", kMaxDays, " days, got ", value));
    return absl::OkStatus();
  };
  CARTEIRA_RETURN_IF_ERROR(days(Join(recency, "at_risk_after"), r.recency.at_risk_after));
  CARTEIRA_RETURN_IF_ERROR(days(Join(recency, "inactive_after"), r.recency.inactive_after));
  CARTEIRA_RETURN_IF_ERROR(days(Join(recency, "lost_after"), r.recency.lost_after));
  if (r.recency.at_risk_after > r.recency.inactive_after) {
    return Bad(Join(recency, "at_risk_after"),
               StrCat(r.recency.at_risk_after, " must not exceed inactive_after (",
                      r.recency.inactive_after, "): a customer is at risk before being inactive"));
  }
  if (r.recency.inactive_after > r.recency.lost_after) {
    return Bad(Join(recency, "inactive_after"),
               StrCat(r.recency.inactive_after, " must not exceed lost_after (",
                      r.recency.lost_after, ")"));
  }
  const std::string cadence = Join(path, "cadence");
  for (const auto& [key, value] : {std::pair{"at_risk_multiple", r.cadence.at_risk_multiple},
                                   std::pair{"inactive_multiple", r.cadence.inactive_multiple}}) {
    if (!std::isfinite(value) || value <= 0 || value > 1000) {
      return Bad(Join(cadence, key), StrCat("must be a number above 0 and at most 1000, got ", value));
    }
  }
  if (r.cadence.at_risk_multiple > r.cadence.inactive_multiple) {
    return Bad(Join(cadence, "at_risk_multiple"),
               StrCat(r.cadence.at_risk_multiple, " must not exceed inactive_multiple (",
                      r.cadence.inactive_multiple, ")"));
  }
  CARTEIRA_RETURN_IF_ERROR(days(Join(cadence, "min_days"), r.cadence.min_days));
  CARTEIRA_RETURN_IF_ERROR(days(Join(cadence, "max_days"), r.cadence.max_days));
  CARTEIRA_RETURN_IF_ERROR(days(Join(cadence, "min_purchase_days"), r.cadence.min_purchase_days));
  if (r.cadence.min_purchase_days < 2) {
    return Bad(Join(cadence, "min_purchase_days"),
               StrCat("must be at least 2 (a median gap needs two purchase-days), got ",
                      r.cadence.min_purchase_days));
  }
  if (r.cadence.min_days > r.cadence.max_days) {
    return Bad(Join(cadence, "min_days"), StrCat(r.cadence.min_days, " must not exceed max_days (",
                                                 r.cadence.max_days, ")"));
  }
  CARTEIRA_RETURN_IF_ERROR(
      days(Join(Join(path, "contract"), "renewal_window"), r.contract.renewal_window));
  const std::string lifecycle = Join(path, "lifecycle");
  CARTEIRA_RETURN_IF_ERROR(days(Join(lifecycle, "new_within"), r.lifecycle.new_within));
  CARTEIRA_RETURN_IF_ERROR(
      days(Join(lifecycle, "reactivated_within"), r.lifecycle.reactivated_within));
  for (size_t i = 0; i < r.lifecycle.key_account_never.size(); ++i) {
    const Status s = r.lifecycle.key_account_never[i];
    if (Severity(s) == 0) {
      return Bad(StrCat(lifecycle, ".key_account_never[", i, "]"),
                 StrCat("\"", StatusName(s), "\" cannot be refused; use at_risk, inactive or lost"));
    }
  }
  return absl::OkStatus();
}

Json RulesToJson(const StatusRules& r) {
  Json never = Json::array();
  for (Status s : r.lifecycle.key_account_never) never.push_back(std::string(StatusName(s)));
  return Json{
      {"recency",
       {{"at_risk_after", r.recency.at_risk_after},
        {"inactive_after", r.recency.inactive_after},
        {"lost_after", r.recency.lost_after}}},
      {"cadence",
       {{"enabled", r.cadence.enabled},
        {"at_risk_multiple", r.cadence.at_risk_multiple},
        {"inactive_multiple", r.cadence.inactive_multiple},
        {"min_purchase_days", r.cadence.min_purchase_days},
        {"min_days", r.cadence.min_days},
        {"max_days", r.cadence.max_days},
        {"combine", std::string(CadenceCombineName(r.cadence.combine))}}},
      {"contract",
       {{"enabled", r.contract.enabled},
        {"renewal_window", r.contract.renewal_window},
        {"include_auto_renew", r.contract.include_auto_renew},
        {"ended_unrenewed_is_inactive", r.contract.ended_unrenewed_is_inactive}}},
      {"lifecycle",
       {{"new_and_reactivated", r.lifecycle.new_and_reactivated},
        {"new_within", r.lifecycle.new_within},
        {"reactivated_within", r.lifecycle.reactivated_within},
        {"key_account_never", never}}},
  };
}

}  // namespace

std::string_view CadenceCombineName(CadenceCombine combine) {
  switch (combine) {
    case CadenceCombine::kStricter:
      return "stricter";
    case CadenceCombine::kLooser:
      return "looser";
    default:
      return "cadence_first";
  }
}

StatusPolicy StatusPolicy::FixedThresholds(std::int32_t at_risk_after, std::int32_t inactive_after,
                                           std::int32_t lost_after) {
  StatusPolicy policy;
  policy.defaults.recency = {at_risk_after, inactive_after, lost_after};
  policy.defaults.cadence.enabled = false;
  policy.defaults.contract.ended_unrenewed_is_inactive = false;
  policy.defaults.lifecycle.new_and_reactivated = false;
  return policy;
}

absl::StatusOr<StatusPolicy> StatusPolicy::FromJson(std::string_view json, std::string_view source) {
  Json doc;
  try {
    doc = Json::parse(json.begin(), json.end(), nullptr, /*allow_exceptions=*/true,
                      /*ignore_comments=*/true);
  } catch (const Json::exception& e) {  // parse_error, and out_of_range for a number overflow
    // nlohmann's message carries the line and column.
    return absl::InvalidArgumentError(StrCat(source, ": not valid JSON: ", e.what()));
  }
  StatusPolicy policy;
  auto located = [source](const absl::Status& s) {
    return absl::InvalidArgumentError(StrCat(source, ": ", s.message()));
  };
  if (absl::Status s = CheckKeys(doc, "", {"version", "recency", "cadence", "contract",
                                            "lifecycle", "segments"});
      !s.ok()) {
    return located(s);
  }
  if (const auto it = doc.find("version"); it != doc.end()) {
    if (!it->is_number_integer() || it->get<std::int64_t>() != 1) {
      return located(Bad("version", StrCat("unsupported policy version ", Shown(*it), " (this library reads 1)")));
    }
  }
  if (absl::Status s = ApplyRules(doc, "", &policy.defaults); !s.ok()) return located(s);
  if (const auto it = doc.find("segments"); it != doc.end()) {
    if (!it->is_object()) {
      return located(Bad("segments", StrCat("expected an object of segment names, got ", Shown(*it))));
    }
    for (const auto& [name, overrides] : it->items()) {
      const std::string path = StrCat("segments.", name);
      if (name.empty()) return located(Bad("segments", "a segment name is empty"));
      if (absl::Status s =
              CheckKeys(overrides, path, {"recency", "cadence", "contract", "lifecycle"});
          !s.ok()) {
        return located(s);
      }
      SegmentRules segment{name, policy.defaults};
      if (absl::Status s = ApplyRules(overrides, path, &segment.rules); !s.ok()) return located(s);
      policy.segments.push_back(std::move(segment));
    }
  }
  if (absl::Status s = policy.Validate(); !s.ok()) return located(s);
  return policy;
}

absl::StatusOr<StatusPolicy> StatusPolicy::FromFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(StrCat(path, ": cannot open the policy file"));
  std::ostringstream text;
  text << in.rdbuf();
  std::string json = text.str();
  if (json.rfind("\xEF\xBB\xBF", 0) == 0) json.erase(0, 3);  // a BOM from Windows editors
  return FromJson(json, path);
}

absl::Status StatusPolicy::Validate() const {
  if (absl::Status s = ValidateRules(defaults, ""); !s.ok()) return s;
  // Segment indices are 16-bit in the status tables.
  constexpr size_t kMaxSegments = 32767;
  if (segments.size() > kMaxSegments) {
    return Bad("segments", StrCat(segments.size(), " segments; at most ", kMaxSegments));
  }
  absl::flat_hash_set<absl::string_view> seen;
  for (size_t i = 0; i < segments.size(); ++i) {
    if (segments[i].segment.empty()) return Bad("segments", "a segment name is empty");
    if (!seen.insert(AsAbsl(segments[i].segment)).second) {
      return Bad(StrCat("segments.", segments[i].segment), "the segment is given twice");
    }
    if (absl::Status s = ValidateRules(segments[i].rules, StrCat("segments.", segments[i].segment));
        !s.ok()) {
      return s;
    }
  }
  return absl::OkStatus();
}

const StatusRules& StatusPolicy::RulesFor(std::string_view segment, int* scope) const {
  for (size_t i = 0; i < segments.size(); ++i) {
    if (segments[i].segment == segment) {
      if (scope != nullptr) *scope = static_cast<int>(i);
      return segments[i].rules;
    }
  }
  if (scope != nullptr) *scope = -1;
  return defaults;
}

std::string StatusPolicy::ToJson() const {
  Json doc = RulesToJson(defaults);
  doc["version"] = 1;
  Json by_segment = Json::object();
  for (const SegmentRules& s : segments) by_segment[s.segment] = RulesToJson(s.rules);
  doc["segments"] = by_segment;
  return doc.dump(2);
}

}  // namespace carteira
