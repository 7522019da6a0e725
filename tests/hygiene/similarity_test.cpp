#include "carteira/hygiene/similarity.h"

#include <algorithm>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace carteira::hygiene {
namespace {

TEST(SimilarityTest, EditDistanceCountsASwapOfNeighboursAsOne) {
  EXPECT_EQ(EditDistance("gmial.com", "gmail.com"), 1);
  EXPECT_EQ(EditDistance("hotmal.com", "hotmail.com"), 1);
  EXPECT_EQ(EditDistance("kitten", "sitting"), 3);
  EXPECT_EQ(EditDistance("", "abc"), 3);
  EXPECT_EQ(EditDistance("abc", "abc"), 0);
}

TEST(SimilarityTest, EditDistanceStopsPastTheLimit) {
  EXPECT_EQ(EditDistance("kitten", "sitting", 1), 2);
  EXPECT_EQ(EditDistance("a", "abcdef", 2), 3);
}

// The implementation before its rows moved to the stack, kept to compare.
int ReferenceEditDistance(std::string_view a, std::string_view b, int limit) {
  const int n = static_cast<int>(a.size());
  const int m = static_cast<int>(b.size());
  if (std::abs(n - m) > limit) return limit + 1;
  std::vector<int> prev2(m + 1), prev(m + 1), cur(m + 1);
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
    std::swap(prev2, prev);
    std::swap(prev, cur);
  }
  return std::min(prev[m], limit + 1);
}

TEST(SimilarityTest, EditDistanceAgreesWithThePreviousImplementation) {
  std::mt19937 rng(3);
  for (int k = 0; k < 100'000; ++k) {
    // Small alphabets so that swaps and near matches are frequent; lengths
    // on both sides of the 64-cell stack rows.
    auto random_string = [&] {
      const size_t length = rng() % 8 == 0 ? 60 + rng() % 10 : rng() % 16;
      std::string s;
      for (size_t i = 0; i < length; ++i) s.push_back(static_cast<char>('a' + rng() % 4));
      return s;
    };
    const std::string a = random_string();
    std::string b = rng() % 2 ? random_string() : a;
    if (!b.empty() && rng() % 2) b[rng() % b.size()] = 'z';
    if (b.size() > 1 && rng() % 2) std::swap(b[0], b[1]);
    const int limit = rng() % 4 == 0 ? 1 << 20 : static_cast<int>(rng() % 5);
    ASSERT_EQ(EditDistance(a, b, limit), ReferenceEditDistance(a, b, limit)) << a << " " << b;
  }
}

TEST(SimilarityTest, JaroWinklerKnownValues) {
  // The textbook pairs (Winkler 1990).
  EXPECT_NEAR(JaroWinkler("martha", "marhta"), 0.961, 1e-3);
  EXPECT_NEAR(JaroWinkler("dwayne", "duane"), 0.84, 1e-3);
  EXPECT_NEAR(JaroWinkler("dixon", "dicksonx"), 0.813, 1e-3);
  EXPECT_DOUBLE_EQ(JaroWinkler("ana", "ana"), 1.0);
  EXPECT_DOUBLE_EQ(JaroWinkler("abc", "xyz"), 0.0);
  EXPECT_DOUBLE_EQ(JaroWinkler("", "ana"), 0.0);
}

TEST(SimilarityTest, JaroWinklerRanksATypoAboveAnotherPerson) {
  EXPECT_GT(JaroWinkler("livia machado", "livia machdo"), 0.95);
  EXPECT_LT(JaroWinkler("livia machado", "anderson nunes"), 0.6);
}

}  // namespace
}  // namespace carteira::hygiene
