// Applying a plan writes assignment history: for each move a row (customer,
// to, effective date, reason "<policy> (plan <id>)"), and for a temporary
// move a second row returning the customer on `until`. Nothing is applied
// unless every move still starts from the customer's holder on its
// effective date (the plan is not stale). The inverse plan undoes it.
#ifndef CARTEIRA_REDISTRIBUTION_APPLY_H_
#define CARTEIRA_REDISTRIBUTION_APPLY_H_

#include <vector>

#include "absl/status/statusor.h"
#include "carteira/portfolio/entities.h"
#include "carteira/redistribution/plan.h"

namespace carteira {

// The assignment rows applying `plan` writes; an error (FAILED_PRECONDITION,
// naming the customer) when a move's `from` is no longer the holder.
absl::StatusOr<std::vector<Assignment>> PlanAssignments(const Portfolio& portfolio,
                                                        const Plan& plan);
// Appends them to the portfolio's assignment history (all or nothing).
absl::Status ApplyPlan(Portfolio& portfolio, const Plan& plan);

// The plan that puts every moved customer back where `plan` found it, on
// `effective` (policy "undo", reason naming the plan). Temporary moves are
// undone by their own return, so the inverse of one cancels the return too.
Plan InversePlan(const Plan& plan, DayNumber effective);

}  // namespace carteira

#endif  // CARTEIRA_REDISTRIBUTION_APPLY_H_
