#include "carteira/opportunities/mix.h"

#include <gtest/gtest.h>

#include "tests/opportunities/fixtures.h"

namespace carteira {
namespace {

using testing::AddBuys;
using testing::Day;

DayNumber D(int offset) { return ToDayNumber(Day(offset)); }

// x (varejo, R1): a twice and b in the period, c before it; y (atacado,
// R1): a, and a return of b; z (varejo, R2): nothing in the period;
// w (no segment, no rep): a.
Portfolio Shop() {
  Portfolio p;
  EXPECT_TRUE(p.AddCustomers(std::vector<Customer>{testing::NewCustomer("x", "varejo"),
                                                   testing::NewCustomer("y", "atacado"),
                                                   testing::NewCustomer("z", "varejo"),
                                                   testing::NewCustomer("w")})
                  .ok());
  std::vector<Rep> reps(2);
  reps[0].id = "R1";
  reps[1].id = "R2";
  EXPECT_TRUE(p.AddReps(reps).ok());
  EXPECT_TRUE(p.AddAssignments(std::vector<Assignment>{{"x", "R1", Day(0), ""},
                                                       {"y", "R1", Day(0), ""},
                                                       {"z", "R2", Day(0), ""}})
                  .ok());
  AddBuys(p, {{"x", 1, "c", 700},
              {"x", 10, "a", 100}, {"x", 11, "a", 200}, {"x", 12, "b", 50},
              {"y", 10, "a", 1000}, {"y", 15, "b", -300},
              {"z", 2, "a", 10},
              {"w", 20, "a", 5}});
  return p;
}

TEST(Mix, PerCustomerCategoriesWithCountRevenueAndBreadth) {
  const Portfolio p = Shop();
  auto m = ComputeMix(p, D(5), D(30));
  ASSERT_TRUE(m.ok()) << m.status();
  std::string rows;
  for (size_t r = 0; r < m->rows.size(); ++r) {
    rows += StrCat(p.customers().id[m->rows.customer[r]], ":", p.categories()[m->rows.category[r]], " ",
                   m->rows.purchases[r], "/", m->rows.revenue[r], " ");
  }
  EXPECT_EQ(rows, "x:a 2/300 x:b 1/50 y:a 1/1000 y:b 0/-300 w:a 1/5 ");
  EXPECT_EQ(m->breadth, (std::vector<std::int32_t>{2, 1, 0, 1}));
}

TEST(Mix, PositivacaoDeMixForThePortfolioAndPerRep) {
  const Portfolio p = Shop();
  auto m = ComputeMix(p, D(5), D(30), MixGrouping::kRep);
  ASSERT_TRUE(m.ok());
  // Buyers x, y, w: breadth 2 + 1 + 1 over 3.
  EXPECT_EQ(m->overall.customers, 4);
  EXPECT_EQ(m->overall.buyers, 3);
  EXPECT_DOUBLE_EQ(*m->overall.average_breadth, 4.0 / 3);
  EXPECT_EQ(m->overall.category_buyers, (std::vector<std::int64_t>{3, 1, 0}));  // a b c
  EXPECT_EQ(m->overall.category_revenue, (std::vector<MinorUnits>{1305, -250, 0}));
  EXPECT_DOUBLE_EQ(*m->overall.share(0), 1.0);
  ASSERT_EQ(m->groups.size(), 3u);  // R1, R2, unassigned
  EXPECT_EQ(m->groups[0].group, "R1");
  EXPECT_EQ(m->groups[0].customers, 2);
  EXPECT_EQ(m->groups[0].buyers, 2);
  EXPECT_DOUBLE_EQ(*m->groups[0].average_breadth, 1.5);
  EXPECT_DOUBLE_EQ(*m->groups[0].share(1), 0.5);
  EXPECT_EQ(m->groups[1].group, "R2");
  EXPECT_EQ(m->groups[1].buyers, 0);
  EXPECT_FALSE(m->groups[1].average_breadth.has_value());
  EXPECT_FALSE(m->groups[1].share(0).has_value());
  EXPECT_TRUE(m->groups[2].unassigned);
  EXPECT_EQ(m->groups[2].buyers, 1);
}

TEST(Mix, CategoryBySegmentMatrix) {
  const Portfolio p = Shop();
  auto m = ComputeMix(p, D(0), D(30), MixGrouping::kSegment);
  ASSERT_TRUE(m.ok());
  ASSERT_EQ(m->by_segment.size(), 3u);  // atacado, varejo, none
  EXPECT_EQ(m->by_segment[0].group, "atacado");
  EXPECT_EQ(m->by_segment[1].group, "varejo");
  EXPECT_TRUE(m->by_segment[2].unassigned);
  EXPECT_EQ(m->by_segment[1].category_buyers, (std::vector<std::int64_t>{2, 1, 1}));
  EXPECT_EQ(m->by_segment[1].category_revenue, (std::vector<MinorUnits>{310, 50, 700}));
  EXPECT_EQ(m->groups.size(), 3u);
  EXPECT_EQ(m->groups[1].category_buyers, m->by_segment[1].category_buyers);
}

TEST(Mix, BadPeriodAndNoCategoryAreClearErrors) {
  const Portfolio p = Shop();
  EXPECT_EQ(ComputeMix(p, D(5), D(4)).status().code(), absl::StatusCode::kInvalidArgument);
  Portfolio bare;
  AddBuys(bare, {{"x", 1, ""}});
  auto m = ComputeMix(bare, D(0), D(9));
  EXPECT_EQ(m.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(m.status().message().find("mix: no transaction has a product category"), std::string_view::npos);
  EXPECT_EQ(ParseMixGrouping("rep"), MixGrouping::kRep);
  EXPECT_FALSE(ParseMixGrouping("region").has_value());
}

TEST(Mix, SampleMixIsBroadAndTheSegmentsBuyDifferently) {
  const Portfolio& p = testing::Sample();
  auto m = ComputeMix(p, DaysFromCivil(2025, 11, 1), DaysFromCivil(2026, 10, 31), MixGrouping::kRep);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->order.size(), 9u);
  EXPECT_EQ(m->groups.size(), p.reps().size() + (m->groups.back().unassigned ? 1 : 0));
  EXPECT_GT(*m->overall.average_breadth, 1.5);
  std::int64_t sum = 0;
  for (const MixGroup& g : m->groups) sum += g.buyers;
  EXPECT_EQ(sum, m->overall.buyers);
  // Industry buys ferramentas, retail hardly.
  const size_t ferramentas = static_cast<size_t>(m->order.slot[p.categories().Find("ferramentas")]);
  const MixGroup* industria = nullptr;
  const MixGroup* varejo = nullptr;
  for (const MixGroup& g : m->by_segment) {
    if (g.group == "industria") industria = &g;
    if (g.group == "varejo") varejo = &g;
  }
  ASSERT_TRUE(industria && varejo);
  EXPECT_GT(*industria->share(ferramentas), 0.3);
  EXPECT_LT(*varejo->share(ferramentas), 0.05);
}

}  // namespace
}  // namespace carteira
