#include "carteira/segments/rfm.h"

#include "src/core/radix_sort.h"

namespace carteira {

void QuintileScores(std::span<const std::int64_t> values, bool higher_is_better,
                    std::span<std::uint8_t> out) {
  const size_t n = values.size();
  if (n == 0) return;
  std::vector<std::uint64_t> keys(n);
  for (size_t i = 0; i < n; ++i) {
    // Sorting by "goodness" ascending: L(v) is then the start of v's run.
    keys[i] = internal::OrderedKey(higher_is_better ? values[i] : -values[i]);
  }
  std::vector<std::uint32_t> rows;
  internal::SortRowsByKey(keys, rows);
  size_t start = 0;
  while (start < n) {
    size_t end = start + 1;
    while (end < n && keys[end] == keys[start]) ++end;
    const auto score = static_cast<std::uint8_t>(1 + (kRfmLevels * static_cast<std::uint64_t>(start)) / n);
    for (size_t i = start; i < end; ++i) out[rows[i]] = score;
    start = end;
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
