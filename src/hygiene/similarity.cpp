#include "carteira/hygiene/similarity.h"

#include <algorithm>
#include <cstdlib>
#include <vector>

namespace carteira::hygiene {

namespace {

// Three rows of m + 1 cells given by the caller: the swap of neighbours
// looks two rows back.
int EditDistanceRows(std::string_view a, std::string_view b, int limit, int* prev2, int* prev,
                     int* cur) {
  const int n = static_cast<int>(a.size());
  const int m = static_cast<int>(b.size());
  for (int j = 0; j <= m; ++j) prev[j] = j;
  for (int i = 1; i <= n; ++i) {
    cur[0] = i;
    int row_min = cur[0];
    for (int j = 1; j <= m; ++j) {
      const int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      int d = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d = std::min(d, prev2[j - 2] + 1);
      }
      cur[j] = d;
      row_min = std::min(row_min, d);
    }
    if (row_min > limit) return limit + 1;
    int* const oldest = prev2;
    prev2 = prev;
    prev = cur;
    cur = oldest;
  }
  return std::min(prev[m], limit + 1);
}

}  // namespace

int EditDistance(std::string_view a, std::string_view b, int limit) {
  const int n = static_cast<int>(a.size());
  const int m = static_cast<int>(b.size());
  if (std::abs(n - m) > limit) return limit + 1;
  // Domains and names are short: rows on the stack, no allocation.
  constexpr int kStack = 64;
  if (m < kStack) {
    int rows[3][kStack];
    return EditDistanceRows(a, b, limit, rows[0], rows[1], rows[2]);
  }
  std::vector<int> rows(3 * static_cast<size_t>(m + 1));
  return EditDistanceRows(a, b, limit, rows.data(), rows.data() + m + 1, rows.data() + 2 * (m + 1));
}

double JaroWinkler(std::string_view a, std::string_view b) {
  if (a.empty() && b.empty()) return 1.0;
  if (a.empty() || b.empty()) return 0.0;
  if (a == b) return 1.0;
  const int n = static_cast<int>(a.size());
  const int m = static_cast<int>(b.size());
  const int window = std::max(0, std::max(n, m) / 2 - 1);
  // Names are short: fixed buffers avoid an allocation per comparison,
  // which matters when a million candidate pairs are scored.
  constexpr int kStack = 128;
  bool a_stack[kStack] = {}, b_stack[kStack] = {};
  if (n > kStack || m > kStack) {
    // Long strings (addresses pasted into the name field): compare their
    // leading kStack bytes, enough to tell whether they are alike.
    return JaroWinkler(a.substr(0, kStack), b.substr(0, kStack));
  }
  int matches = 0;
  for (int i = 0; i < n; ++i) {
    const int lo = std::max(0, i - window);
    const int hi = std::min(m - 1, i + window);
    for (int j = lo; j <= hi; ++j) {
      if (!b_stack[j] && a[i] == b[j]) {
        a_stack[i] = b_stack[j] = true;
        ++matches;
        break;
      }
    }
  }
  if (matches == 0) return 0.0;
  int transpositions = 0;
  for (int i = 0, j = 0; i < n; ++i) {
    if (!a_stack[i]) continue;
    while (!b_stack[j]) ++j;
    if (a[i] != b[j]) ++transpositions;
    ++j;
  }
  const double mm = matches;
  const double jaro = (mm / n + mm / m + (mm - transpositions / 2.0) / mm) / 3.0;
  int prefix = 0;
  while (prefix < 4 && prefix < n && prefix < m && a[prefix] == b[prefix]) ++prefix;
  return jaro + prefix * 0.1 * (1.0 - jaro);
}

}  // namespace carteira::hygiene
