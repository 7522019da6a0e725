#include "carteira/segments/abc.h"

#include <gtest/gtest.h>

namespace carteira {
namespace {

std::string Classes(const AbcTable& t) {
  std::string out;
  for (AbcClass c : t.klass) out += c == AbcClass::kNone ? "-" : std::string(AbcClassName(c));
  return out;
}

TEST(Abc, ClassesByCumulativeShareBeforeEachCustomer) {
  // Total positive revenue 1000. Largest first: 500 (0 before: A), 300 (500
  // before: A), 100 (800 before, not below 80%: B), 60 (900 < 950: B),
  // 40 (960: C). No revenue and returns only: none.
  const std::vector<MinorUnits> revenue = {100, 500, 0, 40, 300, -10, 60};
  auto t = ClassifyAbc(revenue);
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(Classes(*t), "BA-CA-B");
  EXPECT_EQ(t->total, 1000);
  EXPECT_EQ(t->customers, (std::array<std::int64_t, 4>{2, 2, 2, 1}));
  EXPECT_EQ(t->revenue, (std::array<MinorUnits, 4>{0, 800, 160, 40}));
}

TEST(Abc, TiedRevenuesShareAClass) {
  // 50 (A), 30 (50 before: A), then 10 and 10 tied with 80 before: both B,
  // although the first of them alone would leave the second at 90.
  auto t = ClassifyAbc(std::vector<MinorUnits>{10, 50, 10, 30});
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(Classes(*t), "BABA");
  auto same = ClassifyAbc(std::vector<MinorUnits>{7, 7, 7, 7});
  ASSERT_TRUE(same.ok());
  EXPECT_EQ(Classes(*same), "AAAA");
}

TEST(Abc, EmptyOrNonPositiveRevenueClassesNobody) {
  auto t = ClassifyAbc(std::vector<MinorUnits>{0, -5});
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(Classes(*t), "--");
  EXPECT_EQ(t->total, 0);
  EXPECT_TRUE(ClassifyAbc(std::vector<MinorUnits>{}).ok());
}

TEST(Abc, ThresholdsParseAndValidate) {
  auto o = AbcOptions::Parse("70/20/10");
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_DOUBLE_EQ(o->a_share, 0.70);
  EXPECT_DOUBLE_EQ(o->b_share, 0.20);
  EXPECT_FALSE(AbcOptions::Parse("80/15").ok());
  EXPECT_FALSE(AbcOptions::Parse("80/20/5").ok());
  EXPECT_FALSE(AbcOptions::Parse("0/50/50").ok());
  EXPECT_FALSE(AbcOptions::Parse("a/b/c").ok());
  AbcOptions bad;
  bad.a_share = 0.9;
  bad.b_share = 0.2;
  EXPECT_FALSE(ClassifyAbc(std::vector<MinorUnits>{1}, bad).ok());
  // 50/30/20 on the first example: 500 A; 300 (500 < 500? no, 500 < 800): B...
  auto t = ClassifyAbc(std::vector<MinorUnits>{100, 500, 0, 40, 300, -10, 60}, *AbcOptions::Parse("50/30/20"));
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(Classes(*t), "CA-CB-C");
}

TEST(Abc, PeriodRevenueSumsTheDaysOfThePeriodOnly) {
  Portfolio p;
  const DayNumber d0 = DaysFromCivil(2025, 1, 1);
  ASSERT_TRUE(p.AddTransactions(std::vector<Transaction>{{"A", ToDate(d0 - 1), 100, "", "", "", {}},
                                                         {"A", ToDate(d0), 200, "", "", "", {}},
                                                         {"B", ToDate(d0 + 9), -50, "", "", "", {}},
                                                         {"A", ToDate(d0 + 10), 400, "", "", "", {}}})
                  .ok());
  auto r = PeriodRevenue(p, d0, d0 + 9);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, (std::vector<MinorUnits>{200, -50}));
  EXPECT_FALSE(PeriodRevenue(p, d0, d0 - 1).ok());
}

}  // namespace
}  // namespace carteira
