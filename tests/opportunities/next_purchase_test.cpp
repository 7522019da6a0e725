#include "carteira/opportunities/next_purchase.h"

#include <algorithm>
#include <cmath>

#include "carteira/models/rfm_data.h"
#include "carteira/summary/customer_summary.h"

#include <gtest/gtest.h>

#include "tests/opportunities/fixtures.h"

namespace carteira {
namespace {

using testing::AddBuys;
using testing::Day;

DayNumber D(int offset) { return ToDayNumber(Day(offset)); }

Portfolio Rhythms() {
  Portfolio p;
  AddBuys(p, {// regular: every 10 days (two orders on day 10: one purchase-day)
              {"regular", 0, ""}, {"regular", 10, ""}, {"regular", 10, ""}, {"regular", 20, ""}, {"regular", 30, ""},
              // irregular: gaps 5, 15, 10, 40
              {"irregular", 0, ""}, {"irregular", 5, ""}, {"irregular", 20, ""}, {"irregular", 30, ""},
              {"irregular", 70, ""},
              {"once", 50, ""},
              // a return is not a purchase
              {"returns", 40, "", 500}, {"returns", 45, "", -500}});
  EXPECT_TRUE(p.AddCustomers(std::vector<Customer>{testing::NewCustomer("prospect")}).ok());
  return p;
}

TEST(NextPurchase, RegularRhythmGivesTheGapPlusMinusTwentyPercent) {
  const Portfolio p = Rhythms();
  auto t = EstimateNextPurchase(p, {.as_of = D(100)});
  ASSERT_TRUE(t.ok()) << t.status();
  const CustomerIndex c = *p.FindCustomer("regular");
  EXPECT_EQ(t->basis[c], NextPurchaseBasis::kRhythm);
  EXPECT_EQ(t->gaps[c], 3);
  EXPECT_EQ(t->last[c], D(30));
  EXPECT_EQ(t->expected[c], D(40));
  EXPECT_EQ(t->from[c], D(38));
  EXPECT_EQ(t->to[c], D(42));
  EXPECT_EQ(t->overdue_days(c), 100 - 42);
}

TEST(NextPurchase, IrregularRhythmWidensTheWindowToTheQuartiles) {
  const Portfolio p = Rhythms();
  auto t = EstimateNextPurchase(p, {.as_of = D(70)});
  ASSERT_TRUE(t.ok());
  const CustomerIndex c = *p.FindCustomer("irregular");
  // Gaps 5 10 15 40: median 12.5, q1 8.75, q3 21.25.
  EXPECT_DOUBLE_EQ(t->median_gap_days[c], 12.5);
  EXPECT_EQ(t->expected[c], D(83));  // 12.5 rounds half away from zero
  EXPECT_EQ(t->from[c], D(79));      // min(8.75, 10) -> 9
  EXPECT_EQ(t->to[c], D(91));        // max(21.25, 15) -> 21
  EXPECT_EQ(t->overdue_days(c), 0);
}

TEST(NextPurchase, OnlyTheLatestGapsCount) {
  const Portfolio p = Rhythms();
  auto t = EstimateNextPurchase(p, {.as_of = D(70), .max_gaps = 2});
  ASSERT_TRUE(t.ok());
  const CustomerIndex c = *p.FindCustomer("irregular");
  // Gaps 10 and 40: median 25, q1 17.5, q3 32.5.
  EXPECT_EQ(t->gaps[c], 2);
  EXPECT_EQ(t->expected[c], D(95));
  EXPECT_EQ(t->from[c], D(88));
  EXPECT_EQ(t->to[c], D(103));
}

TEST(NextPurchase, OnePurchaseOrNoneHasNoWindow) {
  const Portfolio p = Rhythms();
  auto t = EstimateNextPurchase(p, {.as_of = D(60)});
  ASSERT_TRUE(t.ok());
  for (const char* id : {"once", "returns"}) {
    const CustomerIndex c = *p.FindCustomer(id);
    EXPECT_EQ(t->basis[c], NextPurchaseBasis::kOnePurchase) << id;
    EXPECT_EQ(t->expected[c], kNoDay) << id;
    EXPECT_TRUE(std::isnan(t->median_gap_days[c]));
  }
  EXPECT_EQ(t->last[*p.FindCustomer("returns")], D(40));
  EXPECT_EQ(t->basis[*p.FindCustomer("prospect")], NextPurchaseBasis::kNoPurchase);
  EXPECT_EQ(NextPurchaseBasisName(NextPurchaseBasis::kOnePurchase), "one_purchase");
  // Purchases after as_of are not seen: as of day 5 "irregular" has one gap.
  auto early = EstimateNextPurchase(p, {.as_of = D(5)});
  ASSERT_TRUE(early.ok());
  EXPECT_EQ(early->basis[*p.FindCustomer("irregular")], NextPurchaseBasis::kRhythm);
  EXPECT_EQ(early->basis[*p.FindCustomer("once")], NextPurchaseBasis::kNoPurchase);
}

TEST(NextPurchase, EnteringWindowListsTheWindowsOpeningInTheWeek) {
  const Portfolio p = Rhythms();
  auto t = EstimateNextPurchase(p, {.as_of = D(70)});
  ASSERT_TRUE(t.ok());
  // regular opens on day 38, irregular on day 79.
  EXPECT_EQ(EnteringWindow(*t, D(73)), std::vector<CustomerIndex>{*p.FindCustomer("irregular")});
  EXPECT_EQ(EnteringWindow(*t, D(79)), std::vector<CustomerIndex>{*p.FindCustomer("irregular")});
  EXPECT_TRUE(EnteringWindow(*t, D(80)).empty());
  EXPECT_EQ(EnteringWindow(*t, D(32)), std::vector<CustomerIndex>{*p.FindCustomer("regular")});
}

TEST(NextPurchase, OptionsAreChecked) {
  const Portfolio p = Rhythms();
  EXPECT_EQ(EstimateNextPurchase(p, {}).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(EstimateNextPurchase(p, {.as_of = D(1), .max_gaps = 0}).status().code(),
            absl::StatusCode::kInvalidArgument);
}

// On the sample, as of six months before the end, the window of a regular
// customer (6+ gaps) holds its actual next purchase for most of them
// (measured: 1582 of 2292, 69%).
TEST(NextPurchase, SampleWindowsHoldTheNextPurchaseForMostRegularCustomers) {
  const Portfolio& p = testing::Sample();
  const DayNumber as_of = DaysFromCivil(2026, 4, 30);
  auto t = EstimateNextPurchase(p, {.as_of = as_of});
  ASSERT_TRUE(t.ok());
  const PurchaseHistory h = PurchaseHistory::Build(p);
  std::int64_t judged = 0, inside = 0;
  for (size_t c = 0; c < t->size(); ++c) {
    // Regular customers whose window is still ahead as of the date.
    if (t->basis[c] != NextPurchaseBasis::kRhythm || t->gaps[c] < 6 || t->from[c] <= as_of) continue;
    const auto days = h.days(static_cast<CustomerIndex>(c));
    const auto next = std::upper_bound(days.begin(), days.end(), as_of);
    if (next == days.end()) continue;
    ++judged;
    inside += *next >= t->from[c] && *next <= t->to[c];
  }
  std::printf("next purchase inside the window: %lld of %lld\n", static_cast<long long>(inside),
              static_cast<long long>(judged));
  ASSERT_GT(judged, 300);
  EXPECT_GT(static_cast<double>(inside) / static_cast<double>(judged), 0.65);
}

// The model's view: customers who did order in the next three months had
// a higher P(alive) as of the date than those who did not.
TEST(NextPurchase, ModelViewAddsPAliveThatSeparatesWhoOrdersAgain) {
  const Portfolio& p = testing::Sample();
  const DayNumber as_of = DaysFromCivil(2026, 4, 30);
  auto t = EstimateNextPurchase(p, {.as_of = as_of});
  ASSERT_TRUE(t.ok());
  SummaryOptions options;
  options.as_of = ToDate(as_of);
  options.unit = TimeUnit::kWeeks;
  auto summary = Summarize(p, options);
  ASSERT_TRUE(summary.ok());
  auto model = models::Model::Fit(models::ModelKind::kBgNbd, models::RfmFromSummary(*summary));
  ASSERT_TRUE(model.ok()) << model.status();
  ASSERT_TRUE(AddModelView(p, *model, 90, &*t).ok());
  ASSERT_EQ(t->p_alive.size(), t->size());
  EXPECT_EQ(t->expected_horizon_days, 90);
  const PurchaseHistory h = PurchaseHistory::Build(p);
  double again = 0, not_again = 0;
  std::int64_t n_again = 0, n_not = 0;
  for (size_t c = 0; c < t->size(); ++c) {
    if (t->basis[c] == NextPurchaseBasis::kNoPurchase) {
      EXPECT_TRUE(std::isnan(t->p_alive[c]));
      continue;
    }
    EXPECT_TRUE(t->p_alive[c] >= 0 && t->p_alive[c] <= 1);
    EXPECT_GE(t->expected_purchases[c], 0);
    const auto days = h.days(static_cast<CustomerIndex>(c));
    const auto next = std::upper_bound(days.begin(), days.end(), as_of);
    const bool ordered = next != days.end() && *next <= as_of + 90;
    (ordered ? again : not_again) += t->p_alive[c];
    ++(ordered ? n_again : n_not);
  }
  again /= static_cast<double>(n_again);
  not_again /= static_cast<double>(n_not);
  std::printf("mean P(alive): %.3f of %lld who ordered again within 90 days, %.3f of %lld who did not\n", again,
              static_cast<long long>(n_again), not_again, static_cast<long long>(n_not));
  EXPECT_GT(again, not_again + 0.2);
  auto spend = models::Model::FromParams(models::ModelKind::kGammaGamma, std::vector<double>{6, 4, 16},
                                         TimeUnit::kWeeks);
  ASSERT_TRUE(spend.ok());
  EXPECT_EQ(AddModelView(p, *spend, 90, &*t).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(AddModelView(p, *model, 0, &*t).code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace carteira
