#include "carteira/opportunities/cross_sell.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdio>
#include <functional>
#include <limits>
#include <numeric>

#include "carteira/core/strings.h"

namespace carteira {

absl::Status CrossSellOptions::Validate() const {
  if (top_k < 1 || top_k > kMaxCrossSellTopK) {
    return absl::InvalidArgumentError(
        StrCat("cross-sell: top_k must be between 1 and ", kMaxCrossSellTopK, ", got ", top_k));
  }
  if (min_pair_customers < 1) {
    return absl::InvalidArgumentError(
        StrCat("cross-sell: min_pair_customers must be at least 1, got ", min_pair_customers));
  }
  return absl::OkStatus();
}

absl::StatusOr<CrossSellModel> BuildCrossSell(const Portfolio& portfolio, const CrossSellOptions& options) {
  if (auto s = options.Validate(); !s.ok()) return s;
  if (portfolio.categories().size() == 0) return NoCategoriesError("cross-sell");
  CrossSellModel m;
  m.order = OrderCategories(portfolio);
  m.min_pair_customers = options.min_pair_customers;
  m.owned = CategorySets::Build(portfolio, m.order, kNoDay, options.as_of);
  const size_t k = m.slots();
  m.buyers.assign(k, 0);
  m.pair_buyers.assign(k * k, 0);
  // Upper triangle first (a < b), mirrored after: half the increments.
  std::vector<std::int32_t> mine;
  mine.reserve(k);
  for (size_t c = 0; c < m.owned.customers(); ++c) {
    mine.clear();
    m.owned.ForEach(static_cast<CustomerIndex>(c), [&](size_t s) { mine.push_back(static_cast<std::int32_t>(s)); });
    if (mine.empty()) continue;
    ++m.customers;
    for (size_t i = 0; i < mine.size(); ++i) {
      std::int64_t* row = m.pair_buyers.data() + static_cast<size_t>(mine[i]) * k;
      for (size_t j = i; j < mine.size(); ++j) ++row[mine[j]];
    }
  }
  for (size_t a = 0; a < k; ++a) {
    m.buyers[a] = m.pair_buyers[a * k + a];
    for (size_t b = a + 1; b < k; ++b) m.pair_buyers[b * k + a] = m.pair_buyers[a * k + b];
  }
  m.similarity.assign(k * k, 0.0);
  for (size_t a = 0; a < k; ++a) {
    for (size_t b = 0; b < k; ++b) {
      const std::int64_t together = m.pair_buyers[a * k + b];
      if (a == b || together < m.min_pair_customers) continue;
      m.similarity[a * k + b] =
          static_cast<double>(together) / std::sqrt(static_cast<double>(m.buyers[a]) * static_cast<double>(m.buyers[b]));
    }
  }
  m.stride = (k + 7) / 8 * 8;
  m.scoring.assign(k * m.stride, 0.0f);
  for (size_t a = 0; a < k; ++a) {
    for (size_t b = 0; b < k; ++b) m.scoring[a * m.stride + b] = static_cast<float>(m.similarity[a * k + b]);
  }
  if (k == 1) {
    m.note = StrCat("only one product category (", portfolio.categories()[m.order.code[0]],
                    "): a customer who buys it has nothing else to be offered");
  }
  return m;
}

namespace {

// Slots by number of buyers, most first (ties: slot, i.e. name, order),
// bought by someone.
std::vector<std::int32_t> PopularSlots(const CrossSellModel& m) {
  std::vector<std::int32_t> slots(m.slots());
  std::iota(slots.begin(), slots.end(), 0);
  std::stable_sort(slots.begin(), slots.end(), [&](std::int32_t a, std::int32_t b) { return m.buyers[a] > m.buyers[b]; });
  while (!slots.empty() && m.buyers[slots.back()] == 0) slots.pop_back();
  return slots;
}

// GCC compiles an AVX2 and a baseline copy and picks one when the library
// loads (an ifunc): the loop is a plain sum that it vectorises across j, so
// both give the same bits. No hand-written intrinsics were needed.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define CARTEIRA_AVX2_CLONE __attribute__((target_clones("avx2", "default")))
#else
#define CARTEIRA_AVX2_CLONE
#endif

// acc[j] = sum over the given rows (in order) of base[row * stride + j].
CARTEIRA_AVX2_CLONE void SumRows(const float* base, size_t stride, const std::int32_t* rows, size_t count,
                                 float* acc) {
  const float* first = base + static_cast<size_t>(rows[0]) * stride;
  for (size_t j = 0; j < stride; ++j) acc[j] = first[j];
  for (size_t r = 1; r < count; ++r) {
    const float* row = base + static_cast<size_t>(rows[r]) * stride;
    for (size_t j = 0; j < stride; ++j) acc[j] += row[j];
  }
}

// The largest key (float bits as int32) of each of the 8 lanes j % 8, over
// the whole padded row: one vector max a block of 8.
CARTEIRA_AVX2_CLONE void LaneMax(const float* sums, size_t stride, std::int32_t* lanes) {
  for (size_t l = 0; l < 8; ++l) lanes[l] = std::numeric_limits<std::int32_t>::min();
  for (size_t b = 0; b < stride; b += 8) {
    for (size_t l = 0; l < 8; ++l) lanes[l] = std::max(lanes[l], std::bit_cast<std::int32_t>(sums[b + l]));
  }
}

class Suggester {
 public:
  Suggester(const CrossSellModel& m, int top_k) : m_(m), k_(static_cast<size_t>(top_k)), popular_(PopularSlots(m)) {
    sum_.resize(m.stride);
    top_.reserve(k_ + 1);
    mine_.reserve(m.slots());
  }

