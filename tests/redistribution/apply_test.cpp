// Plans as data: JSON out and back, applying (history rows, stale plans
// refused), the inverse plan, and byte-for-byte determinism on the sample.
#include "carteira/redistribution/apply.h"

#include <set>

#include "carteira/io/import.h"
#include "carteira/kpi/kpi.h"
#include "carteira/redistribution/plan_json.h"
#include "carteira/redistribution/policy.h"
#include "fixtures.h"

namespace carteira {
namespace {

using namespace testing_redistribution;

// The sample portfolio (examples/sample) and a giro + rebalance pipeline.
class SamplePlan : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    sample_ = new Portfolio;
    ImportReport report;
    const absl::Status s = ImportDirectory(*sample_, CARTEIRA_SAMPLE_DIR, {}, &report);
    ASSERT_TRUE(s.ok()) << s;
  }
  static void TearDownTestSuite() { delete sample_; }
  static PlanPipeline Giro() {
    PlanPipeline pipeline;
    pipeline.policies.push_back(MakeAssignUnowned({}));
    RotateAtRiskOptions rotate;
    rotate.max_moves_per_rep = 5;
    pipeline.policies.push_back(MakeRotateAtRisk(rotate));
    pipeline.policies.push_back(MakeRebalance({}));
    return pipeline;
  }
  static inline Portfolio* sample_ = nullptr;
  const DayNumber as_of_ = D(2026, 10, 31);
};

TEST_F(SamplePlan, SameInputSameBytes) {
  const StatusTable status = Classify(*sample_, as_of_);
  auto a = BuildPlan(*sample_, status, Giro());
  auto b = BuildPlan(*sample_, status, Giro());
  ASSERT_TRUE(a.ok() && b.ok()) << a.status();
  EXPECT_FALSE(a->moves.empty());
  EXPECT_EQ(PlanToJson(*sample_, *a), PlanToJson(*sample_, *b));
  EXPECT_EQ(a->id.size(), 21u);
  EXPECT_EQ(a->id, b->id);
}

TEST_F(SamplePlan, LocksCapacitiesAndMoveLimitsHold) {
  const StatusTable status = Classify(*sample_, as_of_);
  auto input = MakePlanningInput(*sample_, status);
  ASSERT_TRUE(input.ok());
  auto plan = BuildPlan(*sample_, *input, Giro());
  ASSERT_TRUE(plan.ok());
  std::vector<int> in(input->reps()), out(input->reps());
  std::set<CustomerIndex> seen;
  for (const Move& m : plan->moves) {
    EXPECT_FALSE(input->locked[m.customer]) << sample_->customers().id[m.customer];
    EXPECT_TRUE(input->Available(m.to));
    EXPECT_TRUE(seen.insert(m.customer).second) << "moved twice";
    if (m.policy == "rotate_at_risk") {
      ++in[m.to];
      ++out[m.from];
      EXPECT_FALSE(input->InCooldown(m.customer, m.to, 180));
    }
  }
  for (size_t r = 0; r < input->reps(); ++r) {
    EXPECT_LE(in[r], 5);
    EXPECT_LE(out[r], 5);
    const std::int64_t capacity = input->rep_capacity[r];
    // A book over capacity before the plan may stay so; it never grows.
    if (capacity > 0) {
      EXPECT_LE(plan->after[r].customers, std::max(capacity, plan->before[r].customers));
    }
  }
}

