// Plugin status rules: host code that runs after the built-in rules, for
// each customer and date, and may add a reason, override the status or
// refuse (veto) one. Rules are registered explicitly on a StatusEngine
// (StatusEngine::AddRule) and run in registration order; each sees the
// decision as the built-ins and the earlier plugins left it.
//
// A rule must be deterministic (same facts, same decision) and must not
// throw: it reports failure by returning a non-OK status, which stops the
// classification with an error naming the rule and the customer.
#ifndef CARTEIRA_STATUS_STATUS_RULE_H_
#define CARTEIRA_STATUS_STATUS_RULE_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "carteira/core/date.h"
#include "carteira/portfolio/portfolio.h"
#include "carteira/status/status.h"

namespace carteira {

// What a rule sees about one customer as of a date.
struct StatusFacts {
  CustomerIndex customer = 0;
  DayNumber as_of = kNoDay;
  std::span<const DayNumber> purchase_days;  // on or before as_of, ascending
  double median_gap_days = 0;                // NaN below two purchase-days
  std::int32_t days_since_last = -1;         // -1 without a purchase
};

// The verdict under construction, as a rule may change it.
class StatusDecision {
 public:
  StatusDecision(Status status, std::uint8_t flags) : status_(status), flags_(flags) {}

  Status status() const { return status_; }
  std::uint8_t flags() const { return flags_; }

  // Sets the status; `reason` says why in plain words. InvalidArgument for
  // a value outside Status.
  absl::Status Override(Status status, std::string_view reason);
  // Refuses `status` for this customer: if it is the status now, or becomes
  // it later, the status steps one level milder (lost -> inactive ->
  // at_risk -> active; new and reactivated -> active). prospect and active
  // cannot be refused.
  absl::Status Veto(Status status, std::string_view reason);
  // Adds a reason without changing the status.
  void AddReason(std::string_view reason);
  // Sets this customer's figure `index` of the rule's FieldNames() (a
  // column of the StatusTable); OutOfRange for an index the rule did not
  // declare.
  absl::Status SetField(size_t index, double value);

  // For the engine: whether this rule changed the status, and its notes.
  bool changed() const { return changed_; }
  const std::string& notes() const { return notes_; }
  // `fields`: where this rule's figures for this customer go.
  void BeginRule(std::string_view name, std::span<double> fields = {});

 private:
  void ApplyVetoes();
  void Note(std::string_view reason);

  Status status_;
  std::uint8_t flags_;
  std::uint8_t vetoed_ = 0;  // a bit per Status
  bool changed_ = false;
  std::string_view rule_name_;
  std::string notes_;
  std::span<double> fields_;
};

class StatusRule {
 public:
  virtual ~StatusRule() = default;
  // A unique, non-empty name; outputs show it as the deciding rule.
  virtual std::string_view name() const = 0;
  virtual absl::Status Apply(const Portfolio& portfolio, const StatusFacts& facts,
                             StatusDecision& decision) const = 0;
  // The per-customer figures the rule reports with StatusDecision::SetField
  // ("p_alive", "expected_purchases_90d"): each becomes a column of the
  // StatusTable, NaN for the customers the rule did not set it for. Names
  // are unique across an engine's rules.
  virtual std::vector<std::string> FieldNames() const { return {}; }
};

}  // namespace carteira

#endif  // CARTEIRA_STATUS_STATUS_RULE_H_
