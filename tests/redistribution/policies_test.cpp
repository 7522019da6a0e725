// assign_unowned, rotate_at_risk, release_inactive and handover on small
// hand-built portfolios (docs/redistribution.md).
#include <algorithm>

#include "carteira/redistribution/policy.h"
#include "fixtures.h"

namespace carteira {
namespace {

using namespace testing_redistribution;

Customer C(std::string id, std::string region = "Sul", std::string segment = "") {
  Customer c;
  c.id = std::move(id);
  c.region = std::move(region);
  c.segment = std::move(segment);
  return c;
}
Rep R(std::string id, std::string region = "Sul", std::vector<std::string> segments = {},
      std::int32_t capacity = 0) {
  Rep r;
  r.id = std::move(id);
  r.region = std::move(region);
  r.segments = std::move(segments);
  r.capacity = capacity;
  return r;
}
std::vector<std::pair<std::string, std::string>> Moves(const Portfolio& p, const Plan& plan) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const Move& m : plan.moves) out.push_back({CustomerOf(p, m), RepOf(p, m.to)});
  return out;
}
using Pairs = std::vector<std::pair<std::string, std::string>>;

TEST(AssignUnowned, RoundRobinInIdOrderFromTheCursor) {
  Portfolio p;
  ASSERT_TRUE(p.AddReps(std::vector<Rep>{R("R3"), R("R1"), R("R2")}).ok());
  ASSERT_TRUE(p.AddCustomers(std::vector<Customer>{C("C5"), C("C2"), C("C4"), C("C1"), C("C3")}).ok());
  const Plan plan = MustPlan(p, Pipeline(MakeAssignUnowned({})));
  EXPECT_EQ(Moves(p, plan), (Pairs{{"C1", "R1"}, {"C2", "R2"}, {"C3", "R3"}, {"C4", "R1"}, {"C5", "R2"}}));
  EXPECT_EQ(plan.round_robin_cursor, "R2");
  for (const Move& m : plan.moves) {
    EXPECT_EQ(m.from, kNoRep);
    EXPECT_EQ(m.reason, "unowned");
    EXPECT_EQ(m.policy, "assign_unowned");
  }
  // The next run starts after the cursor: R3 first.
  const Plan next = MustPlan(p, Pipeline(MakeAssignUnowned({AssignMethod::kRoundRobin, "R2"})));
  EXPECT_EQ(Moves(p, next), (Pairs{{"C1", "R3"}, {"C2", "R1"}, {"C3", "R2"}, {"C4", "R3"}, {"C5", "R1"}}));
}

TEST(AssignUnowned, TheOrderOfTheFilesChangesNothing) {
  Portfolio a, b;
  ASSERT_TRUE(a.AddReps(std::vector<Rep>{R("R1"), R("R2"), R("R3")}).ok());
  ASSERT_TRUE(a.AddCustomers(std::vector<Customer>{C("C1"), C("C2"), C("C3"), C("C4")}).ok());
  ASSERT_TRUE(b.AddReps(std::vector<Rep>{R("R3"), R("R2"), R("R1")}).ok());
  ASSERT_TRUE(b.AddCustomers(std::vector<Customer>{C("C4"), C("C3"), C("C2"), C("C1")}).ok());
  for (AssignMethod method :
       {AssignMethod::kRoundRobin, AssignMethod::kLeastLoaded, AssignMethod::kCapacityWeighted}) {
    Pairs pa = Moves(a, MustPlan(a, Pipeline(MakeAssignUnowned({method, ""}))));
    Pairs pb = Moves(b, MustPlan(b, Pipeline(MakeAssignUnowned({method, ""}))));
    std::sort(pb.begin(), pb.end());
    EXPECT_EQ(pa, pb) << AssignMethodName(method);
  }
}

