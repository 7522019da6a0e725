// The agenda: each task type on a hand-built portfolio, tested alone (the
// `types` option), then priorities, order, keys and determinism.
#include "carteira/actions/agenda.h"

#include <gtest/gtest.h>

#include <map>

namespace carteira {
namespace {

DayNumber D(int y, unsigned m, unsigned d) { return DaysFromCivil(y, m, d); }
const DayNumber kAsOf = DaysFromCivil(2026, 6, 30);

class AgendaTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(p.AddReps(std::vector<Rep>{{.id = "R1"}, {.id = "R2"}}).ok());
    for (const char* id : {"A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K", "L", "AUTO"}) {
      ASSERT_TRUE(p.AddAssignments(std::vector<Assignment>{{id, "R1", ToDate(D(2024, 1, 1)), ""}}).ok());
    }
  }
  void Buy(const char* id, DayNumber day, MinorUnits amount = 10000) {
    ASSERT_TRUE(p.AddTransactions(std::vector<Transaction>{{id, ToDate(day), amount, "", "", "", {}}}).ok());
  }
  void Contact(const char* id, DayNumber day, const char* channel = "call") {
    ASSERT_TRUE(p.AddInteractions(std::vector<Interaction>{{id, "R1", ToDate(day), channel, ""}}).ok());
  }
  std::vector<Task> Agenda(TaskType type, AgendaOptions o = {}) {
    o.as_of = kAsOf;
    o.types = {type};
    auto engine = StatusEngine::Create(p, StatusPolicy::FixedThresholds(30, 90, 365));
    EXPECT_TRUE(engine.ok());
    auto tasks = BuildAgenda(p, *engine, o);
    EXPECT_TRUE(tasks.ok()) << tasks.status();
    return tasks.ok() ? *tasks : std::vector<Task>{};
  }
  std::map<std::string, Task> ByCustomer(const std::vector<Task>& tasks) {
    std::map<std::string, Task> out;
    for (const Task& t : tasks) out[std::string(p.customers().id[t.customer])] = t;
    return out;
  }
  Portfolio p;
};

TEST_F(AgendaTest, RenewalTasksStartBeforeTheEndAndEscalate) {
  ASSERT_TRUE(p.AddContracts(std::vector<Contract>{
                  {"A", "K1", ToDate(D(2025, 8, 1)), ToDate(kAsOf + 40), 120000, false},
                  {"B", "K2", ToDate(D(2025, 8, 1)), ToDate(kAsOf + 10), 50000, false},
                  {"C", "K3", ToDate(D(2025, 8, 1)), ToDate(kAsOf + 40), 50000, false},
                  {"C", "K4", ToDate(kAsOf - 5), ToDate(kAsOf + 400), 50000, false},  // renewed
                  {"AUTO", "K5", ToDate(D(2025, 8, 1)), ToDate(kAsOf + 20), 50000, true},
                  {"D", "K6", ToDate(D(2025, 1, 1)), ToDate(kAsOf - 1), 50000, false}})  // already ended
                  .ok());
  auto tasks = ByCustomer(Agenda(TaskType::kRenewal));
  ASSERT_EQ(tasks.size(), 2u);
  const Task& a = tasks["A"];
  EXPECT_EQ(a.due, kAsOf + 40 - 60);
  EXPECT_TRUE(a.overdue);
  EXPECT_EQ(a.anchor, kAsOf + 40);
  EXPECT_EQ(a.key, "renewal:A:2026-08-09:early");
  EXPECT_EQ(a.reason, "contract K1 ends on 2026-08-09 (in 40 days), value 1200.00, no renewal yet");
  EXPECT_EQ(RepIndex{0}, a.rep);
  const Task& b = tasks["B"];
  EXPECT_EQ(b.due, kAsOf + 10 - 15);
  EXPECT_EQ(b.key, "renewal:B:2026-07-10:urgent");
  EXPECT_NE(b.reason.find("; urgent"), std::string::npos);
  // A contact after the stage began closes it; the urgent stage still comes.
  Contact("A", kAsOf - 3);
  Contact("B", kAsOf - 3);
  tasks = ByCustomer(Agenda(TaskType::kRenewal));
  EXPECT_EQ(tasks.count("A"), 0u);
  EXPECT_EQ(tasks.count("B"), 0u);
  AgendaOptions o;
  o.horizon_days = 30;  // A's urgent stage (due 15 days before 2026-08-09) is inside
  tasks = ByCustomer(Agenda(TaskType::kRenewal, o));
  ASSERT_EQ(tasks.count("A"), 1u);
  EXPECT_EQ(tasks["A"].key, "renewal:A:2026-08-09:urgent");
  EXPECT_FALSE(tasks["A"].overdue);
}

