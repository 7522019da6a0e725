#include "carteira/kpi/rep_dashboard.h"

#include <gtest/gtest.h>

#include "carteira/io/import.h"
#include "carteira/status/status_engine.h"

namespace carteira {
namespace {

DayNumber D(int y, unsigned m, unsigned d) { return DaysFromCivil(y, m, d); }

TEST(RepDashboard, BookStatusesRevenueContactAndValueAtRisk) {
  Portfolio p;
  ASSERT_TRUE(p.AddReps(std::vector<Rep>{{.id = "R1"}, {.id = "R2"}, {.id = "EMPTY"}}).ok());
  const DayNumber to = D(2025, 6, 30), from = D(2025, 1, 1);
  auto buy = [&p](const char* id, DayNumber day, MinorUnits amount) {
    ASSERT_TRUE(p.AddTransactions(std::vector<Transaction>{{id, ToDate(day), amount, "", "", "", {}}}).ok());
  };
  buy("A", to - 5, 1000);    // active
  buy("B", to - 50, 2500);   // at_risk (> 30 days), bought in the period
  buy("C", D(2024, 1, 1), 700);  // lost (> 365), nothing in the period
  buy("D", to - 1, 400);     // unassigned
  ASSERT_TRUE(p.AddAssignments(std::vector<Assignment>{{"A", "R1", ToDate(D(2024, 1, 1)), ""},
                                                       {"B", "R1", ToDate(D(2024, 1, 1)), ""},
                                                       {"C", "R2", ToDate(D(2024, 1, 1)), ""},
                                                       {"B", "R2", ToDate(to + 1), ""}})  // after: ignored
                  .ok());
  ASSERT_TRUE(p.AddInteractions(std::vector<Interaction>{{"A", "R1", ToDate(to - 10), "visit", ""},
                                                         {"C", "R1", ToDate(to - 3), "call", ""},
                                                         {"C", "R2", ToDate(to + 2), "call", ""}})
                  .ok());
  ASSERT_TRUE(p.AddSurveyAnswers(std::vector<SurveyAnswer>{{"A", ToDate(to - 2), 10}}).ok());
  auto engine = StatusEngine::Create(p, StatusPolicy::FixedThresholds(30, 180, 365));
  ASSERT_TRUE(engine.ok());
  auto status = engine->Classify(to);
  ASSERT_TRUE(status.ok());
  auto a = ScanPeriod(p, from, to);
  ASSERT_TRUE(a.ok());
  auto rows = RepDashboard(p, *a, *status);
  ASSERT_TRUE(rows.ok()) << rows.status();
  ASSERT_EQ(rows->size(), 4u);
  const RepDashboardRow& r1 = (*rows)[0];
  EXPECT_EQ(r1.book, 2);
  EXPECT_EQ(r1.status[static_cast<int>(Status::kActive)], 1);
  EXPECT_EQ(r1.status[static_cast<int>(Status::kAtRisk)], 1);
  EXPECT_EQ(r1.revenue, 3500);
  EXPECT_EQ(r1.positivacao, 1.0);
  EXPECT_EQ(r1.nps, 100.0);
  EXPECT_EQ(r1.last_contact, to - 3);
  EXPECT_EQ(r1.days_since_last_contact, 3);
  EXPECT_EQ(r1.at_risk, 1);
  EXPECT_EQ(r1.at_risk_value, 2500);
  const RepDashboardRow& r2 = (*rows)[1];
  EXPECT_EQ(r2.book, 1);
  EXPECT_EQ(r2.status[static_cast<int>(Status::kLost)], 1);
  EXPECT_EQ(r2.positivacao, 0.0);
  EXPECT_FALSE(r2.nps.has_value());
  EXPECT_FALSE(r2.days_since_last_contact.has_value());  // its only contact is after the date
  const RepDashboardRow& empty = (*rows)[2];
  EXPECT_EQ(empty.book, 0);
  EXPECT_FALSE(empty.positivacao.has_value());
  const RepDashboardRow& none = (*rows)[3];
  EXPECT_EQ(none.rep, kNoRep);
  EXPECT_EQ(none.book, 1);
  // A status table of another date is refused.
  auto other = engine->Classify(to - 1);
  EXPECT_FALSE(RepDashboard(p, *a, *other).ok());
}

TEST(RepDashboard, SamplePortfolioBooksAddUpToTheCustomers) {
  Portfolio p;
  ImportReport report;
  ASSERT_TRUE(ImportDirectory(p, CARTEIRA_SAMPLE_DIR, ImportOptions{}, &report).ok());
  const auto& dates = p.transactions().date;
  const DayNumber to = *std::max_element(dates.begin(), dates.end());
  auto engine = StatusEngine::Create(p, StatusPolicy::Default());
  ASSERT_TRUE(engine.ok());
  auto status = engine->Classify(to);
  auto a = ScanPeriod(p, to - 364, to);
  ASSERT_TRUE(status.ok() && a.ok());
  auto rows = RepDashboard(p, *a, *status);
  ASSERT_TRUE(rows.ok());
  std::int64_t book = 0;
  MinorUnits revenue = 0;
  for (const RepDashboardRow& r : *rows) {
    book += r.book;
    revenue += r.revenue;
    std::int64_t by_status = 0;
    for (auto n : r.status) by_status += n;
    EXPECT_EQ(by_status, r.book);
  }
  EXPECT_EQ(book, static_cast<std::int64_t>(p.customers().size()));
  MinorUnits expected = 0;
  for (size_t i = 0; i < p.transactions().size(); ++i) {
    if (dates[i] >= to - 364 && dates[i] <= to) expected += p.transactions().amount[i];
  }
  EXPECT_EQ(revenue, expected);
}

}  // namespace
}  // namespace carteira