TEST(AssignUnowned, LeastLoadedAndCapacityWeighted) {
  Portfolio p;
  ASSERT_TRUE(p.AddReps(std::vector<Rep>{R("R1", "Sul", {}, 10), R("R2", "Sul", {}, 2)}).ok());
  ASSERT_TRUE(p.AddCustomers(std::vector<Customer>{C("A"), C("B"), C("NEW")}).ok());
  ASSERT_TRUE(p.AddAssignments(std::vector<Assignment>{{"A", "R1", ToDate(D(2025, 1, 1)), ""},
                                                       {"B", "R1", ToDate(D(2025, 1, 1)), ""}})
                  .ok());
  // R2 holds nobody: least loaded.
  EXPECT_EQ(Moves(p, MustPlan(p, Pipeline(MakeAssignUnowned({AssignMethod::kLeastLoaded, ""})))),
            (Pairs{{"NEW", "R2"}}));
  // (2 + 1) / 10 = 0.3 at R1 against (0 + 1) / 2 = 0.5 at R2.
  EXPECT_EQ(Moves(p, MustPlan(p, Pipeline(MakeAssignUnowned({AssignMethod::kCapacityWeighted, ""})))),
            (Pairs{{"NEW", "R1"}}));
}

TEST(AssignUnowned, ExplainsWhoCannotBePlaced) {
  Portfolio p;
  Rep gone = R("GONE");
  gone.active = false;
  Rep away = R("AWAY");
  away.attributes = {{"away_until", "2026-07-15"}};
  ASSERT_TRUE(p.AddReps(std::vector<Rep>{R("FULL", "Sul", {}, 1), R("VAREJO", "Norte", {"varejo"}),
                                         gone, away})
                  .ok());
  Customer key = C("KEY");
  key.key_account = true;
  ASSERT_TRUE(p.AddCustomers(std::vector<Customer>{C("HELD"), C("SUL1"), C("NORTE", "Norte", "industria"),
                                                   C("LESTE", "Leste"), key, C("ORPHAN")})
                  .ok());
  ASSERT_TRUE(p.AddAssignments(std::vector<Assignment>{{"HELD", "FULL", ToDate(D(2025, 1, 1)), ""},
                                                       {"ORPHAN", "GONE", ToDate(D(2025, 1, 1)), ""}})
                  .ok());
  const Plan plan = MustPlan(p, Pipeline(MakeAssignUnowned({AssignMethod::kLeastLoaded, ""})));
  EXPECT_TRUE(plan.moves.empty());
  std::map<std::string, std::string> constraint;
  for (const Unplaced& u : plan.unplaced) constraint[std::string(p.customers().id[u.customer])] = u.constraint;
  EXPECT_EQ(constraint["SUL1"], "capacity");     // FULL holds HELD; AWAY is away
  EXPECT_EQ(constraint["ORPHAN"], "capacity");   // GONE is inactive: an orphan
  EXPECT_EQ(constraint["NORTE"], "segment");
  EXPECT_EQ(constraint["LESTE"], "territory");
  EXPECT_EQ(constraint["KEY"], "locked");
  EXPECT_EQ(constraint.count("HELD"), 0u);
  ASSERT_EQ(plan.infeasible.size(), 1u);
  EXPECT_EQ(plan.infeasible[0],
            "region Sul: 2 customers could not be placed by assign_unowned for lack of room; its 1 "
            "available reps hold 1 customers, capacity 1");
  for (const Unplaced& u : plan.unplaced) {
    if (p.customers().id[u.customer] == "SUL1") {
      EXPECT_NE(u.explanation.find("FULL 1/1 customers"), std::string::npos) << u.explanation;
    }
  }
  // Once AWAY is back (after 2026-07-15), it takes them.
  const Plan later = MustPlan(p, Pipeline(MakeAssignUnowned({AssignMethod::kLeastLoaded, ""})),
                              D(2026, 7, 16));
  EXPECT_EQ(Moves(p, later), (Pairs{{"ORPHAN", "AWAY"}, {"SUL1", "AWAY"}}));
  EXPECT_EQ(later.moves[0].reason, "rep_inactive");
}

