#include "carteira/kpi/cohort.h"

#include <gtest/gtest.h>

namespace carteira {
namespace {

DayNumber D(int y, unsigned m, unsigned d) { return DaysFromCivil(y, m, d); }

void Buy(Portfolio& p, const char* id, DayNumber day, MinorUnits amount = 100) {
  ASSERT_TRUE(p.AddTransactions(std::vector<Transaction>{{id, ToDate(day), amount, "", "", "", {}}}).ok());
}

TEST(Cohort, CountsEachCohortsBuyersMonthByMonth) {
  Portfolio p;
  Buy(p, "OLD", D(2024, 12, 1));   // first purchase before the period: no cohort
  Buy(p, "OLD", D(2025, 1, 20));
  Buy(p, "E", D(2025, 1, 5));      // January cohort, never again
  Buy(p, "I", D(2025, 1, 20));     // January cohort, back in March
  Buy(p, "I", D(2025, 1, 25));
  Buy(p, "I", D(2025, 3, 3));
  Buy(p, "J", D(2025, 2, 28));     // February cohort; a return in March is no purchase
  Buy(p, "J", D(2025, 3, 1), -50);
  Buy(p, "K", D(2025, 3, 31));     // March cohort, the period's last day
  Buy(p, "K", D(2025, 4, 1));      // after the period
  auto a = ScanPeriod(p, D(2025, 1, 10), D(2025, 3, 31));  // January is partial
  ASSERT_TRUE(a.ok());
  auto m = CohortRetention(*a);
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ(m->month, (std::vector<DayNumber>{D(2025, 1, 1), D(2025, 2, 1), D(2025, 3, 1)}));
  // E bought on Jan 5, before the period: its first purchase is not in it.
  EXPECT_EQ(m->size, (std::vector<std::int64_t>{1, 1, 1}));
  EXPECT_EQ(m->buyers[0], (std::vector<std::int64_t>{1, 0, 1}));  // I
  EXPECT_EQ(m->buyers[1], (std::vector<std::int64_t>{1, 0}));     // J
  EXPECT_EQ(m->buyers[2], (std::vector<std::int64_t>{1}));        // K
  EXPECT_EQ(m->Retention(0, 2), 1.0);
  EXPECT_EQ(m->Retention(1, 1), 0.0);
  EXPECT_FALSE(m->Retention(2, 1).has_value());  // beyond the period
}

TEST(Cohort, EmptyCohortsHaveNoRetention) {
  Portfolio p;
  auto a = ScanPeriod(p, D(2025, 1, 1), D(2025, 2, 28));
  ASSERT_TRUE(a.ok());
  auto m = CohortRetention(*a);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->size, (std::vector<std::int64_t>{0, 0}));
  EXPECT_FALSE(m->Retention(0, 0).has_value());
}

TEST(Cohort, MoreThanSixtyFourMonthsIsAClearError) {
  Portfolio p;
  auto ok = ScanPeriod(p, D(2020, 1, 15), D(2025, 4, 30));  // 64 months
  ASSERT_TRUE(ok.ok());
  EXPECT_TRUE(CohortRetention(*ok).ok());
  auto a = ScanPeriod(p, D(2020, 1, 15), D(2025, 5, 1));  // 65 months
  ASSERT_TRUE(a.ok());
  auto m = CohortRetention(*a);
  ASSERT_FALSE(m.ok());
  EXPECT_NE(std::string(m.status().message()).find("at most 64 months"), std::string::npos);
}

}  // namespace
}  // namespace carteira
