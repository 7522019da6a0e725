#include "src/status/customer_judge.h"

#include <algorithm>
#include <limits>

#include "carteira/core/strings.h"
#include "src/status/change_walk.h"

namespace carteira::status_internal {

CustomerJudge::CustomerJudge(const StatusPolicy& policy) : policy_(&policy) {
  for (const auto& segment : policy.segments) segment_rules_.emplace(segment.segment, &segment.rules);
}

const StatusRules& CustomerJudge::RulesFor(std::string_view segment) const {
  if (segment_rules_.empty()) return policy_->defaults;
  const auto it = segment_rules_.find(AsAbsl(segment));
  return it != segment_rules_.end() ? *it->second : policy_->defaults;
}

Judgement CustomerJudge::Judge(DayNumber as_of, DayNumber until, std::span<const DayNumber> days,
                               std::uint8_t customer_flags, const StatusRules& rules,
                               std::span<const ContractRef> contracts) const {
  // What StatusEngine::Create finds once per customer: its comebacks and
  // the median gap of its whole history.
  CustomerInput in{days, 0, customer_flags, &rules, contracts, true, {}};
  const std::vector<DayNumber> comebacks = ComebackDays(in);
  in.comebacks = comebacks;
  thread_local std::vector<DayNumber> scratch;
  const double whole_median = MedianGap(days, scratch);
  // As the engine's Classify (the days are all on or before as_of) and
  // FirstTransitions; the verdict as of as_of is the walk's first (one
  // Decide serves both: asking for next_change changes nothing else).
  Judgement j;
  in.median_gap = whole_median;
  j.verdict = Decide(as_of, in, true);
  auto evaluate = [&](DayNumber date, Verdict* v) {
    if (date == as_of) {
      *v = j.verdict;
      return absl::OkStatus();
    }
    const size_t k = static_cast<size_t>(std::upper_bound(days.begin(), days.end(), date) - days.begin());
    CustomerInput at = in;
    at.days = days.first(k);
    at.median_gap = k == days.size() ? whole_median : MedianGap(at.days, scratch);
    *v = Decide(date, at, true);
    return absl::OkStatus();
  };
  (void)WalkChanges(days, as_of, until, /*every_day_to=*/false, evaluate,
                    [&](DayNumber date, const Verdict&, const Verdict&) {
                      j.first_change = date;
                      return false;
                    });
  return j;
}

}  // namespace carteira::status_internal
