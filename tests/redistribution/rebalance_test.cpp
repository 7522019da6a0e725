// rebalance: the min-cost flow's plan (and, with weighted loads, the integer
// program's) against brute force on small random instances (every
// assignment enumerated), and its explanations.
#include <cmath>
#include <random>

#include "carteira/redistribution/policy.h"
#include "fixtures.h"

namespace carteira {
namespace {

using namespace testing_redistribution;

struct Instance {
  Portfolio portfolio;
  double tolerance = 0;
  std::int32_t cooldown = 180;
  bool weighted = false;  // customers weigh 1-4 (attribute "peso"), reps may have a max_load
};

// 2-4 reps of one region serving random segments, 4-7 customers of two
// segments, some locked, some with a past holder inside the cooldown, some
// values; capacities sometimes binding.
void MakeInstance(std::mt19937& rng, Instance& out) {
  Portfolio& p = out.portfolio;
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  const int reps = pick(2, 4), customers = pick(4, 7);
  std::vector<Rep> rep_rows;
  for (int r = 0; r < reps; ++r) {
    Rep rep;
    rep.id = "R" + std::to_string(r);
    rep.region = "Sul";
    const int serves = pick(0, 3);  // 0: all, 1: a, 2: b, 3: a and b
    if (serves == 1 || serves == 3) rep.segments.push_back("a");
    if (serves == 2 || serves == 3) rep.segments.push_back("b");
    rep.capacity = pick(0, 2) == 0 ? pick(1, 4) : 0;
    if (out.weighted && pick(0, 2) == 0) rep.attributes = {{"max_load", std::to_string(pick(3, 10))}};
    rep_rows.push_back(rep);
  }
  ASSERT_TRUE(p.AddReps(rep_rows).ok());
  std::vector<Customer> rows;
  std::vector<Assignment> assignments;
  std::vector<Transaction> sales;
  // Most customers start with rep 0: an unbalanced region.
  for (int c = 0; c < customers; ++c) {
    Customer row;
    row.id = "C" + std::to_string(c);
    row.region = "Sul";
    row.segment = pick(0, 1) ? "a" : "b";
    row.key_account = pick(0, 5) == 0;
    // In a weighted instance customer 0 weighs 2, so the region is never all 1s.
    if (out.weighted) row.attributes = {{"peso", std::to_string(c == 0 ? 2 : pick(1, 4))}};
    rows.push_back(row);
    const int holder = pick(0, 2) == 0 ? pick(0, reps - 1) : 0;
    if (pick(0, 3) == 0) {  // a past holder, within or outside the cooldown
      const int past = pick(0, reps - 1);
      const int days_ago = pick(0, 1) ? 100 : 300;
      assignments.push_back({row.id, rep_rows[past].id, ToDate(D(2023, 1, 1)), ""});
      assignments.push_back({row.id, rep_rows[holder].id, ToDate(kAsOf - days_ago), ""});
    } else {
      assignments.push_back({row.id, rep_rows[holder].id, ToDate(D(2023, 1, 1)), ""});
    }
    if (pick(0, 1)) sales.push_back({row.id, ToDate(kAsOf - pick(1, 200)), pick(1, 5) * 1000, "", "", "", {}});
  }
  ASSERT_TRUE(p.AddCustomers(rows).ok());
  ASSERT_TRUE(p.AddAssignments(assignments).ok());
  ASSERT_TRUE(p.AddTransactions(sales).ok());
  out.tolerance = std::vector<double>{0.0, 0.1, 0.25, 0.5}[pick(0, 3)];
}

// The cheapest assignment within the band, by enumeration; -1 if none.
// Loads are weighted (all 1 in an unweighted instance); a rep's upper bound
// is the band's, its max_load and, with unit weights, its capacity; its
// lower bound the band's unless that is above the upper one. With weights,
// the capacity bounds the rep's customer count on its own.
std::int64_t BruteForce(const PlanningInput& in, double tolerance, std::int32_t cooldown,
                        bool by_value) {
  const size_t n = in.customers(), reps = in.reps();
  std::int64_t total = 0;
  bool unit = true;
  for (size_t c = 0; c < n; ++c) {
    total += in.weight[c];
    unit = unit && in.weight[c] == 1;
  }
  const double mean = static_cast<double>(total) / reps;
  std::int64_t lo = static_cast<std::int64_t>(std::ceil(mean * (1 - tolerance) - 1e-9));
  std::int64_t hi = static_cast<std::int64_t>(std::floor(mean * (1 + tolerance) + 1e-9));
  if (lo > hi) {
    lo = static_cast<std::int64_t>(std::floor(mean));
    hi = static_cast<std::int64_t>(std::ceil(mean));
  }
  std::int64_t best = -1;
  std::vector<int> choice(n, 0);
  std::int64_t combos = 1;
  for (size_t c = 0; c < n; ++c) combos *= static_cast<std::int64_t>(reps);
  for (std::int64_t code = 0; code < combos; ++code) {
    std::int64_t rest = code, cost = 0;
    std::vector<std::int64_t> count(reps, 0), load(reps, 0);
    bool ok = true;
    for (size_t c = 0; c < n && ok; ++c) {
      const RepIndex r = static_cast<RepIndex>(rest % static_cast<std::int64_t>(reps));
      rest /= static_cast<std::int64_t>(reps);
      ++count[r];
      load[r] += in.weight[c];
      if (r == in.holder[c]) continue;
      ok = !in.locked[c] && in.Serves(r, in.segment[c]) && !in.InCooldown(c, r, cooldown);
      cost += by_value ? std::max<MinorUnits>(in.value[c], 0) + 1 : 1;
    }
    for (size_t r = 0; r < reps && ok; ++r) {
      std::int64_t upper = hi;
      if (in.rep_max_load[r] > 0) upper = std::min(upper, in.rep_max_load[r]);
      if (unit && in.rep_capacity[r] > 0) upper = std::min(upper, in.rep_capacity[r]);
      ok = load[r] >= std::min(lo, upper) && load[r] <= upper;
      if (!unit && in.rep_capacity[r] > 0) ok = ok && count[r] <= in.rep_capacity[r];
    }
    if (ok && (best < 0 || cost < best)) best = cost;
  }
  return best;
}

void ExpectBruteForceOptimum(bool weighted, std::uint32_t seed) {
  std::mt19937 rng(seed);
  int feasible = 0, infeasible = 0, moved = 0;
  for (int trial = 0; trial < 300; ++trial) {
    Instance instance;
    instance.weighted = weighted;
    MakeInstance(rng, instance);
    const Portfolio& p = instance.portfolio;
    const StatusTable status = Classify(p);
    PlanningInputOptions options;
    if (weighted) options.weight_attribute = "peso";
    auto input = MakePlanningInput(p, status, options);
    ASSERT_TRUE(input.ok()) << input.status();
    for (bool by_value : {false, true}) {
      RebalanceOptions o;
      o.tolerance = instance.tolerance;
      o.cooldown_days = instance.cooldown;
      o.objective = by_value ? RebalanceObjective::kLeastValue : RebalanceObjective::kFewestMoves;
      auto plan = BuildPlan(p, *input, Pipeline(MakeRebalance(o)));
      ASSERT_TRUE(plan.ok()) << plan.status();
      const std::int64_t best = BruteForce(*input, instance.tolerance, instance.cooldown, by_value);
      SCOPED_TRACE(testing::Message() << "trial " << trial << " by_value " << by_value);
      if (best < 0) {
        EXPECT_TRUE(plan->moves.empty());
        EXPECT_EQ(plan->infeasible.size(), 1u);
        ++infeasible;
        continue;
      }
      ++feasible;
      EXPECT_TRUE(plan->infeasible.empty()) << plan->infeasible[0];
      std::int64_t cost = 0;
      for (const Move& m : plan->moves) {
        EXPECT_FALSE(input->locked[m.customer]);
        EXPECT_TRUE(input->Serves(m.to, input->segment[m.customer]));
        EXPECT_FALSE(input->InCooldown(m.customer, m.to, instance.cooldown));
        cost += by_value ? std::max<MinorUnits>(input->value[m.customer], 0) + 1 : 1;
      }
      EXPECT_EQ(cost, best);
      moved += static_cast<int>(plan->moves.size());
      for (size_t r = 0; r < input->reps(); ++r) {
        if (input->rep_capacity[r] > 0) EXPECT_LE(plan->after[r].customers, input->rep_capacity[r]);
        if (input->rep_max_load[r] > 0) EXPECT_LE(plan->after[r].load, input->rep_max_load[r]);
      }
    }
  }
  // The generator must exercise both outcomes and real moves.
  EXPECT_GT(feasible, 100);
  EXPECT_GT(infeasible, 10);
  EXPECT_GT(moved, 200);
}

TEST(Rebalance, EqualsBruteForceOnSmallInstances) { ExpectBruteForceOptimum(false, 20261205); }

// Weighted loads: the integer program's plan costs what the enumeration's
// best does, on instances where counts and loads disagree.
TEST(Rebalance, WeightedLoadsEqualBruteForceOnSmallInstances) { ExpectBruteForceOptimum(true, 20261206); }

TEST(Rebalance, NamesTheConstraintWhenARegionCannotBeBalanced) {
  Portfolio p;
  std::vector<Rep> reps(2);
  reps[0].id = "R1";
  reps[1].id = "R2";
  reps[0].region = reps[1].region = "Sul";
  reps[0].capacity = reps[1].capacity = 4;
  ASSERT_TRUE(p.AddReps(reps).ok());
  std::vector<Assignment> rows;
  for (int c = 0; c < 10; ++c) rows.push_back({"C" + std::to_string(c), "R1", ToDate(D(2024, 1, 1)), ""});
  ASSERT_TRUE(p.AddAssignments(rows).ok());
  const Plan plan = MustPlan(p, Pipeline(MakeRebalance({})));
  EXPECT_TRUE(plan.moves.empty());
  ASSERT_EQ(plan.infeasible.size(), 1u);
  EXPECT_NE(plan.infeasible[0].find("region Sul: 10 customers, capacity 8"), std::string::npos)
      << plan.infeasible[0];
}

TEST(Rebalance, ExplainsEachMoveWithTheBand) {
  Portfolio p;
  std::vector<Rep> reps(3);
  for (int r = 0; r < 3; ++r) {
    reps[r].id = "R" + std::to_string(r + 1);
    reps[r].region = "Sul";
  }
  ASSERT_TRUE(p.AddReps(reps).ok());
  std::vector<Assignment> rows;
  for (int c = 0; c < 12; ++c) {
    rows.push_back({"C" + std::to_string(c + 10), c < 10 ? "R1" : "R2", ToDate(D(2024, 1, 1)), ""});
  }
  ASSERT_TRUE(p.AddAssignments(rows).ok());
  RebalanceOptions o;
  o.tolerance = 0;
  const Plan plan = MustPlan(p, Pipeline(MakeRebalance(o)));
  // 10/2/0 -> 4/4/4: six moves out of R1.
  ASSERT_EQ(plan.moves.size(), 6u);
  for (const Move& m : plan.moves) EXPECT_EQ(RepOf(p, m.from), "R1");
  EXPECT_EQ(plan.after[0].customers, 4);
  EXPECT_EQ(plan.after[1].customers, 4);
  EXPECT_EQ(plan.after[2].customers, 4);
  EXPECT_NE(plan.moves[0].explanation.find("region Sul, band 4-4 customers (mean 4.0 +/- 0%): R1 10 -> 4"),
            std::string::npos)
      << plan.moves[0].explanation;
  EXPECT_DOUBLE_EQ(*plan.fairness_after.max_min_ratio, 1.0);
  EXPECT_EQ(plan.fairness_after.gini, 0.0);
  EXPECT_FALSE(plan.fairness_before.max_min_ratio.has_value());  // R3 held nobody
  EXPECT_NEAR(plan.fairness_before.gini, 20.0 / 36.0, 1e-12);   // loads 10, 2, 0
}

TEST(Rebalance, WeightedLoadsMoveTheFewestCustomersNotTheFewestUnits) {
  Portfolio p;
  std::vector<Rep> reps(2);
  reps[0].id = "R1";
  reps[1].id = "R2";
  reps[0].region = reps[1].region = "Sul";
  ASSERT_TRUE(p.AddReps(reps).ok());
  // R1 holds a load of 8 (one customer of weight 4, four of weight 1), R2 nothing.
  std::vector<Customer> customers(5);
  std::vector<Assignment> rows;
  for (int c = 0; c < 5; ++c) {
    customers[c].id = "C" + std::to_string(c);
    customers[c].attributes = {{"peso", c == 2 ? "4" : "1"}};
    rows.push_back({customers[c].id, "R1", ToDate(D(2024, 1, 1)), ""});
  }
  ASSERT_TRUE(p.AddCustomers(customers).ok());
  ASSERT_TRUE(p.AddAssignments(rows).ok());
  const StatusTable status = Classify(p);
  PlanningInputOptions options;
  options.weight_attribute = "peso";
  auto input = MakePlanningInput(p, status, options);
  ASSERT_TRUE(input.ok()) << input.status();
  RebalanceOptions o;
  o.tolerance = 0;
  auto plan = BuildPlan(p, *input, Pipeline(MakeRebalance(o)));
  ASSERT_TRUE(plan.ok()) << plan.status();
  // Loads 8/0 -> 4/4 with one move (the customer of weight 4), where
  // balancing counts would have moved two or three.
  ASSERT_EQ(plan->moves.size(), 1u);
  EXPECT_EQ(p.customers().id[plan->moves[0].customer], "C2");
  EXPECT_EQ(plan->after[0].load, 4);
  EXPECT_EQ(plan->after[1].load, 4);
  EXPECT_NE(plan->moves[0].explanation.find(
                "region Sul, band 4-4 load (mean 4.0 +/- 0%): R1 load 8 -> 4, R2 load 0 -> 4; customer weight 4"),
            std::string::npos)
      << plan->moves[0].explanation;

  // R2 may take a load of 3 at most: no assignment fits the band.
  Portfolio q;
  reps[1].attributes = {{"max_load", "3"}};
  ASSERT_TRUE(q.AddReps(reps).ok());
  ASSERT_TRUE(q.AddCustomers(customers).ok());
  ASSERT_TRUE(q.AddAssignments(rows).ok());
  const StatusTable q_status = Classify(q);
  auto q_input = MakePlanningInput(q, q_status, options);
  ASSERT_TRUE(q_input.ok()) << q_input.status();
  auto none = BuildPlan(q, *q_input, Pipeline(MakeRebalance(o)));
  ASSERT_TRUE(none.ok()) << none.status();
  EXPECT_TRUE(none->moves.empty());
  ASSERT_EQ(none->infeasible.size(), 1u);
  EXPECT_NE(none->infeasible[0].find("region Sul: a load of 8, room for 7 within the band 4-4 load"),
            std::string::npos)
      << none->infeasible[0];
}

}  // namespace
}  // namespace carteira
