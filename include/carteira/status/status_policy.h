// The status policy: the parameters of the built-in status rules, globally
// and per segment, loaded from a JSON file (docs/status.md documents every
// key) or built in code. StatusPolicy::Default() works with no file.
//
// Precedence, applied to each customer as of a date (docs/status.md):
//  1. No purchase-day on or before the date: prospect (rule no_purchase).
//  2. Recency: days since the last purchase-day against thresholds; a day
//     count strictly greater than a threshold crosses it. Fixed thresholds
//     (rule recency) give active / at_risk / inactive / lost. For customers
//     with enough history, cadence thresholds (k and m times their median
//     gap, clamped to [min_days, max_days]) give the at_risk and inactive
//     verdicts (rule cadence) and combine with the fixed verdict as
//     `combine` says; lost is always the fixed lost_after.
//  3. Contract ended unrenewed and no purchase since: at least inactive
//     (rule contract_ended).
//  4. An active verdict becomes new (first purchase within new_within days,
//     rule new_customer) or reactivated (a purchase within
//     reactivated_within days that came after a gap longer than the
//     inactive threshold, rule reactivation).
//  5. key_account_never: statuses a key account never gets; each steps one
//     level milder (lost -> inactive -> at_risk -> active).
//  6. Plugin rules, in registration order (status_rule.h).
// Flags: renewal_due (a contract in force ends within renewal_window days
// and no later contract exists), delinquent and key_account (from the
// customer record).
#ifndef CARTEIRA_STATUS_STATUS_POLICY_H_
#define CARTEIRA_STATUS_STATUS_POLICY_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "carteira/status/status.h"

namespace carteira {

struct RecencyRule {
  std::int32_t at_risk_after = 90;
  std::int32_t inactive_after = 180;  // retail's classic "inativo a partir de 180 dias"
  std::int32_t lost_after = 365;
};

// How a cadence verdict and a fixed-threshold verdict combine.
enum class CadenceCombine : std::uint8_t {
  kCadenceFirst,  // the cadence verdict decides (within its caps)
  kStricter,      // the more severe of the two
  kLooser,        // the milder of the two
};
std::string_view CadenceCombineName(CadenceCombine combine);

struct CadenceRule {
  bool enabled = true;
  double at_risk_multiple = 2.0;   // k: at_risk beyond k x median gap
  double inactive_multiple = 4.0;  // m: inactive beyond m x median gap
  std::int32_t min_purchase_days = 4;  // less history: the fixed thresholds
  std::int32_t min_days = 14;   // floor of both cadence thresholds
  std::int32_t max_days = 365;  // cap of both cadence thresholds
  CadenceCombine combine = CadenceCombine::kCadenceFirst;
};

struct ContractRule {
  bool enabled = true;
  std::int32_t renewal_window = 60;  // renewal_due when a contract ends within this many days
  bool include_auto_renew = false;   // flag auto-renewing contracts too
  bool ended_unrenewed_is_inactive = true;
};

struct LifecycleRule {
  bool new_and_reactivated = true;       // false: an active verdict stays active
  std::int32_t new_within = 90;          // days since the first purchase
  std::int32_t reactivated_within = 90;  // days since the comeback purchase
  std::vector<Status> key_account_never;  // e.g. {kLost}
};

// Every rule's parameters for one scope.
struct StatusRules {
  RecencyRule recency;
  CadenceRule cadence;
  ContractRule contract;
  LifecycleRule lifecycle;
};

struct SegmentRules {
  std::string segment;  // as in the customers' segment field
  StatusRules rules;    // complete: the defaults with the segment's overrides
};

struct StatusPolicy {
  StatusRules defaults;
  std::vector<SegmentRules> segments;

  static StatusPolicy Default() { return StatusPolicy(); }
  // Exactly three fixed thresholds: active, at_risk, inactive, lost (and
  // prospect); cadence, new/reactivated and contract-ended inactivity off,
  // flags still set. `carteira status --at-risk-after A --inactive-after I
  // --lost-after L` uses it.
  static StatusPolicy FixedThresholds(std::int32_t at_risk_after, std::int32_t inactive_after,
                                      std::int32_t lost_after);

  // Parses a policy document; `source` names it in errors (a file path).
  // Unknown keys, wrong types and invalid values are errors naming the key
  // path ("segments.varejo.recency.inactive_after: ..."); a policy is never
  // half-loaded.
  static absl::StatusOr<StatusPolicy> FromJson(std::string_view json,
                                               std::string_view source = "policy");
  static absl::StatusOr<StatusPolicy> FromFile(const std::string& path);

  // Checks every scope (thresholds ordered, multiples positive...).
  absl::Status Validate() const;

  // The rules of a segment, or the defaults. `scope` (if given) receives
  // the index in `segments`, or -1.
  const StatusRules& RulesFor(std::string_view segment, int* scope = nullptr) const;

  // The complete policy as JSON (every key, segments fully resolved).
  std::string ToJson() const;
};

}  // namespace carteira

#endif  // CARTEIRA_STATUS_STATUS_POLICY_H_
