// The built-in rules for one customer as of one date: a pure function of
// the customer's purchase-days, median gap, contracts and flags, shared by
// Classify, History and Transitions so that they can never disagree.
#ifndef CARTEIRA_SRC_STATUS_DECIDE_H_
#define CARTEIRA_SRC_STATUS_DECIDE_H_

#include <cstdint>
#include <limits>
#include <span>
#include <vector>

#include "carteira/core/date.h"
#include "carteira/status/status.h"
#include "carteira/status/status_policy.h"

namespace carteira::status_internal {

inline constexpr DayNumber kNever = std::numeric_limits<DayNumber>::max();

struct ContractRef {
  DayNumber start = 0, end = 0;  // end inclusive
  std::int32_t row = -1;         // in the portfolio's contracts
  bool auto_renew = false;
  bool renewed = false;  // a later contract of the customer starts after it and ends after it
};

// Orders one customer's contracts by start (then row) and marks each one a
// later contract renewed: one starting strictly later and ending later.
void SortContracts(std::span<ContractRef> contracts);

struct CustomerInput {
  std::span<const DayNumber> days;  // purchase-days on or before as_of
  double median_gap = 0;            // of `days`; NaN below two
  std::uint8_t customer_flags = 0;  // delinquent, key_account
  const StatusRules* rules = nullptr;
  std::span<const ContractRef> contracts;  // the customer's, by start
  // false: an active verdict stays active (no new / reactivated), as when
  // judging whether the customer was inactive before a comeback.
  bool refine = true;
  // The customer's comebacks (ComebackDays), all dates, ascending.
  std::span<const DayNumber> comebacks;
};

struct Verdict {
  Status status = Status::kProspect;
  std::uint8_t flags = 0;
  std::uint16_t rule = 0;
  std::int32_t days_since_last = -1;
  std::int32_t purchase_days = 0;
  DayNumber last = kNoDay;
  double median_gap = 0;
  double threshold = 0;
  DayNumber event_day = kNoDay;
  std::int32_t comeback_gap = -1;
  std::int32_t contract = -1;
  std::int32_t renewal_contract = -1;
  // The first day after as_of on which the verdict may change without new
  // purchases (a threshold crossed, a window closing, a contract date);
  // kNever if none (or not asked for).
  DayNumber next_change = kNever;
};

Verdict Decide(DayNumber as_of, const CustomerInput& in, bool want_next_change);

// The purchase-days (after the first) on whose eve the customer was
// inactive or lost, judged by the rules as they stood then: the purchases
// before it and their median gap, the contracts on that day. It depends on
// the history alone, not on the date classified, so the engine computes it
// once per customer. `customer.days` holds every purchase-day.
std::vector<DayNumber> ComebackDays(const CustomerInput& customer);

// Median of the gaps between consecutive days (the summary's definition);
// NaN below two days. `scratch` is reused memory.
double MedianGap(std::span<const DayNumber> days, std::vector<DayNumber>& scratch);

}  // namespace carteira::status_internal

#endif  // CARTEIRA_SRC_STATUS_DECIDE_H_
