#include "carteira/hygiene/similarity.h"

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
