#include "carteira/report/locale_format.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace carteira {
namespace {

constexpr auto kPt = ReportLanguage::kPtBr;
constexpr auto kEn = ReportLanguage::kEn;

TEST(LocaleFormat, LanguageTagsParseAndPrint) {
  EXPECT_EQ(ParseReportLanguage("pt-BR"), kPt);
  EXPECT_EQ(ParseReportLanguage("pt_br"), kPt);
  EXPECT_EQ(ParseReportLanguage("PT"), kPt);
  EXPECT_EQ(ParseReportLanguage("en"), kEn);
  EXPECT_EQ(ParseReportLanguage("en-US"), kEn);
  EXPECT_FALSE(ParseReportLanguage("fr").has_value());
  EXPECT_FALSE(ParseReportLanguage("").has_value());
  EXPECT_EQ(ReportLanguageTag(kPt), "pt-BR");
  EXPECT_EQ(ReportLanguageTag(kEn), "en");
}

TEST(LocaleFormat, IntegersGroupThousandsByLanguage) {
  EXPECT_EQ(FormatInteger(0, kPt), "0");
  EXPECT_EQ(FormatInteger(999, kPt), "999");
  EXPECT_EQ(FormatInteger(1000, kPt), "1.000");
  EXPECT_EQ(FormatInteger(1234567, kPt), "1.234.567");
  EXPECT_EQ(FormatInteger(1234567, kEn), "1,234,567");
  EXPECT_EQ(FormatInteger(-1234, kPt), "-1.234");
  EXPECT_EQ(FormatInteger(std::numeric_limits<std::int64_t>::min(), kEn), "-9,223,372,036,854,775,808");
}

TEST(LocaleFormat, MoneyFromMinorUnitsWithTwoDecimals) {
  EXPECT_EQ(FormatAmount(123456, kPt), "1.234,56");
  EXPECT_EQ(FormatAmount(123456, kEn), "1,234.56");
  EXPECT_EQ(FormatAmount(5, kPt), "0,05");
  EXPECT_EQ(FormatAmount(0, kEn), "0.00");
  EXPECT_EQ(FormatAmount(123456, kPt, "R$"), "R$ 1.234,56");
  EXPECT_EQ(FormatAmount(-500, kPt, "R$"), "-R$ 5,00");
  EXPECT_EQ(FormatAmount(-500, kEn), "-5.00");
  EXPECT_EQ(FormatAmount(std::optional<MinorUnits>(), kPt, "R$"), kNoValue);
  EXPECT_EQ(FormatAmount(std::numeric_limits<MinorUnits>::min(), kPt), "-92.233.720.368.547.758,08");
}

TEST(LocaleFormat, MoneyIsExactBeyondWhatADoubleHolds) {
  // 2^53 + 1 centavos: a double would print ...409,92.
  EXPECT_EQ(FormatAmount(9007199254740993, kPt), "90.071.992.547.409,93");
  EXPECT_EQ(FormatAmount(9007199254740993, kEn), "90,071,992,547,409.93");
}

TEST(LocaleFormat, ShortAmountsRoundHalfAwayFromZeroInTheirUnit) {
  EXPECT_EQ(FormatAmountShort(0, kPt), "0");
  EXPECT_EQ(FormatAmountShort(85049, kPt), "850");      // 850,49
  EXPECT_EQ(FormatAmountShort(99950, kPt), "1 mil");    // 999,50 -> 1.000
  EXPECT_EQ(FormatAmountShort(99950, kEn), "1k");
  EXPECT_EQ(FormatAmountShort(125000, kPt), "1,3 mil");  // 1.250,00: half away from zero
  EXPECT_EQ(FormatAmountShort(123456789, kPt), "1,2 mi");
  EXPECT_EQ(FormatAmountShort(123456789, kEn), "1.2M");
  EXPECT_EQ(FormatAmountShort(99996000, kPt), "1 mi");  // 999.960,00 -> 1.000,0 mil -> 1 mi
  EXPECT_EQ(FormatAmountShort(272813570050, kPt, "R$"), "R$ 2,7 bi");
  EXPECT_EQ(FormatAmountShort(2000000000000000, kPt), "20.000 bi");
  EXPECT_EQ(FormatAmountShort(-150000, kPt, "R$"), "-R$ 1,5 mil");
  EXPECT_EQ(FormatAmountShort(-20, kPt), "0");  // -0,20 rounds to 0: no sign
}

TEST(LocaleFormat, DecimalsAndPercentagesNeverShowNaN) {
  EXPECT_EQ(FormatDecimal(1234.5, 1, kPt), "1.234,5");
  EXPECT_EQ(FormatDecimal(1234.5, 1, kEn), "1,234.5");
  EXPECT_EQ(FormatDecimal(0.8164, 3, kPt), "0,816");
  EXPECT_EQ(FormatDecimal(-2.25, 0, kEn), "-2");
  EXPECT_EQ(FormatDecimal(-0.04, 1, kPt), "0,0");  // not "-0,0"
  EXPECT_EQ(FormatDecimal(std::nullopt, 1, kPt), kNoValue);
  EXPECT_EQ(FormatDecimal(std::nan(""), 1, kPt), kNoValue);
  EXPECT_EQ(FormatDecimal(std::numeric_limits<double>::infinity(), 1, kEn), kNoValue);
  EXPECT_EQ(FormatPercent(0.1234, 1, kPt), "12,3%");
  EXPECT_EQ(FormatPercent(0.1234, 1, kEn), "12.3%");
  EXPECT_EQ(FormatPercent(1.0, 0, kPt), "100%");
  EXPECT_EQ(FormatPercent(std::nullopt, 1, kPt), kNoValue);
}

TEST(LocaleFormat, DatesAndMonthsByLanguage) {
  const DayNumber day = DaysFromCivil(2026, 10, 31);
  EXPECT_EQ(FormatDay(day, kPt), "31/10/2026");
  EXPECT_EQ(FormatDay(day, kEn), "2026-10-31");
  EXPECT_EQ(FormatDay(DaysFromCivil(2025, 1, 5), kPt), "05/01/2025");
  EXPECT_EQ(FormatDay(kNoDay, kPt), kNoValue);
  EXPECT_EQ(FormatMonth(day, kPt), "out/2026");
  EXPECT_EQ(FormatMonth(day, kEn), "Oct 2026");
  EXPECT_EQ(FormatMonth(DaysFromCivil(2025, 2, 1), kPt), "fev/2025");
}

}  // namespace
}  // namespace carteira
