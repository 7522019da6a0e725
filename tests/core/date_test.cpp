#include "carteira/core/date.h"

#include <gtest/gtest.h>

#include <boost/date_time/gregorian/gregorian.hpp>

namespace carteira {
namespace {

TEST(ParseDate, AcceptsIsoBrazilianAndCompactForms) {
  const DayNumber expected = ToDayNumber(Date(2024, 3, 5));
  EXPECT_EQ(*ParseDate("2024-03-05"), expected);
  EXPECT_EQ(*ParseDate("05/03/2024"), expected);  // dd/mm/yyyy, not mm/dd
  EXPECT_EQ(*ParseDate("5/3/2024"), expected);
  EXPECT_EQ(*ParseDate("20240305"), expected);
  EXPECT_EQ(*ParseDate("2024-03-05 00:00:00"), expected);
  EXPECT_EQ(*ParseDate("2024-03-05T13:45:00"), expected);
}

TEST(ParseDate, RejectsImpossibleDatesSayingWhy) {
  auto feb30 = ParseDate("30/02/2024");
  ASSERT_FALSE(feb30.ok());
  EXPECT_NE(feb30.status().message().find("30/02/2024"), std::string::npos);
  EXPECT_NE(feb30.status().message().find("day 30"), std::string::npos);
  EXPECT_TRUE(ParseDate("29/02/2024").ok());   // leap year
  EXPECT_FALSE(ParseDate("29/02/2023").ok());
  EXPECT_FALSE(ParseDate("2024-13-01").ok());
  EXPECT_FALSE(ParseDate("0202-01-01").ok());  // a typo, not the year 202
  EXPECT_FALSE(ParseDate("").ok());
  EXPECT_FALSE(ParseDate("ontem").ok());
  EXPECT_FALSE(ParseDate("2024-03-05x").ok());
  EXPECT_FALSE(ParseDate("1/2/24").ok());
}

TEST(DayNumber, RoundTripsThroughBoostAndIsoText) {
  EXPECT_EQ(ToDayNumber(Date(1970, 1, 1)), 0);
  EXPECT_EQ(ToDayNumber(Date(1997, 9, 30)) - ToDayNumber(Date(1997, 1, 1)), 272);
  for (DayNumber d = DaysFromCivil(1900, 1, 1); d <= DaysFromCivil(2199, 12, 31); d += 97) {
    EXPECT_EQ(ToDayNumber(ToDate(d)), d);
    EXPECT_EQ(*ParseDate(FormatDate(d)), d);
    EXPECT_EQ(FormatDate(d), boost::gregorian::to_iso_extended_string(ToDate(d)));
  }
  EXPECT_EQ(FormatDate(kNoDay), "");
}

TEST(DayNumber, FormatsEveryYearWithFourDigitsOrMore) {
  EXPECT_EQ(FormatDate(DaysFromCivil(0, 1, 1)), "0000-01-01");
  EXPECT_EQ(FormatDate(DaysFromCivil(9, 2, 28)), "0009-02-28");
  EXPECT_EQ(FormatDate(DaysFromCivil(2024, 2, 29)), "2024-02-29");
  EXPECT_EQ(FormatDate(DaysFromCivil(9999, 12, 31)), "9999-12-31");
  EXPECT_EQ(FormatDate(DaysFromCivil(9999, 12, 31) + 1), "10000-01-01");
  EXPECT_EQ(FormatDate(DaysFromCivil(0, 1, 1) - 1), "-001-12-31");
}

}  // namespace
}  // namespace carteira
