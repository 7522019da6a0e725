// The status of every customer as of a date, columnar, one row per
// customer in customer-index order (row i is customer i). Each verdict
// keeps the rule that decided it and the figures behind it; Reason()
// renders them in plain words on demand ("181 days without purchase > 180
// (segment varejo)"), so classifying a million customers formats nothing.
#ifndef CARTEIRA_STATUS_STATUS_TABLE_H_
#define CARTEIRA_STATUS_STATUS_TABLE_H_

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "carteira/core/date.h"
#include "carteira/portfolio/portfolio.h"
#include "carteira/status/status.h"
#include "carteira/status/status_policy.h"

namespace carteira {

// Built-in rules (values are in the C ABI). Plugin rules get the ids from
// kFirstPluginRule on, in registration order.
enum class BuiltinRule : std::uint16_t {
  kNoPurchase = 0,
  kNewCustomer = 1,
  kRecency = 2,
  kCadence = 3,
  kContractEnded = 4,
  kReactivation = 5,
  kKeyAccountNever = 6,
};
inline constexpr int kBuiltinRuleCount = 7;
inline constexpr std::uint16_t kFirstPluginRule = 16;
std::string_view BuiltinRuleName(BuiltinRule rule);

struct StatusTable {
  DayNumber as_of = kNoDay;
  std::vector<Status> status;
  std::vector<std::uint8_t> flags;  // StatusFlag bits
  std::vector<std::uint16_t> rule;  // BuiltinRule, or kFirstPluginRule + plugin
  std::vector<std::int32_t> days_since_last;  // -1 without a purchase
  std::vector<std::int32_t> purchase_days;    // on or before as_of
  std::vector<DayNumber> last_purchase;       // kNoDay without a purchase
  std::vector<double> median_gap_days;        // NaN below two purchase-days
  // The threshold (days) the deciding rule compared: the one crossed, or
  // for an active customer the next one (at_risk); the window for new and
  // reactivated; NaN for prospects.
  std::vector<double> threshold_days;
  // The day the rule is about: first purchase (new), comeback purchase
  // (reactivated), contract end (contract_ended); kNoDay otherwise.
  std::vector<DayNumber> event_day;
  std::vector<std::int32_t> comeback_gap_days;  // reactivated: the gap before the comeback; else -1
  std::vector<std::int32_t> contract;           // contract_ended: the contract row; else -1
  std::vector<std::int32_t> renewal_contract;   // renewal_due: the contract row; else -1
  std::vector<std::int16_t> scope;              // policy segment index; -1 = defaults

  // Names of the plugin rules, by id - kFirstPluginRule.
  std::vector<std::string> plugin_names;
  // Reasons plugin rules gave, for the customers they touched, ascending by
  // customer ("rule: reason; rule: reason").
  std::vector<std::pair<CustomerIndex, std::string>> plugin_notes;
  // Figures the plugin rules reported (StatusRule::FieldNames), one column
  // per name, NaN where a rule did not set it.
  std::vector<std::string> field_names;
  std::vector<std::vector<double>> fields;
  // The policy the table was computed with (for Reason).
  std::shared_ptr<const StatusPolicy> policy;

  size_t size() const { return status.size(); }
  std::array<size_t, kStatusCount> Counts() const;
  std::string_view RuleName(size_t row) const;
  // The verdict in plain words, with its figures; contract ids and dates
  // come from `portfolio` (the one classified).
  std::string Reason(const Portfolio& portfolio, size_t row) const;
  // The plugin notes of a row, or "".
  std::string_view PluginNotes(size_t row) const;
  // The column of a plugin field, or nullptr.
  const std::vector<double>* Field(std::string_view name) const;

  // Calls f(column) on every per-customer column.
  template <typename F>
  void ForEachColumn(F&& f) {
    f(status);
    f(flags);
    f(rule);
    f(days_since_last);
    f(purchase_days);
    f(last_purchase);
    f(median_gap_days);
    f(threshold_days);
    f(event_day);
    f(comeback_gap_days);
    f(contract);
    f(renewal_contract);
    f(scope);
  }
};

// Status of every customer at several dates (StatusEngine::History).
struct StatusHistory {
  std::vector<DayNumber> dates;               // ascending, distinct
  std::vector<std::vector<Status>> status;    // [date][customer]
  std::vector<std::vector<std::uint8_t>> flags;  // [date][customer]
  // Counts per date and status.
  std::vector<std::array<size_t, kStatusCount>> Counts() const;
};

// A status change: from `from` to `to`, first true on `date`.
struct StatusTransition {
  CustomerIndex customer = 0;
  Status from = Status::kProspect;
  Status to = Status::kProspect;
  DayNumber date = kNoDay;
  std::uint16_t rule = 0;  // the rule behind the new status
  friend bool operator==(const StatusTransition&, const StatusTransition&) = default;
};

}  // namespace carteira

#endif  // CARTEIRA_STATUS_STATUS_TABLE_H_
