// Who may take a customer, and in words why nobody could: the filters every
// policy applies, in a fixed order, counting the reps each one leaves so
// that a blocked customer's explanation names the constraint that emptied
// the list (internal to src/redistribution).
#ifndef CARTEIRA_SRC_REDISTRIBUTION_ELIGIBILITY_H_
#define CARTEIRA_SRC_REDISTRIBUTION_ELIGIBILITY_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "carteira/redistribution/policy.h"

namespace carteira::redistribution_internal {

// Customer c's territory: its own region, else its holder's (kNone = any).
std::int32_t Territory(const PlanningInput& in, CustomerIndex c);
// Rep r covers territory t (a rep or customer without a region matches all).
bool InTerritory(const PlanningInput& in, RepIndex r, std::int32_t territory);

struct EligibilityRules {
  bool territory = true;
  std::int32_t cooldown_days = 0;
  std::int32_t max_moves_per_rep = 0;  // 0 = none
  RepIndex exclude = kNoRep;           // e.g. the holder, or the leaving rep
};

// Filters the candidate reps for customer c, keeping the survivors (in the
// order given) and, when none survive, the constraint and its explanation.
class EligibilityFilter {
 public:
  EligibilityFilter(const PlanningState& state, const EligibilityRules& rules)
      : state_(state), rules_(rules) {}

  // Eligible reps for `c` among `candidates`, in the same order.
  const std::vector<RepIndex>& Eligible(CustomerIndex c, const std::vector<RepIndex>& candidates);
  // Why Eligible() was empty: a code ("no_rep", "territory", "segment",
  // "cooldown", "move_limit", "capacity") and a sentence with the figures.
  std::string_view constraint() const { return constraint_; }
  std::string Explain(const Portfolio& portfolio, CustomerIndex c) const;

 private:
  static constexpr int kStages = 5;  // territory, segment, cooldown, move limit, capacity
  // The first filter `r` fails for `c` (0..4), -1 if none, kStages when `r`
  // is no candidate at all (the excluded rep, the holder).
  int FirstFailure(CustomerIndex c, RepIndex r) const;

  const PlanningState& state_;
  EligibilityRules rules_;
  std::vector<RepIndex> out_;
  std::vector<RepIndex> last_dropped_;  // reps the emptying filter removed
  std::string_view constraint_;
};

// Reps in id order (PlanningInput::reps_by_id), available on as_of.
std::vector<RepIndex> AvailableRepsById(const PlanningInput& in);

std::string_view RepId(const Portfolio& portfolio, RepIndex r);
std::string_view RegionName(const PlanningInput& in, std::int32_t code);
std::string_view SegmentName(const PlanningInput& in, std::int32_t code);
// After a policy: one line per territory where customers found no room,
// e.g. "region Sudeste: 97 customers could not be placed for lack of room;
// its 4 available reps hold 1,199 customers, capacity 1,200", added to the
// plan's infeasible list. `unplaced_from` is where the policy's entries in
// state.unplaced() begin.
void ReportFullTerritories(PlanningState& state, size_t unplaced_from, std::string_view policy);
// "12 (capacity 40)" style figures of a rep's book.
std::string BookFigures(const PlanningState& state, RepIndex r);
// 1234567 -> "1,234,567".
std::string Thousands(std::int64_t value);

}  // namespace carteira::redistribution_internal

#endif  // CARTEIRA_SRC_REDISTRIBUTION_ELIGIBILITY_H_
