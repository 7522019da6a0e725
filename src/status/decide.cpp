#include "src/status/decide.h"

#include <algorithm>
#include <cmath>
#include <functional>

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
  // Most customers have a few dozen gaps at most: an insertion sort in a
  // stack buffer beats nth_element's set-up by a wide margin there.
  constexpr size_t kSmall = 32;
  if (n <= kSmall) {
    DayNumber g[kSmall];
    for (size_t i = 0; i < n; ++i) {
      const DayNumber v = days[i + 1] - days[i];
      size_t j = i;
      for (; j > 0 && g[j - 1] > v; --j) g[j] = g[j - 1];
      g[j] = v;
    }
    if (n % 2 == 1) return g[n / 2];
    return 0.5 * (static_cast<double>(g[n / 2 - 1]) + g[n / 2]);  // as the summary computes it
  }
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
      // The latest comeback (a purchase-day on whose eve the customer was
      // inactive or lost; see ComebackDays) within the window.
      const auto after = std::upper_bound(in.comebacks.begin(), in.comebacks.end(), as_of);
      if (after != in.comebacks.begin()) {
        const DayNumber comeback = *(after - 1);
        if (as_of - comeback <= life.reactivated_within) {
          const auto at = std::lower_bound(in.days.begin(), in.days.end(), comeback);
          v.status = Status::kReactivated;
          v.rule = Rule(BuiltinRule::kReactivation);
          v.threshold = life.reactivated_within;
          v.event_day = comeback;
          v.comeback_gap = at != in.days.begin() ? comeback - *(at - 1) : -1;
          candidate(static_cast<std::int64_t>(comeback) + life.reactivated_within + 1);
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

namespace {

// The running median of a stream of gaps (two heaps on vectors kept
// between customers), so that judging the eve of every purchase costs
// O(log n), not a median from scratch.
class RunningMedian {
 public:
  void Clear() {
    low_.clear();
    high_.clear();
  }
  void Add(DayNumber v) {
    if (low_.empty() || v <= low_.front()) {
      Push(low_, v, std::less<>());
    } else {
      Push(high_, v, std::greater<>());
    }
    if (low_.size() > high_.size() + 1) {
      Push(high_, Pop(low_, std::less<>()), std::greater<>());
    } else if (high_.size() > low_.size()) {
      Push(low_, Pop(high_, std::greater<>()), std::less<>());
    }
  }
  // The summary's definition: the middle gap, or the mean of the two.
  double Median() const {
    if (low_.empty()) return std::numeric_limits<double>::quiet_NaN();
    if (low_.size() > high_.size()) return low_.front();
    return 0.5 * (static_cast<double>(low_.front()) + high_.front());
  }

 private:
  template <typename Less>
  static void Push(std::vector<DayNumber>& heap, DayNumber v, Less less) {
    heap.push_back(v);
    std::push_heap(heap.begin(), heap.end(), less);
  }
  template <typename Less>
  static DayNumber Pop(std::vector<DayNumber>& heap, Less less) {
    std::pop_heap(heap.begin(), heap.end(), less);
    const DayNumber v = heap.back();
    heap.pop_back();
    return v;
  }
  std::vector<DayNumber> low_;   // max-heap: the lower half
  std::vector<DayNumber> high_;  // min-heap: the upper half
};

}  // namespace

void SortContracts(std::span<ContractRef> contracts) {
  std::stable_sort(contracts.begin(), contracts.end(), [](const ContractRef& a, const ContractRef& b) {
    return a.start != b.start ? a.start < b.start : a.row < b.row;
  });
  // From the latest start back: the latest end among strictly later starts.
  DayNumber later_end = kNoDay;
  for (auto group_end = contracts.end(); group_end != contracts.begin();) {
    auto group = group_end;
    while (group != contracts.begin() && (group - 1)->start == (group_end - 1)->start) --group;
    DayNumber group_max = kNoDay;
    for (auto a = group; a != group_end; ++a) {
      a->renewed = later_end != kNoDay && later_end > a->end;
      group_max = std::max(group_max, a->end);
    }
    later_end = std::max(later_end, group_max);
    group_end = group;
  }
}

std::vector<DayNumber> ComebackDays(const CustomerInput& customer) {
  std::vector<DayNumber> out;
  const StatusRules& r = *customer.rules;
  if (!r.lifecycle.new_and_reactivated) return out;
  // No inactive verdict can come from fewer days without purchase than the
  // smallest inactive threshold the rules allow (contracts aside): most
  // purchases are ruled out without judging their eve.
  const double floor_days =
      std::min<double>(r.recency.inactive_after, r.cadence.enabled ? r.cadence.min_days : r.recency.inactive_after);
  const bool contract_may_end =
      r.contract.enabled && r.contract.ended_unrenewed_is_inactive && !customer.contracts.empty();
  thread_local RunningMedian median;
  median.Clear();
  const std::span<const DayNumber> days = customer.days;
  for (size_t k = 1; k < days.size(); ++k) {
    // The gaps of days[0 .. k): the median the rules saw on the eve of days[k].
    if (k >= 2) median.Add(days[k - 1] - days[k - 2]);
    const std::int32_t gap = days[k] - days[k - 1];
    if (gap - 1 <= floor_days && !contract_may_end) continue;
    CustomerInput before = customer;
    before.days = days.first(k);
    before.median_gap = k >= 2 ? median.Median() : std::numeric_limits<double>::quiet_NaN();
    before.refine = false;
    before.comebacks = {};
    const Verdict eve = DecideImpl<false>(days[k] - 1, before);
    if (Severity(eve.status) >= Severity(Status::kInactive)) out.push_back(days[k]);
  }
  return out;
}

}  // namespace carteira::status_internal
