// The loyalty rules file: JSON to LoyaltyRules, every error naming the key.
#include <cstdint>
#include <optional>

#include "carteira/actions/loyalty.h"
#include "carteira/core/strings.h"
#include "carteira/core/text_file.h"
#include "src/core/json_reader.h"

namespace carteira {
namespace {

using Json = JsonObjectReader::Json;

// The rules file's readers on top of the shared key reader (src/core/json_reader.h).
class Reader : public JsonObjectReader {
 public:
  using JsonObjectReader::JsonObjectReader;

  absl::Status Int64(std::string_view key, std::int64_t* out, std::int64_t min, std::int64_t max) const {
    const Json* v = Find(key);
    if (v == nullptr) return absl::OkStatus();
    const std::optional<std::int64_t> n = WholeNumber(*v, min, max);
    if (!n) return Error(key, StrCat("expected a whole number from ", min, " to ", max, ", got ", v->dump()));
    *out = *n;
    return absl::OkStatus();
  }
  absl::Status Int(std::string_view key, std::int32_t* out, std::int32_t min) const {
    std::int64_t v = *out;
    if (auto s = Int64(key, &v, min, INT32_MAX); !s.ok()) return s;
    *out = static_cast<std::int32_t>(v);
    return absl::OkStatus();
  }
  // Money is a decimal string, never a JSON number: a binary double cannot
  // hold every amount, and a bare integer would leave the unit in doubt.
  absl::Status Money(std::string_view key, MinorUnits* out) const {
    const Json* v = Find(key);
    if (v == nullptr) return absl::OkStatus();
    if (!v->is_string()) {
      return Error(key, StrCat("expected an amount as a string such as \"1000,00\" or \"1000.00\", got ",
                               v->dump()));
    }
    auto amount = ParseMoney(v->get<std::string>());
    if (!amount.ok()) return Error(key, std::string(amount.status().message()));
    *out = *amount;
    return absl::OkStatus();
  }
  // Required, unlike the other keys.
  absl::Status Day(std::string_view key, DayNumber* out) const {
    if (Find(key) == nullptr) return Error(key, "is required (a date such as \"2025-11-28\")");
    std::string text;
    if (auto s = Text(key, &text); !s.ok()) return s;
    auto day = ParseDate(text);
    if (!day.ok()) return Error(key, std::string(day.status().message()));
    *out = *day;
    return absl::OkStatus();
  }
};

absl::Status ReadTiers(const Json& list, const std::string& where, std::vector<LoyaltyTier>* out) {
  if (!list.is_array()) return absl::InvalidArgumentError(StrCat(where, ": expected an array of tiers"));
  for (size_t i = 0; i < list.size(); ++i) {
    const std::string at = StrCat(where, "[", i, "]");
    if (!list[i].is_object()) return absl::InvalidArgumentError(StrCat(at, ": expected an object"));
    const Reader r(list[i], at);
    LoyaltyTier tier;
    absl::Status s;
    if (!(s = r.Keys({"name", "min_spend", "multiplier"})).ok() || !(s = r.Text("name", &tier.name)).ok() ||
        !(s = r.Money("min_spend", &tier.min_spend)).ok() ||
        !(s = r.Int("multiplier", &tier.multiplier_percent, 0)).ok()) {
      return s;
    }
    if (tier.name.empty()) return r.Error("name", "is required");
    if (i > 0 && tier.min_spend <= out->back().min_spend) {
      return r.Error("min_spend", StrCat("must be above the tier before (", out->back().name, ", ",
                                         FormatMoney(out->back().min_spend), ")"));
    }
    out->push_back(std::move(tier));
  }
  return absl::OkStatus();
}

absl::Status ReadCampaigns(const Json& list, const std::string& where, std::vector<LoyaltyCampaign>* out) {
  if (!list.is_array()) return absl::InvalidArgumentError(StrCat(where, ": expected an array of campaigns"));
  for (size_t i = 0; i < list.size(); ++i) {
    const std::string at = StrCat(where, "[", i, "]");
    if (!list[i].is_object()) return absl::InvalidArgumentError(StrCat(at, ": expected an object"));
    const Reader r(list[i], at);
    LoyaltyCampaign c;
    absl::Status s;
    if (!(s = r.Keys({"name", "from", "to", "multiplier", "segment"})).ok() || !(s = r.Text("name", &c.name)).ok() ||
        !(s = r.Day("from", &c.from)).ok() || !(s = r.Day("to", &c.to)).ok() ||
        !(s = r.Int("multiplier", &c.multiplier_percent, 0)).ok() || !(s = r.Text("segment", &c.segment)).ok()) {
      return s;
    }
    if (c.name.empty()) return r.Error("name", "is required");
    if (c.to < c.from) return r.Error("to", StrCat(FormatDate(c.to), " is before from (", FormatDate(c.from), ")"));
    out->push_back(std::move(c));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<LoyaltyRules> LoyaltyRules::FromJson(std::string_view json, std::string_view origin) {
  Json doc;
  try {
    doc = Json::parse(json.begin(), json.end(), nullptr, true, /*ignore_comments=*/true);
  } catch (const Json::exception& e) {  // parse_error, and out_of_range for a number overflow
    return absl::InvalidArgumentError(StrCat(origin, ": not valid JSON: ", e.what()));
  }
  if (!doc.is_object()) return absl::InvalidArgumentError(StrCat(origin, ": expected a JSON object"));
  LoyaltyRules rules;
  const std::string where(origin);
  const Reader r(doc, where);
  absl::Status s;
  if (!(s = r.Keys({"version", "points_per_unit", "unit", "expiry_months", "segments", "tiers", "campaigns"})).ok() ||
      !(s = r.Int64("points_per_unit", &rules.points_per_unit, 0, INT32_MAX)).ok() ||
      !(s = r.Money("unit", &rules.unit)).ok() || !(s = r.Int("expiry_months", &rules.expiry_months, 1)).ok()) {
    return s;
  }
  if (auto it = doc.find("version"); it != doc.end() && *it != 1) {
    return r.Error("version", StrCat("unsupported version ", it->dump(), " (this library reads 1)"));
  }
  if (rules.unit <= 0) return r.Error("unit", "must be above 0");
  if (auto it = doc.find("segments"); it != doc.end()) {
    if (!it->is_object()) return r.Error("segments", "expected an object of segment: multiplier (percent)");
    const Reader segments(*it, StrCat(where, ".segments"));
    for (const auto& [name, value] : it->items()) {
      std::int32_t percent = 100;
      if (auto s2 = segments.Int(name, &percent, 0); !s2.ok()) return s2;
      rules.segment_multiplier_percent.emplace_back(name, percent);
    }
  }
  if (auto it = doc.find("tiers"); it != doc.end()) {
    if (auto s2 = ReadTiers(*it, StrCat(where, ".tiers"), &rules.tiers); !s2.ok()) return s2;
  }
  if (auto it = doc.find("campaigns"); it != doc.end()) {
    if (auto s2 = ReadCampaigns(*it, StrCat(where, ".campaigns"), &rules.campaigns); !s2.ok()) return s2;
  }
  if (auto v = rules.Validate(); !v.ok()) {
    return absl::InvalidArgumentError(StrCat(where, ": ", std::string(v.message())));
  }
  return rules;
}

absl::StatusOr<LoyaltyRules> LoyaltyRules::FromFile(const std::string& path) {
  auto text = ReadTextFile(path, "the loyalty rules file");
  if (!text.ok()) return text.status();
  return FromJson(*text, path);
}

}  // namespace carteira
