// Picks one rep among the eligible ones by an AssignMethod, keeping round
// robin's cursor (internal to src/redistribution). Ties break by rep id.
#ifndef CARTEIRA_SRC_REDISTRIBUTION_REP_CHOICE_H_
#define CARTEIRA_SRC_REDISTRIBUTION_REP_CHOICE_H_

#include <algorithm>
#include <cstdint>
#include <string_view>
#include <vector>

#include "carteira/redistribution/policy.h"

namespace carteira::redistribution_internal {

class RepChooser {
 public:
  // `cursor`: the rep id that last received; the next one after it (in id
  // order, wrapping) receives first.
  RepChooser(const PlanningState& state, AssignMethod method, std::string_view cursor,
             const Portfolio& portfolio)
      : state_(state), method_(method), portfolio_(portfolio) {
    const PlanningInput& in = state.input();
    // Position after the cursor among the reps in id order.
    next_rank_ = 0;
    if (!cursor.empty()) {
      while (next_rank_ < static_cast<std::int32_t>(in.reps_by_id.size()) &&
             portfolio.reps().id[in.reps_by_id[next_rank_]] <= cursor) {
        ++next_rank_;
      }
      cursor_ = cursor;
    }
  }

  // `eligible` is not empty and in rep id order.
  RepIndex Choose(const std::vector<RepIndex>& eligible) const {
    const PlanningInput& in = state_.input();
    switch (method_) {
      case AssignMethod::kRoundRobin: {
        for (RepIndex r : eligible) {
          if (in.rep_rank[r] >= next_rank_) return r;
        }
        return eligible.front();
      }
      case AssignMethod::kLeastLoaded:
        return *std::min_element(eligible.begin(), eligible.end(), [&](RepIndex a, RepIndex b) {
          if (state_.count(a) != state_.count(b)) return state_.count(a) < state_.count(b);
          return in.rep_rank[a] < in.rep_rank[b];
        });
      case AssignMethod::kCapacityWeighted: {
        // (count + 1) / capacity, lowest first; an unlimited rep weighs as
        // the largest capacity among the eligible.
        std::int64_t largest = 0;
        for (RepIndex r : eligible) largest = std::max(largest, in.rep_capacity[r]);
        auto cap = [&](RepIndex r) {
          const std::int64_t c = in.rep_capacity[r];
          return c > 0 ? c : (largest > 0 ? largest : 1);
        };
        return *std::min_element(eligible.begin(), eligible.end(), [&](RepIndex a, RepIndex b) {
          const std::int64_t lhs = (state_.count(a) + 1) * cap(b);
          const std::int64_t rhs = (state_.count(b) + 1) * cap(a);
          if (lhs != rhs) return lhs < rhs;
          return in.rep_rank[a] < in.rep_rank[b];
        });
      }
    }
    return eligible.front();
  }

  void Took(RepIndex r) {
    next_rank_ = state_.input().rep_rank[r] + 1;
    cursor_ = portfolio_.reps().id[r];
  }
  std::string_view cursor() const { return cursor_; }

 private:
  const PlanningState& state_;
  AssignMethod method_;
  const Portfolio& portfolio_;
  std::int32_t next_rank_ = 0;
  std::string_view cursor_;
};

}  // namespace carteira::redistribution_internal

#endif  // CARTEIRA_SRC_REDISTRIBUTION_REP_CHOICE_H_