TEST_F(SamplePlan, JsonRoundTripApplyAndUndo) {
  Portfolio& p = *sample_;
  const StatusTable status = Classify(p, as_of_);
  auto plan = BuildPlan(p, status, Giro());
  ASSERT_TRUE(plan.ok());
  const std::string json = PlanToJson(p, *plan);
  auto read = PlanFromJson(p, json, "plan.json");
  ASSERT_TRUE(read.ok()) << read.status();
  ASSERT_EQ(read->moves.size(), plan->moves.size());
  EXPECT_EQ(read->id, plan->id);
  for (size_t i = 0; i < plan->moves.size(); ++i) {
    EXPECT_EQ(read->moves[i].customer, plan->moves[i].customer);
    EXPECT_EQ(read->moves[i].from, plan->moves[i].from);
    EXPECT_EQ(read->moves[i].to, plan->moves[i].to);
    EXPECT_EQ(read->moves[i].effective, plan->moves[i].effective);
  }
  const std::vector<RepIndex> before = RepsOn(p, as_of_);
  const size_t rows_before = p.assignments().size();
  ASSERT_TRUE(ApplyPlan(p, *read).ok());
  EXPECT_EQ(p.assignments().size(), rows_before + plan->moves.size());
  EXPECT_NE(std::string(p.assignments().reason[rows_before]).find(plan->id), std::string::npos);
  const std::vector<RepIndex> after = RepsOn(p, as_of_);
  for (const Move& m : plan->moves) EXPECT_EQ(after[m.customer], m.to);

  // Applying it again is refused: the plan is stale now; nothing is written.
  const absl::Status again = ApplyPlan(p, *read);
  EXPECT_EQ(again.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(again.message().find("stale"), absl::string_view::npos);
  EXPECT_EQ(p.assignments().size(), rows_before + plan->moves.size());

  // The inverse (one day later) puts every customer back.
  const Plan undo = InversePlan(*read, as_of_ + 1);
  ASSERT_TRUE(ApplyPlan(p, undo).ok());
  const std::vector<RepIndex> restored = RepsOn(p, as_of_ + 1);
  for (size_t c = 0; c < before.size(); ++c) {
    if (before[c] != kNoRep) EXPECT_EQ(restored[c], before[c]) << p.customers().id[c];
  }
  // Leave the shared sample as it was for the other tests.
  Portfolio fresh;
  ImportReport report;
  ASSERT_TRUE(ImportDirectory(fresh, CARTEIRA_SAMPLE_DIR, {}, &report).ok());
  p = std::move(fresh);
}

TEST(ApplyPlan, ATemporaryHandoverReturnsOnItsDay) {
  Portfolio p;
  ASSERT_TRUE(p.AddReps(std::vector<Rep>{{.id = "AWAY"}, {.id = "R2"}}).ok());
  ASSERT_TRUE(p.AddAssignments(std::vector<Assignment>{{"A", "AWAY", ToDate(D(2024, 1, 1)), ""}}).ok());
  HandoverOptions o;
  o.rep = "AWAY";
  o.until = kAsOf + 30;
  const Plan plan = MustPlan(p, Pipeline(MakeHandover(o)));
  ASSERT_EQ(plan.moves.size(), 1u);
  ASSERT_TRUE(ApplyPlan(p, plan).ok());
  EXPECT_EQ(RepOf(p, RepsOn(p, kAsOf)[0]), "R2");
  EXPECT_EQ(RepOf(p, RepsOn(p, kAsOf + 29)[0]), "R2");
  EXPECT_EQ(RepOf(p, RepsOn(p, kAsOf + 30)[0]), "AWAY");
}

TEST(PlanFromJson, ErrorsNameTheMoveAndField) {
  Portfolio p;
  ASSERT_TRUE(p.AddReps(std::vector<Rep>{{.id = "R1"}}).ok());
  ASSERT_TRUE(p.AddCustomers(std::vector<Customer>{{.id = "A"}}).ok());
  auto bad = PlanFromJson(p, R"({"as_of": "2026-06-30", "moves": [
      {"customer_id": "A", "from": null, "to": "R1", "policy": "x"},
      {"customer_id": "A", "from": null, "to": "R9", "policy": "x"}]})", "plan.json");
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("plan.json: moves[1].to: rep R9"), absl::string_view::npos)
      << bad.status();
  EXPECT_FALSE(PlanFromJson(p, "{", "plan.json").ok());
  auto twice = PlanFromJson(p, R"({"as_of": "2026-06-30", "moves": [
      {"customer_id": "A", "from": null, "to": "R1", "policy": "x"},
      {"customer_id": "A", "from": null, "to": "R1", "policy": "x"}]})", "plan.json");
  ASSERT_TRUE(twice.ok());
  EXPECT_NE(ApplyPlan(p, *twice).message().find("moves twice"), absl::string_view::npos);
  EXPECT_EQ(p.assignments().size(), 0u);
}

TEST(PlanPipelineFile, ReadsEveryPolicyAndNamesBadKeys) {
  auto pipeline = ParsePlanPipeline(R"({
    "value_window_days": 180, "pinned": [],
    "policies": [
      {"policy": "assign_unowned", "method": "least_loaded"},
      {"policy": "rotate_at_risk", "statuses": ["at_risk", "inactive"], "no_contact_days": 45,
       "cooldown_days": 90, "max_moves_per_rep": 3},
      {"policy": "release_inactive", "days": 200, "to_team": "Reativação"},
      {"policy": "rebalance", "tolerance": 0.15, "objective": "value"},
      {"policy": "handover", "rep": "R09", "effective": "2026-11-01", "until": "31/12/2026"}
    ]})", "policy.json");
  ASSERT_TRUE(pipeline.ok()) << pipeline.status();
  ASSERT_EQ(pipeline->policies.size(), 5u);
  EXPECT_EQ(pipeline->input.value_window_days, 180);
  EXPECT_EQ(pipeline->policies[3]->name(), "rebalance");
  auto bad = ParsePlanPipeline(R"({"policies": [{"policy": "rotate_at_risk", "no_contact": 3}]})",
                               "policy.json");
  EXPECT_NE(bad.status().message().find("policy.json: policies[0] (rotate_at_risk).no_contact: is not a known key"),
            absl::string_view::npos)
      << bad.status();
  bad = ParsePlanPipeline(R"({"policies": [{"policy": "rebalance", "tolerance": 1.5}]})", "policy.json");
  EXPECT_NE(bad.status().message().find("tolerance"), absl::string_view::npos);
  bad = ParsePlanPipeline(R"({"policies": [{"policy": "giro"}]})", "policy.json");
  EXPECT_NE(bad.status().message().find("unknown policy 'giro'"), absl::string_view::npos);
  bad = ParsePlanPipeline(R"({"policies": []})", "policy.json");
  EXPECT_FALSE(bad.ok());
}

}  // namespace
}  // namespace carteira
