#include "src/status/decide.h"

#include <algorithm>
#include <cmath>

#include "carteira/status/status_table.h"

namespace carteira::status_internal {
namespace {

Status ByThresholds(std::int32_t days, double at_risk, double inactive, double lost) {
  if (days > lost) return Status::kLost;
  if (days > inactive) return Status::kInactive;
  if (days > at_risk) return Status::kAtRisk;
  return Status::kActive;
}

// The threshold a recency verdict compared: the one crossed, or for an
// active customer the next one.
double ThresholdOf(Status status, double at_risk, double inactive, double lost) {
  switch (status) {
    case Status::kLost:
      return lost;
    case Status::kInactive:
      return inactive;
    default:
      return at_risk;
  }
}

Status Milder(Status status) {
  switch (status) {
    case Status::kLost:
      return Status::kInactive;
    case Status::kInactive:
      return Status::kAtRisk;
    default:
      return Status::kActive;
  }
}

constexpr std::uint16_t Rule(BuiltinRule rule) { return static_cast<std::uint16_t>(rule); }

}  // namespace

double MedianGap(std::span<const DayNumber> days, std::vector<DayNumber>& scratch) {
  if (days.size() < 2) return std::numeric_limits<double>::quiet_NaN();
  const size_t n = days.size() - 1;
  scratch.resize(n);
  for (size_t i = 0; i < n; ++i) scratch[i] = days[i + 1] - days[i];
  if (n == 1) return scratch[0];
  auto mid = scratch.begin() + static_cast<std::ptrdiff_t>(n / 2);
  std::nth_element(scratch.begin(), mid, scratch.end());
  const DayNumber upper = *mid;
  if (n % 2 == 1) return upper;
  const DayNumber lower = *std::max_element(scratch.begin(), mid);
  return 0.5 * (static_cast<double>(lower) + upper);  // as the summary computes it
}

template <bool kNextChange>
Verdict DecideImpl(DayNumber as_of, const CustomerInput& in) {
  const StatusRules& r = *in.rules;
  Verdict v;
  v.flags = in.customer_flags;
  v.purchase_days = static_cast<std::int32_t>(in.days.size());
  v.median_gap = in.median_gap;
  DayNumber next = kNever;
  // Classification alone skips this bookkeeping (a third of its time).
  auto candidate = [&next, as_of](std::int64_t day) {
    if constexpr (kNextChange) {
      if (day > as_of && day < next) next = static_cast<DayNumber>(day);
    }
  };

  // Contracts: the renewal flag, and whether coverage ended unrenewed.
  bool ended_unrenewed = false;
  DayNumber coverage_end = kNoDay;
  std::int32_t coverage_row = -1;
  if (r.contract.enabled) {
    bool in_force = false, signed_ahead = false, coverage_auto = false;
    DayNumber renewal_end = kNever;
    for (const ContractRef& k : in.contracts) {
      candidate(k.start);
      candidate(static_cast<std::int64_t>(k.end) + 1);
      candidate(static_cast<std::int64_t>(k.end) - r.contract.renewal_window);
      if (k.start > as_of) {
        signed_ahead = true;
        continue;
      }
      if (k.end >= as_of) {
        in_force = true;
        const bool eligible = !k.renewed && (!k.auto_renew || r.contract.include_auto_renew);
        if (eligible && k.end - as_of <= r.contract.renewal_window && k.end < renewal_end) {
          renewal_end = k.end;
          v.renewal_contract = k.row;
        }
      }
      if (coverage_row < 0 || k.end > coverage_end) {
        coverage_end = k.end;
        coverage_row = k.row;
        coverage_auto = k.auto_renew;
      } else if (k.end == coverage_end) {
        // Ties: an auto-renewing contract ending that day keeps the
        // customer covered, whatever the order of the rows.
        coverage_auto = coverage_auto || k.auto_renew;
      }
    }
    if (v.renewal_contract >= 0) v.flags |= kFlagRenewalDue;
    ended_unrenewed = r.contract.ended_unrenewed_is_inactive && !in_force && !signed_ahead &&
                      coverage_row >= 0 && !coverage_auto;
  }

  if (in.days.empty()) {
    v.status = Status::kProspect;
    v.rule = Rule(BuiltinRule::kNoPurchase);
    v.threshold = std::numeric_limits<double>::quiet_NaN();
    v.next_change = next;
    return v;
  }

  const DayNumber first = in.days.front();
  const DayNumber last = in.days.back();
  const std::int32_t days = as_of - last;
  v.last = last;
  v.days_since_last = days;

  // Recency: fixed thresholds, and the customer's own cadence.
  const double a = r.recency.at_risk_after, i = r.recency.inactive_after, l = r.recency.lost_after;
  auto crossing = [&](double threshold) {
    candidate(static_cast<std::int64_t>(last) + static_cast<std::int64_t>(std::floor(threshold)) + 1);
  };
  crossing(a);
  crossing(i);
  crossing(l);
  const Status fixed = ByThresholds(days, a, i, l);
  v.status = fixed;
  v.rule = Rule(BuiltinRule::kRecency);
  v.threshold = ThresholdOf(fixed, a, i, l);
  const CadenceRule& cadence = r.cadence;
  if (cadence.enabled && v.purchase_days >= cadence.min_purchase_days &&
      std::isfinite(in.median_gap)) {
    const double lo = cadence.min_days, hi = cadence.max_days;
    const double ca = std::clamp(cadence.at_risk_multiple * in.median_gap, lo, hi);
    const double ci = std::clamp(cadence.inactive_multiple * in.median_gap, lo, hi);
    crossing(ca);
    crossing(ci);
    const Status by_cadence = ByThresholds(days, ca, ci, l);
    bool take_cadence = true;
    if (cadence.combine == CadenceCombine::kStricter) {
      take_cadence = Severity(by_cadence) >= Severity(fixed);
    } else if (cadence.combine == CadenceCombine::kLooser) {
      take_cadence = Severity(by_cadence) <= Severity(fixed);
    }
    // lost is always the fixed lost_after: the recency rule's verdict.
    if (take_cadence && by_cadence != Status::kLost) {
      v.status = by_cadence;
      v.rule = Rule(BuiltinRule::kCadence);
      v.threshold = ThresholdOf(by_cadence, ca, ci, l);
    }
  }

  // A contract that ended unrenewed, with no purchase since.
  if (ended_unrenewed && last <= coverage_end && Severity(v.status) < Severity(Status::kInactive)) {
    v.status = Status::kInactive;
    v.rule = Rule(BuiltinRule::kContractEnded);
    v.threshold = std::numeric_limits<double>::quiet_NaN();
    v.event_day = coverage_end;
    v.contract = coverage_row;
  }

  // New and reactivated refine an active verdict.
  if (v.status == Status::kActive && r.lifecycle.new_and_reactivated && in.refine) {
    const LifecycleRule& life = r.lifecycle;
    candidate(static_cast<std::int64_t>(first) + life.new_within + 1);
    if (as_of - first <= life.new_within) {
      v.status = Status::kNew;
      v.rule = Rule(BuiltinRule::kNewCustomer);
      v.threshold = life.new_within;
      v.event_day = first;
    } else {
      // The latest purchase-day within the window on whose eve the customer
      // was inactive or lost: judged by the rules as they stood then (the
      // purchases before it, their median gap, the contracts on that day).
      std::vector<DayNumber> scratch;
      for (size_t k = in.days.size() - 1; k >= 1 && as_of - in.days[k] <= life.reactivated_within; --k) {
        const std::int32_t gap = in.days[k] - in.days[k - 1];
        CustomerInput before = in;
        before.days = in.days.first(k);
        before.median_gap = MedianGap(before.days, scratch);
        before.refine = false;
        const Verdict eve = DecideImpl<false>(in.days[k] - 1, before);
        if (Severity(eve.status) >= Severity(Status::kInactive)) {
          v.status = Status::kReactivated;
          v.rule = Rule(BuiltinRule::kReactivation);
          v.threshold = life.reactivated_within;
          v.event_day = in.days[k];
          v.comeback_gap = gap;
          candidate(static_cast<std::int64_t>(in.days[k]) + life.reactivated_within + 1);
          break;
        }
      }
    }
  }

  // Key accounts never get the statuses the policy refuses them.
  if ((in.customer_flags & kFlagKeyAccount) != 0 && !r.lifecycle.key_account_never.empty()) {
    auto refused = [&r](Status s) {
      return std::find(r.lifecycle.key_account_never.begin(), r.lifecycle.key_account_never.end(),
                       s) != r.lifecycle.key_account_never.end();
    };
    if (refused(v.status)) {
      while (refused(v.status)) v.status = Milder(v.status);
      v.rule = Rule(BuiltinRule::kKeyAccountNever);
    }
  }
  v.next_change = next;
  return v;
}

Verdict Decide(DayNumber as_of, const CustomerInput& in, bool want_next_change) {
  return want_next_change ? DecideImpl<true>(as_of, in) : DecideImpl<false>(as_of, in);
}

}  // namespace carteira::status_internal
