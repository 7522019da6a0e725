// Builds a Plan: gathers the planning input, runs the policies in order,
// then adds each rep's figures before and after and the fairness figures.
// Deterministic: no clock, no randomness, no dependence on hash order.
#ifndef CARTEIRA_REDISTRIBUTION_PLANNER_H_
#define CARTEIRA_REDISTRIBUTION_PLANNER_H_

#include <memory>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "carteira/redistribution/plan.h"
#include "carteira/redistribution/planning_input.h"
#include "carteira/redistribution/policy.h"

namespace carteira {

struct PlanPipeline {
  PlanningInputOptions input;
  std::vector<std::unique_ptr<Policy>> policies;
};

// Reads a pipeline from JSON (docs/redistribution.md, "Policy file"):
//   {"value_window_days": 365, "weight_attribute": "", "pinned": ["C1"],
//    "policies": [{"policy": "assign_unowned", "method": "round_robin"},
//                 {"policy": "rotate_at_risk", "no_contact_days": 60}, ...]}
// Errors name the file (`origin`), the policy's position and the key.
absl::StatusOr<PlanPipeline> ParsePlanPipeline(std::string_view json, std::string_view origin);
absl::StatusOr<PlanPipeline> LoadPlanPipeline(const std::string& path);

// Runs `pipeline` on `portfolio` with its status table `status` (which
// fixes the as-of date).
absl::StatusOr<Plan> BuildPlan(const Portfolio& portfolio, const StatusTable& status,
                               const PlanPipeline& pipeline);
// The same on an input already gathered (benchmarks, repeated what-ifs).
absl::StatusOr<Plan> BuildPlan(const Portfolio& portfolio, const PlanningInput& input,
                               const PlanPipeline& pipeline);

// Each rep's figures with customers held as in `holder` (by customer).
std::vector<RepFigures> ComputeRepFigures(const PlanningInput& input,
                                          const std::vector<RepIndex>& holder);
Fairness ComputeFairness(const PlanningInput& input, const std::vector<RepFigures>& figures);

}  // namespace carteira

#endif  // CARTEIRA_REDISTRIBUTION_PLANNER_H_
