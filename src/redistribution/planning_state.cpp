#include <utility>

#include "carteira/redistribution/policy.h"

namespace carteira {

PlanningState::PlanningState(const PlanningInput& input)
    : input_(input),
      holder_(input.holder),
      moved_(input.customers(), 0),
      count_(input.reps(), 0),
      load_(input.reps(), 0),
      moves_in_(input.reps(), 0),
      moves_out_(input.reps(), 0) {
  for (size_t c = 0; c < holder_.size(); ++c) {
    if (holder_[c] == kNoRep) continue;
    ++count_[holder_[c]];
    load_[holder_[c]] += input.weight[c];
  }
}

bool PlanningState::MoveCustomer(CustomerIndex c, RepIndex to, std::string_view policy, std::string reason,
                                 std::string explanation, DayNumber effective, DayNumber until) {
  const RepIndex from = holder_[c];
  if (fixed(c) || to == from || to == kNoRep) return false;
  if (from != kNoRep) {
    --count_[from];
    load_[from] -= input_.weight[c];
    ++moves_out_[from];
  }
  ++count_[to];
  load_[to] += input_.weight[c];
  ++moves_in_[to];
  holder_[c] = to;
  moved_[c] = 1;
  moves_.push_back(Move{c, from, to, std::string(policy), std::move(reason), std::move(explanation),
                        effective == kNoDay ? input_.as_of : effective, until});
  return true;
}

void PlanningState::Unplace(CustomerIndex c, std::string_view policy, std::string constraint,
                            std::string explanation) {
  unplaced_.push_back(
      Unplaced{c, holder_[c], std::string(policy), std::move(constraint), std::move(explanation)});
}

}  // namespace carteira
