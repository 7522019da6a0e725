// Small hand-built portfolios for the redistribution tests.
#ifndef CARTEIRA_TESTS_REDISTRIBUTION_FIXTURES_H_
#define CARTEIRA_TESTS_REDISTRIBUTION_FIXTURES_H_

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "carteira/redistribution/planner.h"
#include "carteira/status/status_engine.h"

namespace carteira::testing_redistribution {

inline DayNumber D(int y, unsigned m, unsigned d) { return DaysFromCivil(y, m, d); }
inline const DayNumber kAsOf = DaysFromCivil(2026, 6, 30);

// Status with fixed thresholds: at_risk after 30 days, inactive after 90,
// lost after 365; reactivated within 60 days of a comeback (new within 1).
inline StatusTable Classify(const Portfolio& p, DayNumber as_of = kAsOf) {
  StatusPolicy policy = StatusPolicy::FixedThresholds(30, 90, 365);
  policy.defaults.lifecycle.new_and_reactivated = true;
  policy.defaults.lifecycle.new_within = 1;
  policy.defaults.lifecycle.reactivated_within = 60;
  auto engine = StatusEngine::Create(p, policy);
  EXPECT_TRUE(engine.ok()) << engine.status();
  auto table = engine->Classify(as_of);
  EXPECT_TRUE(table.ok()) << table.status();
  return std::move(*table);
}

inline PlanPipeline Pipeline(std::unique_ptr<Policy> policy, PlanningInputOptions input = {}) {
  PlanPipeline p;
  p.input = std::move(input);
  p.policies.push_back(std::move(policy));
  return p;
}

inline Plan MustPlan(const Portfolio& p, const PlanPipeline& pipeline, DayNumber as_of = kAsOf) {
  auto plan = BuildPlan(p, Classify(p, as_of), pipeline);
  EXPECT_TRUE(plan.ok()) << plan.status();
  return plan.ok() ? std::move(*plan) : Plan{};
}

inline std::string CustomerOf(const Portfolio& p, const Move& m) {
  return std::string(p.customers().id[m.customer]);
}
inline std::string RepOf(const Portfolio& p, RepIndex r) {
  return r == kNoRep ? std::string() : std::string(p.reps().id[r]);
}

}  // namespace carteira::testing_redistribution

#endif  // CARTEIRA_TESTS_REDISTRIBUTION_FIXTURES_H_
