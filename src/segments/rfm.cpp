#include "carteira/segments/rfm.h"

#include <algorithm>
#include <array>
#include <bit>
#include <vector>

#include "src/core/huge_pages.h"

namespace carteira {

namespace {

// Keys in the order "worse to better": an ordered unsigned image of the
// value, flipped when fewer is better (no negation, so no overflow).
inline std::uint64_t BetterKey(std::int64_t v, bool higher_is_better) {
  const std::uint64_t u = static_cast<std::uint64_t>(v) ^ (std::uint64_t{1} << 63);
  return higher_is_better ? u : ~u;
}

struct VectorKey {
  const std::uint64_t* key;
  std::uint64_t operator()(size_t i) const { return key[i]; }
};

// out[k] = the rank[k]-th smallest of the n keys key(i) (ranks 1-based,
// ascending, at most four). Small spans (days, purchase counts): one
// histogram. Wide spans (money): a histogram of the top 16 bits finds each
// rank's bucket, then the same on the few buckets' members, so no pass
// sorts or partitions the million values (nth_element did, 4 times).
template <typename Key>
void SelectRanks(size_t n, Key key, std::span<const size_t> rank, std::span<std::uint64_t> out) {
  std::uint64_t lo = ~std::uint64_t{0}, hi = 0;
  for (size_t i = 0; i < n; ++i) {
    const std::uint64_t k = key(i);
    lo = std::min(lo, k);
    hi = std::max(hi, k);
  }
  const std::uint64_t span = hi - lo;
  if (span < (std::uint64_t{1} << 21)) {
    std::vector<std::uint32_t> count(span + 1, 0);
    for (size_t i = 0; i < n; ++i) ++count[key(i) - lo];
    size_t cum = 0, r = 0;
    for (std::uint64_t v = 0; v <= span && r < rank.size(); ++v) {
      cum += count[v];
      while (r < rank.size() && cum >= rank[r]) out[r++] = lo + v;
    }
    return;
  }
  constexpr int kBits = 16;
  const int shift = (64 - std::countl_zero(span)) - kBits;
  std::vector<std::uint32_t> count(size_t{1} << kBits, 0);
  for (size_t i = 0; i < n; ++i) ++count[(key(i) - lo) >> shift];
  std::array<std::uint32_t, kRfmLevels - 1> bucket{};
  std::array<size_t, kRfmLevels - 1> within{};
  size_t cum = 0, r = 0;
  for (std::uint32_t b = 0; b < count.size() && r < rank.size(); ++b) {
    while (r < rank.size() && cum + count[b] >= rank[r]) {
      bucket[r] = b;
      within[r] = rank[r] - cum;
      ++r;
    }
    cum += count[b];
  }
  // The (at most four) buckets holding a rank, and their members.
  std::vector<std::uint8_t> slot(count.size(), 0xFF);
  std::vector<std::vector<std::uint64_t>> members;
  for (size_t k = 0; k < rank.size(); ++k) {
    if (slot[bucket[k]] == 0xFF) {
      slot[bucket[k]] = static_cast<std::uint8_t>(members.size());
      members.emplace_back().reserve(count[bucket[k]]);
    }
  }
  for (size_t i = 0; i < n; ++i) {
    const std::uint64_t k = key(i);
    const std::uint8_t s = slot[(k - lo) >> shift];
    if (s != 0xFF) members[s].push_back(k);
  }
  for (size_t k = 0; k < rank.size();) {
    size_t end = k + 1;
    while (end < rank.size() && bucket[end] == bucket[k]) ++end;  // ranks ascend: same bucket adjacent
    const std::vector<std::uint64_t>& m = members[slot[bucket[k]]];
    SelectRanks(m.size(), VectorKey{m.data()},
                std::span<const size_t>(within.data() + k, end - k), out.subspan(k, end - k));
    k = end;
  }
}

// score = 1 + floor(5 L / n) >= k + 1  <=>  L >= t_k = ceil(k n / 5), and
// L(v) >= t  <=>  v is above the t-th worst value. So four order
// statistics and one comparison pass give exactly the rank rule, without
// sorting the million values.
template <typename T>
void Quintiles(std::span<const T> values, bool higher_is_better, std::span<std::uint8_t> out) {
  const size_t n = values.size();
  if (n == 0) return;
  std::array<size_t, kRfmLevels - 1> rank{};  // t_k, 1-based
  for (int k = 1; k < kRfmLevels; ++k) {
    rank[k - 1] = (static_cast<size_t>(k) * n + kRfmLevels - 1) / kRfmLevels;
  }
  std::array<std::uint64_t, kRfmLevels - 1> threshold{};
  const T* v = values.data();
  SelectRanks(n, [v, higher_is_better](size_t i) { return BetterKey(v[i], higher_is_better); }, rank, threshold);
  for (size_t i = 0; i < n; ++i) {
    const std::uint64_t k = BetterKey(v[i], higher_is_better);
    int score = 1;
    for (const std::uint64_t t : threshold) score += k > t;
    out[i] = static_cast<std::uint8_t>(score);
  }
}

}  // namespace

void QuintileScores(std::span<const std::int64_t> values, bool higher_is_better,
                    std::span<std::uint8_t> out) {
  Quintiles(values, higher_is_better, out);
}

RfmTable ScoreRfm(const CustomerSummary& summary) {
  RfmTable t;
  t.as_of = summary.as_of;
  const size_t n = summary.size();
  auto copy = [n](auto& to, const auto& from) {
    internal::ReserveOnHugePages(to, n);
    to.assign(from.begin(), from.end());
  };
  copy(t.customer, summary.customer);
  copy(t.recency_days, summary.days_since_last);
  copy(t.frequency, summary.purchase_days);
  copy(t.monetary, summary.revenue);
  for (auto* score : {&t.r, &t.f, &t.m}) {
    internal::ReserveOnHugePages(*score, n);
    score->resize(n);
  }
  Quintiles<std::int32_t>(t.recency_days, /*higher_is_better=*/false, t.r);
  Quintiles<std::int32_t>(t.frequency, /*higher_is_better=*/true, t.f);
  Quintiles<MinorUnits>(t.monetary, /*higher_is_better=*/true, t.m);
  return t;
}

}  // namespace carteira