// A book for the giro tests: R1 neglects its at-risk customers.
class RotateAtRiskTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(p.AddReps(std::vector<Rep>{R("R1"), R("R2"), R("R3"), R("R4", "Norte")}).ok());
    ASSERT_TRUE(p.AddCustomers(std::vector<Customer>{C("A", "Sul", "varejo"), C("B", "Sul", "varejo"),
                                                     C("COOL", "Sul", "varejo"), C("CALLED", "Sul", "varejo"),
                                                     C("FINE", "Sul", "varejo"), C("BACK", "Sul", "varejo")})
                    .ok());
    const Date long_ago = ToDate(D(2024, 1, 1));
    ASSERT_TRUE(p.AddAssignments(std::vector<Assignment>{
                    {"A", "R1", long_ago, ""},      {"B", "R1", long_ago, ""},
                    {"COOL", "R2", long_ago, ""},   {"COOL", "R1", ToDate(kAsOf - 100), ""},
                    {"CALLED", "R1", long_ago, ""}, {"FINE", "R1", long_ago, ""},
                    {"BACK", "R2", long_ago, ""}})
                    .ok());
    auto buy = [&](const char* id, DayNumber day, MinorUnits amount, const char* rep) {
      ASSERT_TRUE(p.AddTransactions(std::vector<Transaction>{{id, ToDate(day), amount, "", rep, "", {}}}).ok());
    };
    buy("A", kAsOf - 80, 50000, "R1");       // at_risk, R1 silent 80 days, most valuable
    buy("B", kAsOf - 70, 10000, "R1");       // at_risk, silent 70 days
    buy("COOL", kAsOf - 75, 20000, "R1");    // at_risk; R2 held it 100 days ago
    buy("CALLED", kAsOf - 85, 30000, "R1");  // at_risk but R1 called 10 days ago
    buy("FINE", kAsOf - 5, 1000, "R1");      // active
    buy("BACK", kAsOf - 400, 1000, "R2");    // reactivated with R2, in varejo
    buy("BACK", kAsOf - 10, 1000, "R2");
    ASSERT_TRUE(p.AddInteractions(std::vector<Interaction>{{"CALLED", "R1", ToDate(kAsOf - 10), "call", ""}}).ok());
  }
  Portfolio p;
};

TEST_F(RotateAtRiskTest, MovesNeglectedCustomersToTheBestRepOfTheTerritory) {
  RotateAtRiskOptions o;
  o.no_contact_days = 60;
  o.cooldown_days = 180;
  const Plan plan = MustPlan(p, Pipeline(MakeRotateAtRisk(o)));
  // A (most valuable) first: R2 has a reactivation in varejo. COOL cannot go
  // back to R2 (cooldown): R3. B: R2 again (its record beats R3's lighter book).
  EXPECT_EQ(Moves(p, plan), (Pairs{{"A", "R2"}, {"COOL", "R3"}, {"B", "R2"}}));
  for (const Move& m : plan.moves) {
    EXPECT_EQ(RepOf(p, m.from), "R1");
    EXPECT_EQ(m.reason, "at_risk_no_contact");
  }
  EXPECT_NE(plan.moves[0].explanation.find("80 days since the last purchase (threshold 30)"), std::string::npos)
      << plan.moves[0].explanation;
  EXPECT_NE(plan.moves[0].explanation.find("R1 has neither sold to nor contacted it for 80 days (limit 60)"),
            std::string::npos);
  EXPECT_NE(plan.moves[0].explanation.find("1 reactivated customers in segment varejo"), std::string::npos);
  // Before and after figures.
  EXPECT_EQ(plan.before[*p.FindRep("R1")].customers, 5);
  EXPECT_EQ(plan.after[*p.FindRep("R1")].customers, 2);
  EXPECT_EQ(plan.before[*p.FindRep("R1")].at_risk, 4);
  EXPECT_EQ(plan.before[*p.FindRep("R1")].at_risk_value, 110000);
  EXPECT_EQ(plan.after[*p.FindRep("R2")].at_risk, 2);
}

