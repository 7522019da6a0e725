// The walk over one customer's verdicts from a date to a later one, shared
// by StatusEngine::Transitions and CustomerJudge (the store's refresh), so
// that the two find the same changes on the same days.
#ifndef CARTEIRA_SRC_STATUS_CHANGE_WALK_H_
#define CARTEIRA_SRC_STATUS_CHANGE_WALK_H_

#include <algorithm>
#include <span>

#include "absl/status/status.h"
#include "carteira/core/date.h"
#include "src/status/decide.h"

namespace carteira::status_internal {

// Evaluates the customer on `from`, then on each later day up to `to` on
// which its verdict may change: a purchase-day in `days` (all of them,
// ascending) or the verdict's next_change. `evaluate(date, &verdict)`
// judges the customer as of a date (absl::Status); `on_change(date, before,
// after)` is called for each change of status and returns true to go on.
// `every_day_to`: also evaluate on `to` itself (plugin rules may change
// their verdict on any day).
template <typename Evaluate, typename OnChange>
absl::Status WalkChanges(std::span<const DayNumber> days, DayNumber from, DayNumber to, bool every_day_to,
                         Evaluate&& evaluate, OnChange&& on_change) {
  Verdict v;
  if (absl::Status s = evaluate(from, &v); !s.ok()) return s;
  DayNumber at = from;
  while (true) {
    const auto next_purchase = std::upper_bound(days.begin(), days.end(), at);
    DayNumber next = v.next_change;
    if (next_purchase != days.end()) next = std::min(next, *next_purchase);
    if (every_day_to && at < to && (next == kNever || next > to)) next = to;
    if (next == kNever || next > to) break;
    Verdict w;
    if (absl::Status s = evaluate(next, &w); !s.ok()) return s;
    if (w.status != v.status && !on_change(next, v, w)) break;
    v = w;
    at = next;
  }
  return absl::OkStatus();
}

}  // namespace carteira::status_internal

#endif  // CARTEIRA_SRC_STATUS_CHANGE_WALK_H_
