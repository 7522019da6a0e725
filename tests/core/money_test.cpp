#include "carteira/core/money.h"

#include <gtest/gtest.h>

namespace carteira {
namespace {

TEST(ParseMoney, ReadsTheFormatsUsersHave) {
  EXPECT_EQ(*ParseMoney("1234.56"), 123456);
  EXPECT_EQ(*ParseMoney("1.234,56"), 123456);
  EXPECT_EQ(*ParseMoney("1,234.56"), 123456);
  EXPECT_EQ(*ParseMoney("R$ 1.234,56"), 123456);
  EXPECT_EQ(*ParseMoney("R$\xc2\xa0" "1.234,56"), 123456);  // no-break space
  EXPECT_EQ(*ParseMoney("-89,90"), -8990);
  EXPECT_EQ(*ParseMoney("(89,90)"), -8990);
  EXPECT_EQ(*ParseMoney("12"), 1200);
  EXPECT_EQ(*ParseMoney("12,5"), 1250);
  EXPECT_EQ(*ParseMoney("0.10"), 10);
  EXPECT_EQ(*ParseMoney("1.234.567,89"), 123456789);
  EXPECT_EQ(*ParseMoney("29.330"), 2933000);  // thousands under the comma default
}

TEST(ParseMoney, AmbiguousThousandsFollowTheFileConvention) {
  EXPECT_EQ(*ParseMoney("1.234", DecimalSeparator::kComma), 123400);
  EXPECT_FALSE(ParseMoney("1.234", DecimalSeparator::kPoint).ok());  // 3 decimals
  EXPECT_EQ(*ParseMoney("1,234", DecimalSeparator::kPoint), 123400);
}

TEST(ParseMoney, NeverRoundsAndNamesTheProblem) {
  auto three = ParseMoney("1.2345");
  ASSERT_FALSE(three.ok());
  EXPECT_NE(three.status().message().find("exact"), std::string::npos);
  EXPECT_EQ(*ParseMoney("1.50000"), 150);  // trailing zeros are exact
  EXPECT_FALSE(ParseMoney("").ok());
  EXPECT_FALSE(ParseMoney("abc").ok());
  EXPECT_FALSE(ParseMoney("1,2,3").ok());
  EXPECT_FALSE(ParseMoney("12.34.5").ok());
  EXPECT_FALSE(ParseMoney("99999999999999999999").ok());
}

TEST(FormatMoney, IsExactBothWays) {
  EXPECT_EQ(FormatMoney(123456), "1234.56");
  EXPECT_EQ(FormatMoney(-5), "-0.05");
  EXPECT_EQ(FormatMoney(123456, /*decimal_comma=*/true), "1234,56");
  EXPECT_EQ(FormatMoney(std::numeric_limits<MinorUnits>::min()), "-92233720368547758.08");
  for (MinorUnits v : {0LL, 1LL, -1LL, 99LL, 100LL, 123456789LL}) {
    EXPECT_EQ(*ParseMoney(FormatMoney(v), DecimalSeparator::kPoint), v);
  }
}

}  // namespace
}  // namespace carteira
