// Cross-sell: the next-best product categories for each customer, from
// which categories are bought together across the portfolio
// (docs/opportunities.md has the method, the formulas and the holdout
// figures on the sample).
//
// Item-to-item similarity (Linden, Smith and York, "Amazon.com
// recommendations: item-to-item collaborative filtering", 2003) on the
// customer x category incidence: a customer "buys" a category when it made
// a purchase (amount >= 0) of it on or before `as_of`.
//   n        customers who bought any category
//   n_a      customers who bought category a;  n_ab  who bought a and b
//   sim(a,b) = n_ab / sqrt(n_a n_b)  (cosine), 0 when n_ab < min_pair_customers
//   score(c) = mean over the customer's categories a of sim(a, c)
// (summed in single precision, in slot order, so that the scores and their
// ranking are the same bits on every CPU and with or without AVX2),
// Categories the customer already buys are never suggested, nor ones with a
// score of 0 (no customer like it buys them). Ties: the category first in
// byte order of names. The reason quotes the rule from the customer's
// category that supports the suggestion most (largest sim; ties as above):
//   confidence(a->c) = n_ac / n_a,  lift(a->c) = confidence / (n_c / n).
// A customer without any category (a prospect, or transactions without
// one) gets the most popular categories (score n_c / n) instead.
#ifndef CARTEIRA_OPPORTUNITIES_CROSS_SELL_H_
#define CARTEIRA_OPPORTUNITIES_CROSS_SELL_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "carteira/core/date.h"
#include "carteira/opportunities/category_set.h"
#include "carteira/portfolio/portfolio.h"

namespace carteira {

inline constexpr int kMaxCrossSellTopK = 50;

struct CrossSellOptions {
  DayNumber as_of = kNoDay;  // transactions on or before it; kNoDay = all
  int top_k = 3;             // suggestions per customer, 1..kMaxCrossSellTopK
  // A pair of categories bought together by fewer customers than this is
  // no evidence (its similarity is 0): noise from a handful of customers.
  std::int64_t min_pair_customers = 3;
  absl::Status Validate() const;
};

// The co-purchase statistics, by category slot (CategoryOrder).
struct CrossSellModel {
  CategoryOrder order;
  CategorySets owned;                    // per customer, as of `as_of`
  std::int64_t customers = 0;            // n
  std::vector<std::int64_t> buyers;      // n_a by slot
  std::vector<std::int64_t> pair_buyers;  // n_ab, slots x slots (diagonal n_a)
  std::vector<double> similarity;        // slots x slots, 0 on the diagonal
  // The same in single precision for the scoring loop, each row padded with
  // zeros to `stride` floats (a multiple of 8: whole AVX2 vectors).
  std::vector<float> scoring;
  size_t stride = 0;
  std::int64_t min_pair_customers = 3;
  // Why the model can suggest nothing at all (a single category); empty
  // otherwise.
  std::string note;
  size_t slots() const { return order.size(); }
};

// FailedPrecondition when no transaction has a category.
absl::StatusOr<CrossSellModel> BuildCrossSell(const Portfolio& portfolio, const CrossSellOptions& options = {});

enum class SuggestionBasis : std::uint8_t {
  kSimilarity = 0,  // from the customer's own categories
  kPopularity = 1,  // the customer has no category yet
};

// Columnar suggestions, customer by customer (index order), best first.
struct CrossSellSuggestions {
  std::vector<CustomerIndex> customer;
  std::vector<std::int32_t> rank;      // 1..top_k within the customer
  std::vector<std::int32_t> category;  // dictionary code
  std::vector<double> score;
  std::vector<SuggestionBasis> basis;
  // The rule quoted in the reason (kSimilarity): the customer's category
  // supporting the suggestion most, and the rule's figures.
  std::vector<std::int32_t> because;  // dictionary code, -1 for kPopularity
  std::vector<std::int64_t> together;  // n_(because, category); n_category for kPopularity
  std::vector<double> confidence, lift;
  size_t size() const { return customer.size(); }
};

// Suggestions for every customer of the portfolio (prospects included).
CrossSellSuggestions SuggestCrossSell(const CrossSellModel& model, int top_k);

// The same for the given customers only, in the given order.
CrossSellSuggestions SuggestCrossSell(const CrossSellModel& model, int top_k,
                                      std::span<const CustomerIndex> customers);

// "62% of customers who buy frios also buy hortifruti (lift 1.9; 1204 customers)"
// or "bought by 45% of customers (most popular)".
std::string SuggestionReason(const Portfolio& portfolio, const CrossSellSuggestions& s, size_t row);
// The same from the category names alone (Portfolio::categories()).
std::string SuggestionReason(const Dictionary& categories, const CrossSellSuggestions& s, size_t row);

// The baseline the model is measured against: each customer's most popular
// categories (by n_c; ties by name) that it does not buy yet.
CrossSellSuggestions SuggestMostPopular(const CrossSellModel& model, int top_k);

// The honest check: the model is built from the transactions on or before
// `cutoff` only; a customer is evaluated when it bought some category by
// then and bought, in (cutoff, to], at least one category it had not
// bought before. Hit at k: one of its first k suggestions is among those
// new categories.
struct CrossSellEvaluation {
  DayNumber cutoff = kNoDay, to = kNoDay;
  int k = 0;
  std::int64_t customers = 0;  // evaluated
  std::int64_t model_hits = 0, baseline_hits = 0;
  double model_hit_rate = 0, baseline_hit_rate = 0;  // hits / customers; 0 without customers
};

absl::StatusOr<CrossSellEvaluation> EvaluateCrossSell(const Portfolio& portfolio, DayNumber cutoff, DayNumber to,
                                                      int k, const CrossSellOptions& options = {});

}  // namespace carteira

#endif  // CARTEIRA_OPPORTUNITIES_CROSS_SELL_H_
