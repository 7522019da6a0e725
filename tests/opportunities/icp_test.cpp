#include "carteira/opportunities/icp.h"

#include <cmath>

#include <gtest/gtest.h>

#include "tests/opportunities/fixtures.h"

namespace carteira {
namespace {

using testing::AddBuys;
using testing::Day;

DayNumber D(int offset) { return ToDayNumber(Day(offset)); }

// Ten buyers: the two big ones are atacado in the Sul and buy weekly; the
// others varejo, one of them in the Sul too. Two prospects.
Portfolio Book() {
  Portfolio p;
  std::vector<Customer> customers;
  for (int i = 0; i < 10; ++i) {
    customers.push_back(testing::NewCustomer(StrCat("c", i), i < 2 ? "atacado" : "varejo", i < 3 ? "Sul" : "Norte"));
  }
  customers.push_back(testing::NewCustomer("prospect_atacado", "atacado"));
  customers.push_back(testing::NewCustomer("prospect_varejo", "varejo"));
  EXPECT_TRUE(p.AddCustomers(customers).ok());
  std::vector<testing::Buy> buys;
  for (int i = 0; i < 2; ++i) {
    for (int d = 0; d < 50; d += 7) buys.push_back({StrCat("c", i), d, d % 2 ? "a" : "b", 10000});
  }
  for (int i = 2; i < 10; ++i) buys.push_back({StrCat("c", i), i, "a", 100 * i});
  AddBuys(p, buys);
  return p;
}

TEST(Icp, BestCustomersAreTheTopShareByRevenue) {
  const Portfolio p = Book();
  auto icp = ComputeIcp(p, {.as_of = D(100)});
  ASSERT_TRUE(icp.ok()) << icp.status();
  EXPECT_EQ(icp->buyers, 10);
  EXPECT_EQ(icp->best, 2);
  EXPECT_EQ(icp->best_threshold, 80000);
  EXPECT_DOUBLE_EQ(icp->base_rate, 0.2);
  EXPECT_EQ(icp->is_best[0], 1);
  EXPECT_EQ(icp->is_best[2], 0);
}

TEST(Icp, ProfileLiftsAreSmoothedShares) {
  const Portfolio p = Book();
  auto icp = ComputeIcp(p, {.as_of = D(100), .smoothing = 10});
  ASSERT_TRUE(icp.ok());
  const IcpValue* atacado = nullptr;
  for (const IcpValue& v : icp->profile) {
    if (v.attribute == "segment" && v.value == "atacado") atacado = &v;
  }
  ASSERT_NE(atacado, nullptr);
  // (2 + 10 * 0.2) / (2 + 10) = 1/3; lift 1/3 / 0.2.
  EXPECT_EQ(atacado->customers, 2);
  EXPECT_EQ(atacado->best, 2);
  EXPECT_DOUBLE_EQ(atacado->share_of_best, 1.0);
  EXPECT_DOUBLE_EQ(atacado->probability, 4.0 / 12);
  EXPECT_NEAR(atacado->lift, 5.0 / 3, 1e-12);
  // Within an attribute, values by lift: atacado before varejo.
  EXPECT_EQ(icp->profile[0].attribute, "segment");
  EXPECT_EQ(icp->profile[0].value, "atacado");
}

TEST(Icp, ProspectsAreScoredOnTheirFieldsAndTheDriversAreNamed) {
  const Portfolio p = Book();
  auto icp = ComputeIcp(p, {.as_of = D(100)});
  ASSERT_TRUE(icp.ok());
  const CustomerIndex pa = *p.FindCustomer("prospect_atacado"), pv = *p.FindCustomer("prospect_varejo");
  EXPECT_GT(icp->score[pa], icp->base_rate);
  EXPECT_LT(icp->score[pv], icp->base_rate);
  EXPECT_EQ(IcpDriversText(*icp, pa), "segment atacado (lift 1.7)");
  EXPECT_EQ(IcpDriversText(*icp, pv), "");
  // A best customer scores above every other buyer; the Sul varejo
  // customer above the Norte ones.
  for (CustomerIndex c = 2; c < 10; ++c) EXPECT_GT(icp->score[0], icp->score[c]);
  EXPECT_GT(icp->score[2], icp->score[3]);
  EXPECT_NE(IcpDriversText(*icp, 0).find("segment atacado"), std::string::npos);
  for (double s : icp->score) EXPECT_TRUE(s > 0 && s < 1);
}

TEST(Icp, NoRevenueAndBadOptionsAreClearErrors) {
  Portfolio p;
  AddBuys(p, {{"x", 0, "a", 0}});
  auto icp = ComputeIcp(p, {.as_of = D(10)});
  EXPECT_EQ(icp.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(icp.status().message().find("no customer has a positive net revenue"), std::string_view::npos);
  EXPECT_EQ(ComputeIcp(p, {}).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ComputeIcp(p, {.as_of = D(10), .best_share = 1}).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(Icp, WithoutCategoriesThePatternIsRhythmOnly) {
  Portfolio p;
  AddBuys(p, {{"x", 0, "", 500}, {"x", 7, "", 500}, {"y", 0, "", 10}});
  auto icp = ComputeIcp(p, {.as_of = D(10), .best_share = 0.5});
  ASSERT_TRUE(icp.ok());
  for (const IcpValue& v : icp->profile) {
    EXPECT_NE(v.attribute, "breadth");
    EXPECT_NE(v.attribute, "main_category");
  }
  EXPECT_EQ(icp->best, 1);
}

TEST(Icp, SampleBestCustomersScoreHigherThanTheRest) {
  const Portfolio& p = testing::Sample();
  auto icp = ComputeIcp(p, {.as_of = DaysFromCivil(2026, 10, 31)});
  ASSERT_TRUE(icp.ok());
  double best = 0, rest = 0;
  for (size_t c = 0; c < icp->score.size(); ++c) {
    if (icp->revenue[c] <= 0) continue;
    (icp->is_best[c] ? best : rest) += icp->score[c];
  }
  best /= static_cast<double>(icp->best);
  rest /= static_cast<double>(icp->buyers - icp->best);
  std::printf("ICP: mean score %.3f of best customers, %.3f of the others\n", best, rest);
  EXPECT_GT(best, 2 * rest);
}

}  // namespace
}  // namespace carteira
