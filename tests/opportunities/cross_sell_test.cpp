#include "carteira/opportunities/cross_sell.h"

#include <cmath>

#include <gtest/gtest.h>

#include "tests/opportunities/fixtures.h"

namespace carteira {
namespace {

using testing::AddBuys;
using testing::Day;

// A, B, C go together; D only with one A buyer. c6 buys D alone and P is a
// prospect.
Portfolio Basket() {
  Portfolio p;
  AddBuys(p, {{"c1", 0, "A"}, {"c1", 1, "B"}, {"c1", 2, "C"},  //
              {"c2", 0, "A"}, {"c2", 0, "B"}, {"c2", 5, "C"},  //
              {"c3", 0, "A"}, {"c3", 9, "B"}, {"c3", 9, "C"},  //
              {"c4", 0, "A"}, {"c4", 3, "B"},                  //
              {"c5", 0, "A"}, {"c5", 4, "D"},                  //
              {"c6", 7, "D"}});
  EXPECT_TRUE(p.AddCustomers(std::vector<Customer>{testing::NewCustomer("P")}).ok());
  return p;
}

CrossSellOptions AnyPair() {
  CrossSellOptions o;
  o.min_pair_customers = 1;
  return o;
}

// "customer:category,category;..." of the suggestions.
std::string Listing(const Portfolio& p, const CrossSellSuggestions& s) {
  std::string out;
  for (size_t r = 0; r < s.size(); ++r) {
    if (s.rank[r] == 1) out += (out.empty() ? "" : ";") + std::string(p.customers().id[s.customer[r]]) + ":";
    if (s.rank[r] > 1) out += ",";
    out += p.categories()[s.category[r]];
  }
  return out;
}

TEST(CrossSell, CountsBuyersAndPairsAndCosineSimilarity) {
  const Portfolio p = Basket();
  auto m = BuildCrossSell(p, AnyPair());
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ(m->customers, 6);
  EXPECT_EQ(m->buyers, (std::vector<std::int64_t>{5, 4, 3, 2}));  // A B C D
  EXPECT_EQ(m->pair_buyers[0 * 4 + 1], 4);
  EXPECT_EQ(m->pair_buyers[2 * 4 + 1], 3);
  EXPECT_EQ(m->pair_buyers[3 * 4 + 0], 1);
  EXPECT_DOUBLE_EQ(m->similarity[0 * 4 + 1], 4 / std::sqrt(20.0));
  EXPECT_DOUBLE_EQ(m->similarity[1 * 4 + 2], 3 / std::sqrt(12.0));
  EXPECT_EQ(m->similarity[1 * 4 + 3], 0.0);
  EXPECT_EQ(m->similarity[0], 0.0);
  EXPECT_TRUE(m->note.empty());
}

TEST(CrossSell, SuggestsWhatSimilarCustomersBuyNeverWhatTheCustomerOwns) {
  const Portfolio p = Basket();
  auto m = BuildCrossSell(p, AnyPair());
  ASSERT_TRUE(m.ok());
  const CrossSellSuggestions s = SuggestCrossSell(*m, 3);
  // c4 (A, B): C scores (sim(A,C) + sim(B,C)) / 2, D sim(A,D) / 2. c6 (D):
  // only A has a co-buyer. P (nothing): the most popular.
  EXPECT_EQ(Listing(p, s), "c1:D;c2:D;c3:D;c4:C,D;c5:B,C;c6:A;P:A,B,C");
  size_t row = 3;  // c4's first (c1-c3 have one each)
  ASSERT_EQ(p.customers().id[s.customer[row]], "c4");
  EXPECT_NEAR(s.score[row], (3 / std::sqrt(15.0) + 3 / std::sqrt(12.0)) / 2, 1e-6);  // summed as float
  EXPECT_EQ(s.basis[row], SuggestionBasis::kSimilarity);
  // Quoted rule: B -> C (sim 0.866 beats A -> C's 0.775): 3 of B's 4
  // buyers buy C, against 3 of 6 overall.
  EXPECT_EQ(p.categories()[s.because[row]], "B");
  EXPECT_EQ(s.together[row], 3);
  EXPECT_DOUBLE_EQ(s.confidence[row], 0.75);
  EXPECT_DOUBLE_EQ(s.lift[row], 1.5);
  EXPECT_EQ(SuggestionReason(p, s, row), "75% of customers who buy B also buy C (lift 1.5; 3 customers)");
  const size_t prospect = s.size() - 3;
  EXPECT_EQ(s.basis[prospect], SuggestionBasis::kPopularity);
  EXPECT_DOUBLE_EQ(s.score[prospect], 5.0 / 6);
  EXPECT_EQ(SuggestionReason(p, s, prospect),
            "bought by 83% of customers (5); no category bought yet, so the most popular");
}

TEST(CrossSell, RarePairsAreNoEvidence) {
  const Portfolio p = Basket();
  auto m = BuildCrossSell(p);  // default: a pair needs 3 co-buyers
  ASSERT_TRUE(m.ok());
  const CrossSellSuggestions s = SuggestCrossSell(*m, 3);
  // A-D (1 co-buyer) and the like are gone: c1-c3 have nothing left and c6
  // (D alone) has no suggestion.
  EXPECT_EQ(Listing(p, s), "c4:C;c5:B,C;P:A,B,C");
}

TEST(CrossSell, TiesGoToTheFirstNameWhateverTheLoadOrder) {
  Portfolio p;
  // b and c are bought with a exactly alike; c is loaded first.
  AddBuys(p, {{"x", 0, "c"}, {"x", 0, "a"}, {"y", 0, "b"}, {"y", 0, "a"}, {"z", 0, "a"}});
  auto m = BuildCrossSell(p, AnyPair());
  ASSERT_TRUE(m.ok());
  const CrossSellSuggestions s = SuggestCrossSell(*m, 2);
  EXPECT_EQ(Listing(p, s), "x:b;y:c;z:b,c");
  const CrossSellSuggestions one = SuggestCrossSell(*m, 1);
  EXPECT_EQ(Listing(p, one), "x:b;y:c;z:b");
}

TEST(CrossSell, TheAsOfDateHidesLaterPurchases) {
  const Portfolio p = Basket();
  CrossSellOptions o = AnyPair();
  o.as_of = ToDayNumber(Day(4));  // c3's B and C (day 9), c2's C (day 5), c6's D come later
  auto m = BuildCrossSell(p, o);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->buyers, (std::vector<std::int64_t>{5, 3, 1, 1}));
  EXPECT_EQ(m->customers, 5);
}

TEST(CrossSell, NoCategoryIsAClearError) {
  Portfolio p;
  AddBuys(p, {{"x", 0, ""}, {"y", 1, ""}});
  auto m = BuildCrossSell(p);
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(m.status().message().find("'category' column"), std::string_view::npos) << m.status();
}

TEST(CrossSell, ASingleCategoryHasNothingToCrossSell) {
  Portfolio p;
  AddBuys(p, {{"x", 0, "bebidas"}, {"y", 1, "bebidas"}, {"z", 1, ""}});
  auto m = BuildCrossSell(p);
  ASSERT_TRUE(m.ok());
  EXPECT_NE(m->note.find("only one product category (bebidas)"), std::string::npos) << m->note;
  const CrossSellSuggestions s = SuggestCrossSell(*m, 3);
  // Buyers of it: nothing. z bought without a category: the category itself.
  EXPECT_EQ(Listing(p, s), "z:bebidas");
}

TEST(CrossSell, AOnePurchaseCustomerIsSuggestedFromItsOnlyCategory) {
  Portfolio p = Basket();
  AddBuys(p, {{"new", 20, "C"}});
  auto m = BuildCrossSell(p, AnyPair());
  ASSERT_TRUE(m.ok());
  const CustomerIndex c = *p.FindCustomer("new");
  const CrossSellSuggestions s = SuggestCrossSell(*m, 3, std::vector<CustomerIndex>{c});
  EXPECT_EQ(Listing(p, s), "new:B,A");  // sim(C,B) = 3/sqrt(16) > sim(C,A) = 3/sqrt(20)
  EXPECT_EQ(p.categories()[s.because[0]], "C");
}

TEST(CrossSell, OptionsAreChecked) {
  const Portfolio p = Basket();
  CrossSellOptions o;
  o.top_k = 0;
  EXPECT_EQ(BuildCrossSell(p, o).status().code(), absl::StatusCode::kInvalidArgument);
  o.top_k = 3;
  o.min_pair_customers = 0;
  EXPECT_EQ(BuildCrossSell(p, o).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_FALSE(EvaluateCrossSell(p, ToDayNumber(Day(5)), ToDayNumber(Day(5)), 1).ok());
}

TEST(CrossSell, EvaluationCountsNewCategoriesAfterTheCutoff) {
  Portfolio p;
  // Before day 10: a+b bought together by 3, a alone by z. After: z buys b
  // (the model says b; popularity says b too), w (bought c) buys a.
  AddBuys(p, {{"x", 0, "a"}, {"x", 0, "b"}, {"y", 0, "a"}, {"y", 0, "b"}, {"v", 0, "a"}, {"v", 0, "b"},
              {"z", 0, "a"}, {"w", 0, "c"}, {"u", 0, "c"}, {"u", 0, "b"},
              {"z", 12, "b"}, {"w", 12, "a"}, {"x", 12, "a"}});
  auto e = EvaluateCrossSell(p, ToDayNumber(Day(10)), ToDayNumber(Day(20)), 1, AnyPair());
  ASSERT_TRUE(e.ok()) << e.status();
  // Evaluated: z (new b) and w (new a); x bought nothing new.
  EXPECT_EQ(e->customers, 2);
  // Model: z <- b (sim a,b), w <- b (sim c,b; c and a never together): 1 hit.
  // Popularity (a 4, b 4: a first by name): z <- b, w <- a: 2 hits.
  EXPECT_EQ(e->model_hits, 1);
  EXPECT_EQ(e->baseline_hits, 2);
  EXPECT_DOUBLE_EQ(e->model_hit_rate, 0.5);
  EXPECT_DOUBLE_EQ(e->baseline_hit_rate, 1.0);
}

// The honest holdout on the sample: the last six months hidden, the model
// built on the rest, against the most popular categories the customer
// does not buy yet. docs/opportunities.md quotes these figures.
TEST(CrossSell, BeatsMostPopularOnTheSampleHoldout) {
  const Portfolio& p = testing::Sample();
  const DayNumber cutoff = DaysFromCivil(2026, 4, 30), to = DaysFromCivil(2026, 10, 31);
  struct Expected {
    int k;
    double margin;  // model - baseline, in hit rate
  };
  // Measured: k=1 0.550 vs 0.431, k=2 0.804 vs 0.664, k=3 0.910 vs 0.855
  // (1051 customers); the margins asserted are a little below those.
  for (const Expected x : {Expected{1, 0.10}, Expected{2, 0.12}, Expected{3, 0.04}}) {
    auto e = EvaluateCrossSell(p, cutoff, to, x.k);
    ASSERT_TRUE(e.ok()) << e.status();
    std::printf("holdout k=%d: %lld customers, model %.3f (%lld), most popular %.3f (%lld)\n", x.k,
                static_cast<long long>(e->customers), e->model_hit_rate, static_cast<long long>(e->model_hits),
                e->baseline_hit_rate, static_cast<long long>(e->baseline_hits));
    EXPECT_GT(e->customers, 500);
    EXPECT_GE(e->model_hit_rate - e->baseline_hit_rate, x.margin) << "k=" << x.k;
  }
}

TEST(CrossSell, SampleSuggestionsAreReproducible) {
  const Portfolio& p = testing::Sample();
  auto a = BuildCrossSell(p), b = BuildCrossSell(p);
  ASSERT_TRUE(a.ok() && b.ok());
  const CrossSellSuggestions x = SuggestCrossSell(*a, 3), y = SuggestCrossSell(*b, 3);
  EXPECT_EQ(x.category, y.category);
  EXPECT_EQ(x.score, y.score);
  EXPECT_GT(x.size(), 4000u);
}

}  // namespace
}  // namespace carteira
