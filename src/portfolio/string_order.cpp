#include "src/portfolio/string_order.h"

#include <algorithm>
#include <string_view>

#include "src/core/radix_sort.h"

namespace carteira::internal {
namespace {

// The first 8 bytes of a string, big-endian, zero-padded: two strings whose
// prefixes differ order as the prefixes do.
std::uint64_t Prefix(std::string_view s) {
  std::uint64_t v = 0;
  for (size_t i = 0; i < 8; ++i) v = (v << 8) | (i < s.size() ? static_cast<unsigned char>(s[i]) : 0u);
  return v;
}

}  // namespace

std::vector<std::uint32_t> StringOrder(const StringColumn& column) {
  const size_t n = column.size();
  bool in_order = true;
  for (size_t r = 1; r < n && in_order; ++r) in_order = column[r - 1] <= column[r];
  if (in_order) return {};
  std::vector<std::uint64_t> keys(n);
  for (size_t r = 0; r < n; ++r) keys[r] = Prefix(column[r]);
  std::vector<std::uint32_t> order;
  SortRowsByKey(keys, order);  // stable; leaves keys in sorted order
  for (size_t i = 0; i < n;) {
    size_t j = i + 1;
    while (j < n && keys[j] == keys[i]) ++j;
    if (j - i > 1) {
      std::stable_sort(order.begin() + static_cast<std::ptrdiff_t>(i), order.begin() + static_cast<std::ptrdiff_t>(j),
                       [&](std::uint32_t a, std::uint32_t b) { return column[a] < column[b]; });
    }
    i = j;
  }
  return order;
}

}  // namespace carteira::internal