TEST_F(RotateAtRiskTest, TheMoveLimitHoldsAndIsExplained) {
  RotateAtRiskOptions o;
  o.max_moves_per_rep = 1;
  const Plan plan = MustPlan(p, Pipeline(MakeRotateAtRisk(o)));
  EXPECT_EQ(Moves(p, plan), (Pairs{{"A", "R2"}}));
  ASSERT_EQ(plan.unplaced.size(), 2u);
  for (const Unplaced& u : plan.unplaced) {
    EXPECT_EQ(u.constraint, "move_limit");
    EXPECT_EQ(RepOf(p, u.holder), "R1");
  }
}

TEST_F(RotateAtRiskTest, ContactWithinTheWindowKeepsTheCustomer) {
  RotateAtRiskOptions o;
  o.no_contact_days = 90;  // nobody silent that long
  EXPECT_TRUE(MustPlan(p, Pipeline(MakeRotateAtRisk(o))).moves.empty());
  o.no_contact_days = 5;  // CALLED (10 days) now moves too
  EXPECT_EQ(MustPlan(p, Pipeline(MakeRotateAtRisk(o))).moves.size(), 4u);
}

TEST_F(RotateAtRiskTest, LockedCustomersNeverMove) {
  PlanningInputOptions input;
  input.pinned = {"A", "B", "COOL"};
  const Plan plan = MustPlan(p, Pipeline(MakeRotateAtRisk({}), input));
  EXPECT_TRUE(plan.moves.empty());
  input.pinned = {"NOBODY"};
  auto status = BuildPlan(p, Classify(p), Pipeline(MakeRotateAtRisk({}), input));
  EXPECT_EQ(status.status().code(), absl::StatusCode::kNotFound);
  EXPECT_NE(status.status().message().find("NOBODY"), absl::string_view::npos);
}

TEST(ReleaseInactive, LongInactiveCustomersGoToTheReactivationTeam) {
  Portfolio p;
  Rep house1 = R("H1"), house2 = R("H2");
  house1.team = house2.team = "Reativação";
  ASSERT_TRUE(p.AddReps(std::vector<Rep>{R("R1"), house1, house2}).ok());
  ASSERT_TRUE(p.AddCustomers(std::vector<Customer>{C("OLD"), C("OLDER"), C("RECENT"), C("LOST")}).ok());
  const Date long_ago = ToDate(D(2023, 1, 1));
  ASSERT_TRUE(p.AddAssignments(std::vector<Assignment>{{"OLD", "R1", long_ago, ""},
                                                       {"OLDER", "R1", long_ago, ""},
                                                       {"RECENT", "R1", long_ago, ""},
                                                       {"LOST", "R1", long_ago, ""}})
                  .ok());
  auto buy = [&](const char* id, DayNumber day) {
    ASSERT_TRUE(p.AddTransactions(std::vector<Transaction>{{id, ToDate(day), 100, "", "", "", {}}}).ok());
  };
  buy("OLD", kAsOf - 200);     // inactive (> 90) for 110 days
  buy("OLDER", kAsOf - 300);   // inactive for 210 days
  buy("RECENT", kAsOf - 120);  // inactive for 30 days
  buy("LOST", kAsOf - 500);    // lost (> 365) for 135 days
  ReleaseInactiveOptions o;
  o.days = 100;
  o.to_team = "Reativação";
  const Plan plan = MustPlan(p, Pipeline(MakeReleaseInactive(o)));
  EXPECT_EQ(Moves(p, plan), (Pairs{{"LOST", "H1"}, {"OLD", "H2"}, {"OLDER", "H1"}}));
  EXPECT_NE(plan.moves[1].explanation.find("inactive for 110 days"), std::string::npos)
      << plan.moves[1].explanation;
  o.to_team.clear();
  o.to_rep = "H2";
  EXPECT_EQ(MustPlan(p, Pipeline(MakeReleaseInactive(o))).moves.size(), 3u);
  o.to_rep = "NOPE";
  EXPECT_EQ(BuildPlan(p, Classify(p), Pipeline(MakeReleaseInactive(o))).status().code(),
            absl::StatusCode::kNotFound);
}