TEST_F(AgendaTest, ReactivationOncePerTransitionUntilSomeoneActs) {
  Buy("D", kAsOf - 40);  // at_risk since kAsOf - 9 (31 days after the purchase)
  Buy("E", kAsOf - 40);
  Contact("E", kAsOf - 5);  // someone acted after the transition
  Buy("F", kAsOf - 100);  // inactive since kAsOf - 9, at_risk before the window too
  Buy("G", kAsOf - 200);  // inactive since long ago: outside the 30-day window
  auto tasks = ByCustomer(Agenda(TaskType::kReactivation));
  ASSERT_EQ(tasks.size(), 2u);
  EXPECT_EQ(tasks["D"].due, kAsOf - 9);
  EXPECT_EQ(tasks["D"].key, "reactivation:D:2026-06-21");
  EXPECT_EQ(tasks["D"].reason, "became at_risk on 2026-06-21 (was active); last purchase 2026-05-21; no contact since");
  EXPECT_NE(tasks["F"].reason.find("became inactive on 2026-06-21 (was at_risk)"), std::string::npos);
  // The next day, the same task (same key) if still open.
  AgendaOptions o;
  auto again = ByCustomer(Agenda(TaskType::kReactivation, o));
  EXPECT_EQ(again["D"].key, tasks["D"].key);
}

TEST_F(AgendaTest, VisitsByAbcClassFromTheLastVisit) {
  Buy("F", kAsOf - 10, 1000000);  // class A: most of the revenue
  Buy("G", kAsOf - 10, 100);      // class C
  Buy("H", kAsOf - 10, 100);      // never visited
  Buy("L", kAsOf - 400, 100);     // lost: no visits
  Contact("F", kAsOf - 40, "visit");
  Contact("F", kAsOf - 2, "call");  // a call is not a visit
  Contact("G", kAsOf - 20, "visit");
  auto tasks = ByCustomer(Agenda(TaskType::kVisit));
  ASSERT_EQ(tasks.size(), 2u);
  EXPECT_EQ(tasks["F"].due, kAsOf - 10);
  EXPECT_TRUE(tasks["F"].overdue);
  EXPECT_EQ(tasks["F"].reason, "class A: a visit every 30 days; last visit 2026-05-21 (40 days ago)");
  EXPECT_EQ(tasks["H"].due, kAsOf);
  EXPECT_EQ(tasks["H"].reason, "class C: a visit every 90 days; never visited");
}

TEST_F(AgendaTest, NpsSurveysAfterAPurchaseAtMostOncePerInterval) {
  Buy("I", kAsOf - 5);
  Buy("J", kAsOf - 5);
  ASSERT_TRUE(p.AddSurveyAnswers(std::vector<SurveyAnswer>{{"J", ToDate(kAsOf - 30), 9},
                                                           {"K", ToDate(kAsOf - 200), 3}})
                  .ok());
  Buy("K", kAsOf - 6);
  Buy("L", kAsOf - 100);  // too old to ask about
  auto tasks = ByCustomer(Agenda(TaskType::kNpsSurvey));
  ASSERT_EQ(tasks.size(), 2u);
  EXPECT_EQ(tasks["I"].due, kAsOf + 2);
  EXPECT_FALSE(tasks["I"].overdue);
  EXPECT_EQ(tasks["K"].reason, "purchase on 2026-06-24; last survey answer 2025-12-12");
}

TEST_F(AgendaTest, FollowUpUnlessSomeoneCalledAfterThePurchase) {
  Buy("K", kAsOf - 2);
  Buy("L", kAsOf - 2);
  Contact("L", kAsOf - 1);
  auto tasks = ByCustomer(Agenda(TaskType::kFollowUp));
  ASSERT_EQ(tasks.size(), 1u);
  EXPECT_EQ(tasks["K"].due, kAsOf + 1);
  EXPECT_EQ(tasks["K"].key, "follow_up:K:2026-06-28");
}

