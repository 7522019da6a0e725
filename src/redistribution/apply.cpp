#include "carteira/redistribution/apply.h"

#include <algorithm>

#include "carteira/core/strings.h"
#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"

namespace carteira {

absl::StatusOr<std::vector<Assignment>> PlanAssignments(const Portfolio& portfolio,
                                                        const Plan& plan) {
  const CustomerTable& customers = portfolio.customers();
  const RepTable& reps = portfolio.reps();
  // Each planned customer's history rows, to find its holder on a day.
  absl::flat_hash_map<CustomerIndex, size_t> move_of;
  for (size_t i = 0; i < plan.moves.size(); ++i) {
    const Move& m = plan.moves[i];
    if (m.customer >= customers.size() || m.to == kNoRep ||
        m.to >= static_cast<RepIndex>(reps.size()) ||
        (m.from != kNoRep && m.from >= static_cast<RepIndex>(reps.size()))) {
      return absl::InvalidArgumentError(StrCat("move ", i, ": customer or rep out of range"));
    }
    if (m.effective == kNoDay) {
      return absl::InvalidArgumentError(
          StrCat("move ", i, " (customer ", customers.id[m.customer], "): no effective date"));
    }
    if (!move_of.try_emplace(m.customer, i).second) {
      return absl::InvalidArgumentError(
          StrCat("customer ", customers.id[m.customer], " moves twice in the plan"));
    }
  }
  const AssignmentTable& t = portfolio.assignments();
  // Holder on the move's effective date (latest since <= it; later row on a tie).
  std::vector<RepIndex> holder(plan.moves.size(), kNoRep);
  std::vector<DayNumber> since(plan.moves.size(), kNoDay);
  for (size_t row = 0; row < t.size(); ++row) {
    auto it = move_of.find(t.customer[row]);
    if (it == move_of.end()) continue;
    const size_t i = it->second;
    if (t.since[row] <= plan.moves[i].effective && t.since[row] >= since[i]) {
      since[i] = t.since[row];
      holder[i] = t.rep[row];
    }
  }
  const std::string plan_name = plan.id.empty() ? std::string("plan") : StrCat("plan ", plan.id);
  std::vector<Assignment> rows;
  rows.reserve(plan.moves.size());
  for (size_t i = 0; i < plan.moves.size(); ++i) {
    const Move& m = plan.moves[i];
    if (holder[i] != m.from) {
      return absl::FailedPreconditionError(StrCat(
          "customer ", customers.id[m.customer], ": the plan moves it from ",
          m.from == kNoRep ? std::string("no rep") : std::string(reps.id[m.from]), " but on ",
          FormatDate(m.effective), " its rep is ",
          holder[i] == kNoRep ? std::string("none") : std::string(reps.id[holder[i]]),
          " (the plan is stale: build it again)"));
    }
    rows.push_back(Assignment{std::string(customers.id[m.customer]), std::string(reps.id[m.to]),
                              ToDate(m.effective), StrCat(m.policy, " (", plan_name, ")")});
    if (m.until != kNoDay) {
      if (m.from == kNoRep) {
        return absl::InvalidArgumentError(StrCat(
            "customer ", customers.id[m.customer], ": a temporary move needs a rep to return to"));
      }
      rows.push_back(Assignment{std::string(customers.id[m.customer]), std::string(reps.id[m.from]),
                                ToDate(m.until),
                                StrCat("return after ", m.policy, " (", plan_name, ")")});
    }
  }
  return rows;
}

absl::Status ApplyPlan(Portfolio& portfolio, const Plan& plan) {
  auto rows = PlanAssignments(portfolio, plan);
  if (!rows.ok()) return rows.status();
  AddOptions strict;
  strict.create_missing_customers = false;
  strict.create_missing_reps = false;
  return portfolio.AddAssignments(*rows, strict);
}

Plan InversePlan(const Plan& plan, DayNumber effective) {
  Plan inverse;
  inverse.id = plan.id.empty() ? std::string("undo") : StrCat("undo-", plan.id);
  inverse.as_of = effective;
  for (const Move& m : plan.moves) {
    if (m.from == kNoRep) {
      inverse.unplaced.push_back(Unplaced{
          m.customer, m.to, "undo", "was_unowned",
          StrCat("the customer had no rep before ", plan.id,
                       "; an assignment can be replaced, not removed")});
      continue;
    }
    // A temporary move already returned on `until` needs no undo.
    if (m.until != kNoDay && m.until <= effective) continue;
    inverse.moves.push_back(Move{m.customer, m.to, m.from, "undo", "undo",
                                 StrCat("undoes ", m.policy, " of ", plan.id), effective,
                                 kNoDay});
  }
  return inverse;
}

}  // namespace carteira
