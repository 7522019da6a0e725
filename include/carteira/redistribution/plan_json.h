// A plan as JSON (the `carteira plan --format json` output, and what
// `carteira apply --plan` reads back), with ids instead of indices:
//   {"id", "as_of", "moves": [{"customer_id", "from", "to", "policy",
//    "reason", "explanation", "effective", "until"?}], "unassigned": [...],
//    "infeasible": [...], "before": {rep_id: {"customers", "load",
//    "at_risk", "at_risk_value"}}, "after": {...},
//    "fairness": {"before": {...}, "after": {...}}, "round_robin_cursor"}
// Keys in a fixed order, reps in id order: same plan, same bytes.
#ifndef CARTEIRA_REDISTRIBUTION_PLAN_JSON_H_
#define CARTEIRA_REDISTRIBUTION_PLAN_JSON_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "carteira/redistribution/plan.h"

namespace carteira {

std::string PlanToJson(const Portfolio& portfolio, const Plan& plan);

// Reads back the moves (and id, as_of) of a plan written by PlanToJson,
// resolving ids in `portfolio`. Errors name `origin`, the move's position
// and the field; unknown customers or reps are errors.
absl::StatusOr<Plan> PlanFromJson(const Portfolio& portfolio, std::string_view json,
                                  std::string_view origin);

}  // namespace carteira

#endif  // CARTEIRA_REDISTRIBUTION_PLAN_JSON_H_