TEST_F(AgendaTest, PrioritiesOrderAndDeterminism) {
  Buy("D", kAsOf - 40, 900000);  // at_risk and valuable
  Buy("E", kAsOf - 40, 100);     // at_risk, little value
  Buy("K", kAsOf - 2, 100);
  auto engine = StatusEngine::Create(p, StatusPolicy::FixedThresholds(30, 90, 365));
  ASSERT_TRUE(engine.ok());
  AgendaOptions o;
  o.as_of = kAsOf;
  auto first = BuildAgenda(p, *engine, o);
  auto second = BuildAgenda(p, *engine, o);
  ASSERT_TRUE(first.ok() && second.ok());
  ASSERT_EQ(first->size(), second->size());
  for (size_t i = 0; i < first->size(); ++i) EXPECT_EQ((*first)[i].key, (*second)[i].key);
  // Due dates ascend; on the same day the higher priority comes first.
  for (size_t i = 1; i < first->size(); ++i) {
    const Task& a = (*first)[i - 1];
    const Task& b = (*first)[i];
    EXPECT_TRUE(a.due < b.due || (a.due == b.due && a.priority >= b.priority));
  }
  std::map<std::string, int> reactivation;
  for (const Task& t : *first) {
    EXPECT_GE(t.priority, 0);
    EXPECT_LE(t.priority, 100);
    if (t.type == TaskType::kReactivation) reactivation[std::string(p.customers().id[t.customer])] = t.priority;
  }
  // Value ranks: D 1; E and K tie at 2/3 (the group's top). Same risk and
  // urgency: 0.5 x (1 - 2/3) x 100 = 16.7 apart.
  EXPECT_EQ(reactivation["D"] - reactivation["E"], 17);
}

TEST_F(AgendaTest, BadOptionsAreClearErrors) {
  auto engine = StatusEngine::Create(p, StatusPolicy::FixedThresholds(30, 90, 365));
  ASSERT_TRUE(engine.ok());
  AgendaOptions o;
  EXPECT_NE(BuildAgenda(p, *engine, o).status().message().find("as-of date is required"), absl::string_view::npos);
  o.as_of = kAsOf;
  o.horizon_days = -1;
  EXPECT_NE(BuildAgenda(p, *engine, o).status().message().find("horizon_days must be >= 0"),
            absl::string_view::npos);
  o.horizon_days = 7;
  o.renewal_urgent_days = 90;
  EXPECT_FALSE(BuildAgenda(p, *engine, o).ok());
  o.renewal_urgent_days = 15;
  std::vector<double> short_values(2, 1.0);
  o.expected_value = short_values;
  EXPECT_NE(BuildAgenda(p, *engine, o).status().message().find("expected_value has 2 entries"),
            absl::string_view::npos);
}

TEST_F(AgendaTest, PurchaseWindowCallsBeforeTheWindowOpensWithAnOffer) {
  // A buys x every 10 days (last on as_of - 10: window as_of - 2 .. as_of + 2);
  // B too, but was called on as_of - 3; C bought once; D's window opened
  // long ago. E, F, G buy x with y, so A is offered y.
  auto buy = [&](const char* id, DayNumber day, const char* category) {
    ASSERT_TRUE(p.AddTransactions(std::vector<Transaction>{{id, ToDate(day), 10000, "", "", category, {}}}).ok());
  };
  for (const char* id : {"A", "B"}) {
    for (int d : {30, 20, 10}) buy(id, kAsOf - d, "x");
  }
  Contact("B", kAsOf - 3);
  buy("C", kAsOf - 5, "x");
  buy("D", kAsOf - 100, "x");
  buy("D", kAsOf - 90, "x");
  for (const char* id : {"E", "F", "G"}) {
    buy(id, D(2025, 1, 1), "x");
    buy(id, D(2025, 1, 1), "y");
  }
  EXPECT_EQ(AgendaOptions{}.types.size(), 5u);  // not asked for by default
  const std::vector<Task> tasks = Agenda(TaskType::kPurchaseWindow);
  ASSERT_EQ(tasks.size(), 1u);
  const Task& a = tasks[0];
  EXPECT_EQ(p.customers().id[a.customer], "A");
  EXPECT_EQ(a.due, kAsOf - 4);
  EXPECT_EQ(a.anchor, kAsOf - 2);
  EXPECT_TRUE(a.overdue);
  EXPECT_EQ(a.key, "purchase_window:A:2026-06-28");
  EXPECT_EQ(a.reason,
            "next purchase expected 2026-06-30 (window 2026-06-28 to 2026-07-02; a purchase every 10 days, last "
            "2026-06-20); offer y: 43% of customers who buy x also buy y (lift 1.0; 3 customers)");  // 3 of x's 7 buyers
  EXPECT_EQ(ParseTaskType("purchase_window"), TaskType::kPurchaseWindow);
}

}  // namespace
}  // namespace carteira
