#include "carteira/kpi/kpi.h"

#include <gtest/gtest.h>

#include <cmath>

#include "carteira/kpi/lifetime.h"
#include "carteira/status/status_engine.h"

namespace carteira {
namespace {

constexpr DayNumber kFrom = DaysFromCivil(2025, 1, 1);
constexpr DayNumber kTo = DaysFromCivil(2025, 3, 31);  // 90 days
constexpr int kWindow = 30;

DayNumber D(int y, unsigned m, unsigned d) { return DaysFromCivil(y, m, d); }

// The hand-made portfolio of docs/kpi.md's worked example; every expected
// figure below is computed by hand from these rows (window 30 days).
class KpiExample : public ::testing::Test {
 protected:
  void SetUp() override {
    std::vector<Customer> customers = {
        {.id = "A", .segment = "varejo"},  {.id = "B", .segment = "varejo"}, {.id = "C", .segment = "atacado"},
        {.id = "D", .segment = "atacado"}, {.id = "E"},                        {.id = "F"},
        {.id = "G"}};
    Customer h;
    h.id = "H";
    h.created_at = ToDate(D(2025, 6, 1));  // after the period: not counted
    customers.push_back(h);
    ASSERT_TRUE(p.AddCustomers(customers).ok());
    ASSERT_TRUE(p.AddReps(std::vector<Rep>{{.id = "R1"}, {.id = "R2"}, {.id = "R3"}}).ok());
    Buy("A", D(2024, 12, 20), 500);   // active at the start
    Buy("A", D(2025, 1, 10), 501);
    Buy("A", D(2025, 3, 20), 1000);   // active at the end: retained
    Buy("B", D(2024, 12, 15), 700);   // active at the start only: churned
    Buy("C", D(2024, 6, 1), 100);     // lapsed at the start...
    Buy("C", D(2025, 2, 1), 2000);    // ...reactivated, not active at the end
    Buy("D", D(2025, 3, 25), 3000);   // new, active at the end
    Buy("E", D(2025, 1, 5), 400);     // new, not active at the end
    Buy("G", D(2024, 1, 1), 300);     // lapsed, and only a return in the period
    Buy("G", D(2025, 2, 10), -100);
    Buy("A", D(2025, 4, 2), 99999);   // after the period: ignored
    Assign("A", "R1", D(2024, 1, 1));
    Assign("B", "R1", D(2024, 1, 1));
    Assign("F", "R1", D(2024, 1, 1));
    Assign("C", "R2", D(2024, 1, 1));
    Assign("C", "R1", D(2025, 2, 15));  // moved mid-period
    Assign("D", "R2", D(2025, 3, 25));  // assigned in the period: not "moved"
    Assign("G", "R2", D(2024, 1, 1));
    Survey("A", D(2025, 1, 15), 10);
    Survey("A", D(2025, 2, 1), 6);   // the latest counts: detractor
    Survey("B", D(2025, 3, 1), 9);   // promoter
    Survey("C", D(2025, 2, 2), 10);
    Survey("C", D(2025, 2, 2), 7);   // same day: the lowest counts: passive
    Survey("D", D(2024, 12, 1), 0);  // before the period
  }
  void Buy(const char* id, DayNumber day, MinorUnits amount) {
    ASSERT_TRUE(p.AddTransactions(std::vector<Transaction>{{id, ToDate(day), amount, "", "", "", {}}}).ok());
  }
  void Assign(const char* id, const char* rep, DayNumber since) {
    ASSERT_TRUE(p.AddAssignments(std::vector<Assignment>{{id, rep, ToDate(since), ""}}).ok());
  }
  void Survey(const char* id, DayNumber day, int score) {
    ASSERT_TRUE(p.AddSurveyAnswers(std::vector<SurveyAnswer>{{id, ToDate(day), score}}).ok());
  }
  KpiReport Report(KpiGrouping by = KpiGrouping::kNone) {
    auto a = ScanPeriod(p, kFrom, kTo);
    EXPECT_TRUE(a.ok()) << a.status();
    KpiOptions options;
    options.active_window_days = kWindow;
    auto r = ComputeKpis(p, *a, options, by);
    EXPECT_TRUE(r.ok()) << r.status();
    return *r;
  }
  Portfolio p;
};

TEST_F(KpiExample, OverallFiguresMatchTheHandComputation) {
  const KpiRow r = Report().overall;
  EXPECT_EQ(r.customers, 7);  // H is created after the period
  EXPECT_EQ(r.active_start, 2);  // A, B
  EXPECT_EQ(r.active, 2);        // A, D
  EXPECT_EQ(r.new_customers, 2);  // D, E
  EXPECT_EQ(r.new_active, 1);     // D
  EXPECT_EQ(r.retained, 1);
  EXPECT_EQ(r.churned, 1);
  EXPECT_EQ(r.lapsed_start, 2);  // C, G
  EXPECT_EQ(r.reactivated, 1);   // C
  EXPECT_EQ(r.buyers, 4);        // A, C, D, E
  EXPECT_EQ(r.purchases, 5);
  EXPECT_EQ(r.revenue, 6801);  // 501 + 1000 + 2000 + 3000 + 400 - 100
  EXPECT_EQ(r.retention_rate, 0.5);  // (2 - 1) / 2
  EXPECT_EQ(r.churn_rate, 0.5);
  EXPECT_EQ(r.reactivation_rate, 0.5);
  EXPECT_EQ(r.average_ticket, 1360);        // 6801 / 5 = 1360.2
  EXPECT_EQ(r.revenue_per_customer, 1700);  // 6801 / 4 = 1700.25
  EXPECT_EQ(r.purchase_frequency, 1.25);
  // Not active at the end, with a purchase: B 0, C 245 (2024-06-01 to
  // 2025-02-01), E 0, G 0 days.
  EXPECT_EQ(r.lifetime_observed_days, 245.0 / 4);
  EXPECT_EQ(r.lifetime_from_churn_days, 180.0);  // 90 days / 0.5
  EXPECT_FALSE(r.lifetime_model_days.has_value());
  EXPECT_EQ(r.answers, 3);
  EXPECT_EQ(r.promoters, 1);
  EXPECT_EQ(r.passives, 1);
  EXPECT_EQ(r.detractors, 1);
  EXPECT_EQ(r.nps, 0.0);
  EXPECT_EQ(r.positivacao, 4.0 / 7);
  EXPECT_EQ(r.book_at_start, 5);  // A, B, F, C, G had a rep on the eve
  EXPECT_EQ(r.moved, 1);          // C
  EXPECT_EQ(r.giro, 0.2);
  // Positive revenues 400, 1501, 2000, 3000: the top ceil(0.8) = 1 holds 3000.
  EXPECT_EQ(r.top20_share, 3000.0 / 6901);
  const double gini = 2.0 * (1 * 400 + 2 * 1501 + 3 * 2000 + 4 * 3000) / (4.0 * 6901) - 5.0 / 4;
  EXPECT_NEAR(*r.gini, gini, 1e-15);
}

TEST_F(KpiExample, ByRepUsesTheBookAtTheEndAndTheBookAtTheStartForGiro) {
  const KpiReport report = Report(KpiGrouping::kRep);
  ASSERT_EQ(report.groups.size(), 4u);  // R1, R2, R3, unassigned (E)
  const KpiRow& r1 = report.groups[0];
  EXPECT_EQ(r1.group, "R1");
  EXPECT_EQ(r1.customers, 4);  // A, B, C (moved in), F
  EXPECT_EQ(r1.buyers, 2);     // A, C: C's purchase before the move counts
  EXPECT_EQ(r1.positivacao, 0.5);
  EXPECT_EQ(r1.active_start, 2);
  EXPECT_EQ(r1.retention_rate, 0.5);
  EXPECT_EQ(r1.book_at_start, 3);  // A, B, F
  EXPECT_EQ(r1.giro, 0.0);
  EXPECT_EQ(r1.nps, 0.0);  // A detractor, B promoter, C passive
  const KpiRow& r2 = report.groups[1];
  EXPECT_EQ(r2.customers, 2);  // D, G
  EXPECT_EQ(r2.positivacao, 0.5);
  EXPECT_EQ(r2.book_at_start, 2);  // C, G
  EXPECT_EQ(r2.moved, 1);
  EXPECT_EQ(r2.giro, 0.5);
  EXPECT_FALSE(r2.nps.has_value());  // D answered before the period only
  EXPECT_EQ(r2.top20_share, 1.0);    // D alone has positive revenue
  EXPECT_EQ(r2.gini, 0.0);
  const KpiRow& r3 = report.groups[2];  // an empty book: defined, null ratios
  EXPECT_EQ(r3.customers, 0);
  EXPECT_FALSE(r3.positivacao || r3.giro || r3.nps || r3.retention_rate || r3.average_ticket ||
               r3.top20_share || r3.gini);
  const KpiRow& none = report.groups[3];
  EXPECT_TRUE(none.unassigned);
  EXPECT_EQ(none.customers, 1);
  EXPECT_EQ(none.new_customers, 1);
}

TEST_F(KpiExample, BySegmentListsValuesInByteOrderThenTheCustomersWithout) {
  const KpiReport report = Report(KpiGrouping::kSegment);
  ASSERT_EQ(report.groups.size(), 3u);
  EXPECT_EQ(report.groups[0].group, "atacado");
  EXPECT_EQ(report.groups[0].customers, 2);
  EXPECT_EQ(report.groups[0].revenue, 5000);
  EXPECT_EQ(report.groups[1].group, "varejo");
  EXPECT_EQ(report.groups[1].churn_rate, 0.5);
  EXPECT_TRUE(report.groups[2].unassigned);
  EXPECT_EQ(report.groups[2].customers, 3);  // E, F, G
  std::int64_t total = 0;
  for (const KpiRow& g : report.groups) total += g.customers;
  EXPECT_EQ(total, report.overall.customers);
}

TEST_F(KpiExample, ActiveByTheStatusEngine) {
  auto engine = StatusEngine::Create(p, StatusPolicy::FixedThresholds(10, kWindow, 400));
  ASSERT_TRUE(engine.ok());
  auto start = engine->Classify(kFrom - 1);
  auto end = engine->Classify(kTo);
  ASSERT_TRUE(start.ok() && end.ok());
  auto a = ScanPeriod(p, kFrom, kTo);
  KpiOptions options;
  options.status_at_start = &*start;
  options.status_at_end = &*end;
  auto r = ComputeKpis(p, *a, options);
  ASSERT_TRUE(r.ok()) << r.status();
  // Fixed thresholds with inactive_after = the window: the same verdicts.
  const KpiRow window = Report().overall;
  EXPECT_TRUE(r->active_by_status);
  EXPECT_EQ(r->overall.active_start, window.active_start);
  EXPECT_EQ(r->overall.active, window.active);
  EXPECT_EQ(r->overall.lapsed_start, window.lapsed_start);
  EXPECT_EQ(r->overall.retention_rate, window.retention_rate);
  options.status_at_start = &*end;  // wrong date
  EXPECT_FALSE(ComputeKpis(p, *a, options).ok());
  options.status_at_start = nullptr;
  EXPECT_FALSE(ComputeKpis(p, *a, options).ok());
}

TEST(Kpi, ABackwardPeriodIsAnError) {
  Portfolio p;
  auto a = ScanPeriod(p, kTo, kFrom);
  ASSERT_FALSE(a.ok());
  EXPECT_NE(std::string(a.status().message()).find("ends (2025-01-01) before it starts (2025-03-31)"),
            std::string::npos);
}

TEST(Kpi, APeriodWithoutDataHasCountsOfZeroAndNoRatios) {
  Portfolio p;
  ASSERT_TRUE(p.AddCustomers(std::vector<Customer>{{.id = "A"}}).ok());
  ASSERT_TRUE(p.AddTransactions(std::vector<Transaction>{{"A", ToDate(kTo + 10), 100, "", "", "", {}}}).ok());
  auto a = ScanPeriod(p, kFrom, kFrom);  // one day, nothing in it
  ASSERT_TRUE(a.ok());
  auto r = ComputeKpis(p, *a);
  ASSERT_TRUE(r.ok());
  const KpiRow& k = r->overall;
  EXPECT_EQ(k.customers, 1);
  EXPECT_EQ(k.revenue, 0);
  EXPECT_EQ(k.positivacao, 0.0);  // a customer, no buyer: 0 is the answer
  for (const auto& v : {k.retention_rate, k.churn_rate, k.reactivation_rate, k.purchase_frequency, k.nps, k.giro,
                        k.top20_share, k.gini, k.lifetime_observed_days, k.lifetime_from_churn_days}) {
    EXPECT_FALSE(v.has_value());
  }
  EXPECT_FALSE(k.average_ticket.has_value());
  EXPECT_FALSE(k.revenue_per_customer.has_value());
  EXPECT_EQ(k.answers, 0);
}

TEST(Kpi, NegativeWindowIsRejected) {
  Portfolio p;
  auto a = ScanPeriod(p, kFrom, kTo);
  ASSERT_TRUE(a.ok());
  KpiOptions options;
  options.active_window_days = -1;
  EXPECT_FALSE(ComputeKpis(p, *a, options).ok());
}

TEST(Kpi, RepsOnTakesTheLatestAssignmentAndTheLaterRecordedOnATie) {
  Portfolio p;
  ASSERT_TRUE(p.AddAssignments(std::vector<Assignment>{{"A", "R1", ToDate(kFrom), ""},
                                                       {"A", "R2", ToDate(kFrom + 5), ""},
                                                       {"A", "R3", ToDate(kFrom + 5), ""},
                                                       {"B", "R1", ToDate(kFrom + 9), ""}})
                  .ok());
  EXPECT_EQ(RepsOn(p, kFrom - 1), (std::vector<RepIndex>{kNoRep, kNoRep}));
  EXPECT_EQ(RepsOn(p, kFrom + 4), (std::vector<RepIndex>{0, kNoRep}));
  EXPECT_EQ(RepsOn(p, kFrom + 9), (std::vector<RepIndex>{2, 0}));
}

TEST(Lifetime, FromTheModelsParameters) {
  using models::Model;
  using models::ModelKind;
  auto pareto = Model::FromParams(ModelKind::kParetoNbd, std::vector<double>{0.5, 10, 3, 40}, TimeUnit::kDays);
  ASSERT_TRUE(pareto.ok());
  EXPECT_DOUBLE_EQ(*ExpectedLifetimeDays(*pareto), 20.0);  // 40 / (3 - 1)
  auto bg = Model::FromParams(ModelKind::kBgNbd, std::vector<double>{2, 10, 3, 4}, TimeUnit::kWeeks);
  ASSERT_TRUE(bg.ok());
  EXPECT_DOUBLE_EQ(*ExpectedLifetimeDays(*bg), 10.0 / 1 * 6 / 2 * 7);  // weeks to days
  auto mbg = Model::FromParams(ModelKind::kMbgNbd, std::vector<double>{2, 10, 3, 4}, TimeUnit::kDays);
  ASSERT_TRUE(mbg.ok());
  EXPECT_DOUBLE_EQ(*ExpectedLifetimeDays(*mbg), 10.0 * 4 / 2);
  auto heavy = Model::FromParams(ModelKind::kBgNbd, std::vector<double>{0.24, 4.4, 0.79, 2.4}, TimeUnit::kWeeks);
  ASSERT_TRUE(heavy.ok());
  EXPECT_EQ(ExpectedLifetimeDays(*heavy).status().code(), absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace carteira
