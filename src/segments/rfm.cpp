#include "carteira/segments/rfm.h"

#include <algorithm>
#include <array>

namespace carteira {

void QuintileScores(std::span<const std::int64_t> values, bool higher_is_better,
                    std::span<std::uint8_t> out) {
  // score = 1 + floor(5 L / n) >= k + 1  <=>  L >= t_k = ceil(k n / 5), and
  // L(v) >= t  <=>  v is above the t-th smallest value. So four order
  // statistics (nth_element, linear) and one comparison pass give exactly
  // the rank rule, without sorting the million values.
  const size_t n = values.size();
  if (n == 0) return;
  std::vector<std::int64_t> work(n);
  for (size_t i = 0; i < n; ++i) work[i] = higher_is_better ? values[i] : -values[i];
  std::array<std::int64_t, kRfmLevels - 1> threshold{};
  std::array<size_t, kRfmLevels - 1> rank{};  // t_k, 1-based
  for (int k = 1; k < kRfmLevels; ++k) {
    rank[k - 1] = (static_cast<size_t>(k) * n + kRfmLevels - 1) / kRfmLevels;
  }
  const auto [lo, hi] = std::minmax_element(work.begin(), work.end());
  const std::uint64_t span = static_cast<std::uint64_t>(*hi) - static_cast<std::uint64_t>(*lo);
  if (span < (std::uint64_t{1} << 21)) {
    // Days and purchase counts span little: a histogram finds the order
    // statistics in one pass (nth_element is slow on so many ties).
    const std::int64_t min = *lo;
    std::vector<std::uint32_t> count(span + 1, 0);
    for (const std::int64_t v : work) ++count[static_cast<size_t>(v - min)];
    size_t cum = 0, k = 0;
    for (size_t v = 0; v <= span && k < rank.size(); ++v) {
      cum += count[v];
      while (k < rank.size() && cum >= rank[k]) threshold[k++] = min + static_cast<std::int64_t>(v);
    }
  } else {
    auto begin = work.begin();
    for (size_t k = 0; k < rank.size(); ++k) {
      const auto nth = work.begin() + static_cast<std::ptrdiff_t>(rank[k] - 1);
      std::nth_element(begin, nth, work.end());
      threshold[k] = *nth;
      begin = nth;
    }
  }
  for (size_t i = 0; i < n; ++i) {
    const std::int64_t v = higher_is_better ? values[i] : -values[i];
    int score = 1;
    for (const std::int64_t t : threshold) score += v > t;
    out[i] = static_cast<std::uint8_t>(score);
  }
}

RfmTable ScoreRfm(const CustomerSummary& summary) {
  RfmTable t;
  t.as_of = summary.as_of;
  const size_t n = summary.size();
  t.customer = summary.customer;
  t.recency_days = summary.days_since_last;
  t.frequency = summary.purchase_days;
  t.monetary = summary.revenue;
  t.r.resize(n);
  t.f.resize(n);
  t.m.resize(n);
  std::vector<std::int64_t> values(n);
  for (size_t i = 0; i < n; ++i) values[i] = t.recency_days[i];
  QuintileScores(values, /*higher_is_better=*/false, t.r);
  for (size_t i = 0; i < n; ++i) values[i] = t.frequency[i];
  QuintileScores(values, /*higher_is_better=*/true, t.f);
  QuintileScores(t.monetary, /*higher_is_better=*/true, t.m);
  return t;
}

}  // namespace carteira