TEST(Handover, ALeavingRepsBookIsSharedAndATemporaryOneReturns) {
  Portfolio p;
  ASSERT_TRUE(p.AddReps(std::vector<Rep>{R("LEAVING"), R("R2", "Sul", {}, 3), R("R3", "Sul", {"varejo"}),
                                         R("NORTE", "Norte")})
                  .ok());
  Customer key = C("KEY");
  key.key_account = true;
  ASSERT_TRUE(p.AddCustomers(std::vector<Customer>{C("A", "Sul", "varejo"), C("B", "Sul", "industria"),
                                                   C("CC", "Sul", "varejo"), key})
                  .ok());
  const Date long_ago = ToDate(D(2023, 1, 1));
  for (const char* id : {"A", "B", "CC", "KEY"}) {
    ASSERT_TRUE(p.AddAssignments(std::vector<Assignment>{{id, "LEAVING", long_ago, ""}}).ok());
  }
  ASSERT_TRUE(p.AddTransactions(std::vector<Transaction>{{"CC", ToDate(kAsOf - 3), 900, "", "", "", {}},
                                                         {"A", ToDate(kAsOf - 3), 500, "", "", "", {}}})
                  .ok());
  HandoverOptions o;
  o.rep = "LEAVING";
  const Plan plan = MustPlan(p, Pipeline(MakeHandover(o)));
  // Most valuable first, least loaded: CC -> R2 (tie by id), A -> R3, B
  // (industria: R3 does not serve it) -> R2. NORTE is another territory.
  EXPECT_EQ(Moves(p, plan), (Pairs{{"CC", "R2"}, {"A", "R3"}, {"B", "R2"}}));
  ASSERT_EQ(plan.unplaced.size(), 1u);
  EXPECT_EQ(plan.unplaced[0].constraint, "locked");

  o.effective = kAsOf + 10;
  o.until = kAsOf + 40;
  const Plan temporary = MustPlan(p, Pipeline(MakeHandover(o)));
  ASSERT_EQ(temporary.moves.size(), 3u);
  EXPECT_EQ(temporary.moves[0].effective, kAsOf + 10);
  EXPECT_EQ(temporary.moves[0].until, kAsOf + 40);
  EXPECT_EQ(temporary.moves[0].reason, "temporary_handover");
  o.until = kAsOf + 5;
  EXPECT_EQ(BuildPlan(p, Classify(p), Pipeline(MakeHandover(o))).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(Pipeline, ACustomerMovesAtMostOnceAndPoliciesSeeEarlierMoves) {
  Portfolio p;
  Rep gone = R("GONE");
  gone.active = false;
  ASSERT_TRUE(p.AddReps(std::vector<Rep>{R("R1"), R("R2"), gone}).ok());
  ASSERT_TRUE(p.AddCustomers(std::vector<Customer>{C("X"), C("Y")}).ok());
  ASSERT_TRUE(p.AddAssignments(std::vector<Assignment>{{"X", "GONE", ToDate(D(2024, 1, 1)), ""},
                                                       {"Y", "GONE", ToDate(D(2024, 1, 1)), ""}})
                  .ok());
  PlanPipeline pipeline;
  pipeline.policies.push_back(MakeAssignUnowned({AssignMethod::kLeastLoaded, ""}));
  HandoverOptions h;
  h.rep = "R1";  // R1 received X from the first policy: X is fixed now
  pipeline.policies.push_back(MakeHandover(h));
  auto plan = BuildPlan(p, Classify(p), pipeline);
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_EQ(Moves(p, *plan), (Pairs{{"X", "R1"}, {"Y", "R2"}}));
}

}  // namespace
}  // namespace carteira
