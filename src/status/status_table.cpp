#include "carteira/status/status_table.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "carteira/core/strings.h"

namespace carteira {
namespace {

constexpr std::array<std::string_view, kBuiltinRuleCount> kBuiltinRuleNames = {
    "no_purchase", "new_customer", "recency", "cadence", "contract_ended", "reactivation",
    "key_account_never"};

// 180 -> "180", 17.5 -> "17.5", 14.666 -> "14.7".
std::string Days(double value) {
  if (std::floor(value) == value) return StrCat(static_cast<std::int64_t>(value));
  // One decimal reads best; more when one would show a fraction as whole
  // (14.997 must not read "15.0" next to "> 15").
  char text[32];
  for (int digits = 1; digits <= 6; ++digits) {
    std::snprintf(text, sizeof text, "%.*f", digits, value);
    const double shown = std::strtod(text, nullptr);
    if (std::floor(shown) != shown) break;
  }
  return text;
}

// "1 day", "15 days", "14.5 days".
std::string DayCount(double value) { return StrCat(Days(value), value == 1 ? " day" : " days"); }

}  // namespace

std::string_view BuiltinRuleName(BuiltinRule rule) {
  const auto i = static_cast<size_t>(rule);
  return i < kBuiltinRuleNames.size() ? kBuiltinRuleNames[i] : std::string_view("unknown");
}

std::array<size_t, kStatusCount> StatusTable::Counts() const {
  std::array<size_t, kStatusCount> counts{};
  for (Status s : status) ++counts[static_cast<size_t>(s)];
  return counts;
}

std::vector<std::array<size_t, kStatusCount>> StatusHistory::Counts() const {
  std::vector<std::array<size_t, kStatusCount>> counts(dates.size());
  for (size_t d = 0; d < dates.size(); ++d) {
    for (Status s : status[d]) ++counts[d][static_cast<size_t>(s)];
  }
  return counts;
}

std::string_view StatusTable::RuleName(size_t row) const {
  const std::uint16_t id = rule[row];
  if (id >= kFirstPluginRule) {
    const size_t plugin = id - kFirstPluginRule;
    return plugin < plugin_names.size() ? std::string_view(plugin_names[plugin]) : "unknown";
  }
  return BuiltinRuleName(static_cast<BuiltinRule>(id));
}

const std::vector<double>* StatusTable::Field(std::string_view name) const {
  for (size_t k = 0; k < field_names.size(); ++k) {
    if (field_names[k] == name) return &fields[k];
  }
  return nullptr;
}

std::string_view StatusTable::PluginNotes(size_t row) const {
  const auto it = std::lower_bound(
      plugin_notes.begin(), plugin_notes.end(), static_cast<CustomerIndex>(row),
      [](const std::pair<CustomerIndex, std::string>& note, CustomerIndex c) { return note.first < c; });
  if (it == plugin_notes.end() || it->first != row) return {};
  return it->second;
}

std::string StatusTable::Reason(const Portfolio& portfolio, size_t row) const {
  const std::string scope_name =
      scope[row] < 0 || policy == nullptr
          ? std::string("default")
          : StrCat("segment ", policy->segments[static_cast<size_t>(scope[row])].segment);
  static const StatusPolicy kDefault;
  const StatusPolicy& p = policy != nullptr ? *policy : kDefault;
  const StatusRules& rules =
      scope[row] < 0 ? p.defaults : p.segments[static_cast<size_t>(scope[row])].rules;
  const std::int32_t days = days_since_last[row];
  const double threshold = threshold_days[row];
  const Status s = status[row];
  auto contract_id = [&portfolio](std::int32_t k) {
    return k >= 0 && static_cast<size_t>(k) < portfolio.contracts().size()
               ? std::string(portfolio.contracts().contract_id[static_cast<size_t>(k)])
               : std::string();
  };
  auto recency = [&](bool crossed) {
    return StrCat(DayCount(days), " without purchase ", crossed ? "> " : "<= ", Days(threshold));
  };
  std::string reason;
  switch (rule[row]) {
    case static_cast<std::uint16_t>(BuiltinRule::kNoPurchase):
      reason = StrCat("no purchase on or before ", FormatDate(as_of));
      break;
    case static_cast<std::uint16_t>(BuiltinRule::kNewCustomer):
      reason = StrCat("first purchase on ", FormatDate(event_day[row]), ", ",
                      DayCount(as_of - event_day[row]), " ago <= ", Days(threshold), " (", scope_name, ")");
      break;
    case static_cast<std::uint16_t>(BuiltinRule::kRecency):
      reason = StrCat(recency(s != Status::kActive), " (", scope_name, ")");
      break;
    case static_cast<std::uint16_t>(BuiltinRule::kCadence): {
      const double multiple = s == Status::kInactive ? rules.cadence.inactive_multiple
                                                     : rules.cadence.at_risk_multiple;
      const double median = median_gap_days[row];
      std::string how = StrCat(Days(multiple), " x median gap of ", DayCount(median));
      const double raw = multiple * median;
      if (raw < threshold) StrAppend(&how, " = ", Days(raw), ", raised to the minimum");
      if (raw > threshold) StrAppend(&how, " = ", Days(raw), ", capped at the maximum");
      reason = StrCat(recency(s != Status::kActive), " (", how, "; ", scope_name, ")");
      break;
    }
    case static_cast<std::uint16_t>(BuiltinRule::kContractEnded):
      reason = StrCat("contract ", contract_id(contract[row]), " ended on ",
                      FormatDate(event_day[row]), " unrenewed; no purchase since (last on ",
                      FormatDate(last_purchase[row]), ")");
      break;
    case static_cast<std::uint16_t>(BuiltinRule::kReactivation):
      reason = StrCat("bought again on ", FormatDate(event_day[row]), " after ",
                      DayCount(comeback_gap_days[row]), " without purchase; ",
                      DayCount(as_of - event_day[row]), " ago <= ", Days(threshold), " (", scope_name,
                      ")");
      break;
    case static_cast<std::uint16_t>(BuiltinRule::kKeyAccountNever): {
      std::string refused;
      for (Status r : rules.lifecycle.key_account_never) {
        StrAppend(&refused, refused.empty() ? "" : " or ", StatusName(r));
      }
      reason = StrCat("key account, never ", refused, " (", scope_name, "); ", DayCount(days),
                      " without purchase");
      break;
    }
    default:
      // A plugin rule decided: its own words say why (appended below).
      if (PluginNotes(row).empty()) reason = StrCat("decided by rule ", RuleName(row));
      break;
  }
  if ((flags[row] & kFlagRenewalDue) != 0 && renewal_contract[row] >= 0) {
    const size_t k = static_cast<size_t>(renewal_contract[row]);
    const DayNumber end = portfolio.contracts().end[k];
    StrAppend(&reason, reason.empty() ? "" : "; ", "renewal_due: contract ", contract_id(renewal_contract[row]), " ends on ",
              FormatDate(end), ", in ", DayCount(end - as_of), " <= ", rules.contract.renewal_window);
  }
  if (const std::string_view notes = PluginNotes(row); !notes.empty()) {
    StrAppend(&reason, reason.empty() ? "" : "; ", notes);
  }
  return reason;
}

}  // namespace carteira
