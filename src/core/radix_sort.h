// Stable LSD radix sort of row numbers by a 64-bit key, for the rank-based
// figures (ABC classes, revenue concentration) over a million
// customers: std::sort of a million (key, row) pairs costs ~70 ms, this
// costs a few ms because the keys (days, counts, revenue in minor units)
// span few bits once their minimum is subtracted, so most of the 8-bit
// digits are skipped. Written by hand because neither Abseil nor Boost
// (boost::sort::spreadsort sorts keys, not rows by key, and is not stable
// over rows) gives a stable sort of indices by integer key.
#ifndef CARTEIRA_SRC_CORE_RADIX_SORT_H_
#define CARTEIRA_SRC_CORE_RADIX_SORT_H_

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <span>
#include <vector>

namespace carteira::internal {

// Maps a signed value to an unsigned key with the same order.
inline std::uint64_t OrderedKey(std::int64_t v) {
  return static_cast<std::uint64_t>(v) ^ (std::uint64_t{1} << 63);
}

// Fills `rows` with 0..keys.size()-1 ordered by ascending key; equal keys
// keep ascending row order. `keys` is scratch: it is left permuted.
inline void SortRowsByKey(std::vector<std::uint64_t>& keys, std::vector<std::uint32_t>& rows) {
  const size_t n = keys.size();
  rows.resize(n);
  for (size_t i = 0; i < n; ++i) rows[i] = static_cast<std::uint32_t>(i);
  if (n < 2) return;
  const auto [lo, hi] = std::minmax_element(keys.begin(), keys.end());
  const std::uint64_t min = *lo, span = *hi - *lo;
  for (auto& k : keys) k -= min;
  constexpr int kBits = 8;
  constexpr size_t kBuckets = size_t{1} << kBits;
  const int width = span == 0 ? 0 : 64 - std::countl_zero(span);
  std::vector<std::uint64_t> key_tmp(n);
  std::vector<std::uint32_t> row_tmp(n);
  std::vector<size_t> count(kBuckets);
  for (int shift = 0; shift < width; shift += kBits) {
    std::fill(count.begin(), count.end(), 0);
    for (size_t i = 0; i < n; ++i) ++count[(keys[i] >> shift) & (kBuckets - 1)];
    size_t sum = 0;
    for (auto& c : count) {
      const size_t here = c;
      c = sum;
      sum += here;
    }
    for (size_t i = 0; i < n; ++i) {
      const size_t at = count[(keys[i] >> shift) & (kBuckets - 1)]++;
      key_tmp[at] = keys[i];
      row_tmp[at] = rows[i];
    }
    keys.swap(key_tmp);
    rows.swap(row_tmp);
  }
}

}  // namespace carteira::internal

#endif  // CARTEIRA_SRC_CORE_RADIX_SORT_H_
