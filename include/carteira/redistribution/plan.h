// A redistribution plan ("plano de redistribuição"): the moves a pipeline of
// policies proposes, the customers it could not place and why, and each
// rep's figures before and after. A plan is data: a dry run to review, then
// apply (apply.h). Same inputs, same plan, byte for byte.
#ifndef CARTEIRA_REDISTRIBUTION_PLAN_H_
#define CARTEIRA_REDISTRIBUTION_PLAN_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "carteira/core/date.h"
#include "carteira/core/money.h"
#include "carteira/portfolio/portfolio.h"

namespace carteira {

struct Move {
  CustomerIndex customer = 0;
  RepIndex from = kNoRep;  // kNoRep: the customer had no rep
  RepIndex to = kNoRep;
  std::string policy;       // the policy that made it, e.g. "rotate_at_risk"
  std::string reason;       // a short code, e.g. "at_risk_no_contact"
  std::string explanation;  // in words, with the figures
  DayNumber effective = kNoDay;
  // A temporary move (a handover until a date) returns to `from` on this day.
  DayNumber until = kNoDay;
};

// A customer a policy wanted to place or move and could not.
struct Unplaced {
  CustomerIndex customer = 0;
  RepIndex holder = kNoRep;  // where it stays
  std::string policy;
  std::string constraint;   // the blocking constraint, e.g. "capacity"
  std::string explanation;
};

struct RepFigures {
  std::int64_t customers = 0;
  std::int64_t load = 0;  // sum of the customers' weights
  std::int64_t at_risk = 0;
  MinorUnits at_risk_value = 0;
};

// Over the available reps (active, not away); loads as RepFigures::load.
struct Fairness {
  std::int64_t reps = 0;
  std::int64_t min_load = 0, max_load = 0;
  std::optional<double> max_min_ratio;  // none when min_load is 0
  double gini = 0;                      // of the loads; 0 = all equal
};

struct Plan {
  std::string id;  // "plan-" + 16 hex digits of a hash of the content
  DayNumber as_of = kNoDay;
  std::vector<Move> moves;  // in pipeline order, then as each policy made them
  std::vector<Unplaced> unplaced;
  // Constraints that left a whole group unsolved, in words with numbers,
  // e.g. "region Sul: 1,240 customers, capacity 1,000".
  std::vector<std::string> infeasible;
  std::vector<RepFigures> before, after;  // by rep index
  Fairness fairness_before, fairness_after;
  // Round robin's cursor after this plan (the rep id that last received a
  // customer), to pass to the next run; empty when no round robin ran.
  std::string round_robin_cursor;
};

}  // namespace carteira

#endif  // CARTEIRA_REDISTRIBUTION_PLAN_H_
