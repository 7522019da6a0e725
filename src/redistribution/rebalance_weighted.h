// rebalance with weighted loads (internal to src/redistribution): when a
// region's customers do not all weigh 1, balancing loads within the band is
// a bin-packing problem (NP-hard) that no flow can express, so the region is
// solved exactly as an integer program over classes of interchangeable
// customers (same holder, segment, reps in cooldown and weight) with GLPK's
// branch and cut (rebalance_weighted.cpp; docs/redistribution.md).
#ifndef CARTEIRA_SRC_REDISTRIBUTION_REBALANCE_WEIGHTED_H_
#define CARTEIRA_SRC_REDISTRIBUTION_REBALANCE_WEIGHTED_H_

#include <cstddef>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "carteira/redistribution/policy.h"

namespace carteira::redistribution_internal {

// The most integer variables (classes x eligible reps) a region may need;
// a larger region is reported infeasible-to-solve instead of run for hours.
inline constexpr std::size_t kMaxWeightedVariables = 20000;

// The reps of `slot` (the region's) other than `holder` that held customer
// c within `cooldown_days` before as_of, sorted and unique, into `out`.
void CooldownReps(const PlanningInput& in, CustomerIndex c, RepIndex holder,
                  const absl::flat_hash_map<RepIndex, size_t>& slot, std::int32_t cooldown_days,
                  std::vector<RepIndex>& out);

// Rebalances one region's `reps` (available, in id order; two or more) by
// weighted load; `book` holds every rep's customers. Moves go into `state`
// with policy `policy`; a region that cannot be balanced gets a line in the
// plan's infeasible list naming the constraint and the figures.
absl::Status RebalanceWeightedRegion(const Portfolio& portfolio, PlanningState& state,
                                     const RebalanceOptions& options, std::string_view policy,
                                     const std::string& region, const std::vector<RepIndex>& reps,
                                     const std::vector<std::vector<CustomerIndex>>& book);

}  // namespace carteira::redistribution_internal

#endif  // CARTEIRA_SRC_REDISTRIBUTION_REBALANCE_WEIGHTED_H_