  void AddPopular(CustomerIndex c, CrossSellSuggestions& out) {
    std::int32_t rank = 0;
    for (std::int32_t s : popular_) {
      if (rank == static_cast<std::int32_t>(k_)) break;
      if (m_.owned.has(c, static_cast<size_t>(s))) continue;
      const double share = static_cast<double>(m_.buyers[s]) / static_cast<double>(m_.customers);
      Push(out, c, ++rank, s, share, SuggestionBasis::kPopularity, -1, m_.buyers[s], share, 1.0);
    }
  }

  void Add(CustomerIndex c, CrossSellSuggestions& out) {
    mine_.clear();
    m_.owned.ForEach(c, [&](size_t a) { mine_.push_back(static_cast<std::int32_t>(a)); });
    if (mine_.empty()) return AddPopular(c, out);
    SumRows(m_.scoring.data(), m_.stride, mine_.data(), mine_.size(), sum_.data());
    // Owned categories drop out; then the top k by (sum desc, slot asc).
    // Non-negative floats order like their bit patterns as int32 (and the
    // -1 of an owned category below all of them), so the scan compares
    // integers; slots come in ascending order, so a later slot enters only
    // with a strictly larger sum, and a sum of 0 never enters.
    for (std::int32_t a : mine_) sum_[static_cast<size_t>(a)] = -1.0f;
    top_.clear();
    // A floor below the top k from the start saves the insertions of small
    // sums: the k lanes with the largest maxima hold k sums at least the
    // k-th largest lane maximum, so every sum of the top k is at least that.
    std::int32_t floor = 0;
    if (k_ <= 8) {
      std::int32_t lanes[8];
      LaneMax(sum_.data(), m_.stride, lanes);
      std::nth_element(lanes, lanes + (k_ - 1), lanes + 8, std::greater<>());
      // In 64 bits: a lane of -0.0f (INT32_MIN) must not wrap.
      floor = static_cast<std::int32_t>(std::max<std::int64_t>(0, std::int64_t{lanes[k_ - 1]} - 1));
    }
    const size_t n = m_.slots();
    for (size_t j = 0; j < n; ++j) {
      const auto key = std::bit_cast<std::int32_t>(sum_[j]);
      if (key <= floor) continue;
      size_t at = top_.size();
      top_.push_back(static_cast<std::int32_t>(j));
      while (at > 0 && std::bit_cast<std::int32_t>(sum_[static_cast<size_t>(top_[at - 1])]) < key) {
        top_[at] = top_[at - 1];
        --at;
      }
      top_[at] = static_cast<std::int32_t>(j);
      if (top_.size() > k_) top_.pop_back();
      if (top_.size() == k_) floor = std::bit_cast<std::int32_t>(sum_[static_cast<size_t>(top_.back())]);
    }
    std::int32_t rank = 0;
    for (std::int32_t cand : top_) {
      // The rule quoted: the customer's category most similar to it. The
      // matrices are symmetric, so the candidate's own row is read (one row
      // in cache rather than a line from each of the customer's rows).
      size_t best = 0;
      double best_sim = -1;
      const double* row = m_.similarity.data() + static_cast<size_t>(cand) * n;
      for (std::int32_t a : mine_) {
        const double s = row[a];
        if (s > best_sim) {
          best_sim = s;
          best = static_cast<size_t>(a);
        }
      }
      const std::int64_t together = m_.pair_buyers[static_cast<size_t>(cand) * n + best];
      const double confidence = static_cast<double>(together) / static_cast<double>(m_.buyers[best]);
      const double lift =
          confidence / (static_cast<double>(m_.buyers[cand]) / static_cast<double>(m_.customers));
      Push(out, c, ++rank, cand, static_cast<double>(sum_[static_cast<size_t>(cand)]) / static_cast<double>(mine_.size()),
           SuggestionBasis::kSimilarity,
           m_.order.code[best], together, confidence, lift);
    }
  }

 private:
  void Push(CrossSellSuggestions& out, CustomerIndex c, std::int32_t rank, std::int32_t slot, double score,
            SuggestionBasis basis, std::int32_t because, std::int64_t together, double confidence, double lift) {
    out.customer.push_back(c);
    out.rank.push_back(rank);
    out.category.push_back(m_.order.code[slot]);
    out.score.push_back(score);
    out.basis.push_back(basis);
    out.because.push_back(because);
    out.together.push_back(together);
    out.confidence.push_back(confidence);
    out.lift.push_back(lift);
  }

  const CrossSellModel& m_;
  size_t k_;
  std::vector<std::int32_t> popular_;
  std::vector<float> sum_;
  std::vector<std::int32_t> top_;
  std::vector<std::int32_t> mine_;  // the customer's slots
};

void Reserve(CrossSellSuggestions& s, size_t rows) {
  s.customer.reserve(rows);
  s.rank.reserve(rows);
  s.category.reserve(rows);
  s.score.reserve(rows);
  s.basis.reserve(rows);
  s.because.reserve(rows);
  s.together.reserve(rows);
  s.confidence.reserve(rows);
  s.lift.reserve(rows);
}

}  // namespace

CrossSellSuggestions SuggestCrossSell(const CrossSellModel& model, int top_k) {
  CrossSellSuggestions out;
  top_k = std::clamp(top_k, 1, kMaxCrossSellTopK);
  if (model.customers == 0) return out;
  Reserve(out, model.owned.customers() * static_cast<size_t>(top_k));
  Suggester s(model, top_k);
  for (size_t c = 0; c < model.owned.customers(); ++c) s.Add(static_cast<CustomerIndex>(c), out);
  return out;
}

CrossSellSuggestions SuggestCrossSell(const CrossSellModel& model, int top_k, std::span<const CustomerIndex> customers) {
  CrossSellSuggestions out;
  top_k = std::clamp(top_k, 1, kMaxCrossSellTopK);
  if (model.customers == 0) return out;
  Suggester s(model, top_k);
  for (CustomerIndex c : customers) {
    if (c < model.owned.customers()) s.Add(c, out);
  }
  return out;
}

CrossSellSuggestions SuggestMostPopular(const CrossSellModel& model, int top_k) {
  CrossSellSuggestions out;
  top_k = std::clamp(top_k, 1, kMaxCrossSellTopK);
  if (model.customers == 0) return out;
  Reserve(out, model.owned.customers() * static_cast<size_t>(top_k));
  Suggester s(model, top_k);
  for (size_t c = 0; c < model.owned.customers(); ++c) s.AddPopular(static_cast<CustomerIndex>(c), out);
  return out;
}

namespace {

std::string Fixed(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

}  // namespace

std::string SuggestionReason(const Portfolio& portfolio, const CrossSellSuggestions& s, size_t row) {
  return SuggestionReason(portfolio.categories(), s, row);
}

std::string SuggestionReason(const Dictionary& categories, const CrossSellSuggestions& s, size_t row) {
  const std::string_view category = categories[s.category[row]];
  const std::string percent = Fixed(100.0 * s.confidence[row], 0);
  if (s.basis[row] == SuggestionBasis::kPopularity) {
    return StrCat("bought by ", percent, "% of customers (", s.together[row],
                  "); no category bought yet, so the most popular");
  }
  return StrCat(percent, "% of customers who buy ", categories[s.because[row]], " also buy ", category,
                " (lift ", Fixed(s.lift[row], 1), "; ", s.together[row], " customers)");
}

absl::StatusOr<CrossSellEvaluation> EvaluateCrossSell(const Portfolio& portfolio, DayNumber cutoff, DayNumber to,
                                                      int k, const CrossSellOptions& options) {
  if (cutoff == kNoDay || to == kNoDay || to <= cutoff) {
    return absl::InvalidArgumentError(StrCat("cross-sell evaluation: the holdout (", FormatDate(cutoff), ", ",
                                             FormatDate(to), "] is empty; 'to' must come after the cutoff"));
  }
  CrossSellOptions o = options;
  o.as_of = cutoff;
  o.top_k = k;
  auto model = BuildCrossSell(portfolio, o);
  if (!model.ok()) return model.status();
  const CategorySets later = CategorySets::Build(portfolio, model->order, cutoff + 1, to);
  CrossSellEvaluation e;
  e.cutoff = cutoff;
  e.to = to;
  e.k = k;
  const CrossSellSuggestions ours = SuggestCrossSell(*model, k);
  const CrossSellSuggestions base = SuggestMostPopular(*model, k);
  // Hits per customer of one set of suggestions (rows grouped by customer).
  auto hits = [&](const CrossSellSuggestions& s, std::vector<std::uint8_t>& hit) {
    hit.assign(model->owned.customers(), 0);
    for (size_t r = 0; r < s.size(); ++r) {
      const auto slot = static_cast<size_t>(model->order.slot[s.category[r]]);
      if (later.has(s.customer[r], slot)) hit[s.customer[r]] = 1;
    }
  };
  std::vector<std::uint8_t> ours_hit, base_hit;
  hits(ours, ours_hit);
  hits(base, base_hit);
  for (size_t c = 0; c < model->owned.customers(); ++c) {
    const auto before = model->owned.of(static_cast<CustomerIndex>(c));
    const auto after = later.of(static_cast<CustomerIndex>(c));
    bool any_before = false, any_new = false;
    for (size_t w = 0; w < before.size(); ++w) {
      any_before |= before[w] != 0;
      any_new |= (after[w] & ~before[w]) != 0;
    }
    if (!any_before || !any_new) continue;
    ++e.customers;
    e.model_hits += ours_hit[c];
    e.baseline_hits += base_hit[c];
  }
  if (e.customers > 0) {
    e.model_hit_rate = static_cast<double>(e.model_hits) / static_cast<double>(e.customers);
    e.baseline_hit_rate = static_cast<double>(e.baseline_hits) / static_cast<double>(e.customers);
  }
  return e;
}

}  // namespace carteira
