#include "carteira/hygiene/phone.h"

#include <string>

#include <phonenumbers/phonenumberutil.h>

#include "gtest/gtest.h"

namespace carteira::hygiene {
namespace {

const PhoneChecker& Checker() {
  static const PhoneChecker checker("BR");
  return checker;
}

TEST(PhoneTest, BrazilianMobileAndFixedLineInE164) {
  PhoneResult r = Checker().Check("(11) 98765-4321");
  ASSERT_TRUE(r.valid()) << r.Describe();
  EXPECT_EQ(r.e164, "+5511987654321");
  EXPECT_EQ(r.type, PhoneType::kMobile);

  r = Checker().Check("+55 21 2345-6789");
  ASSERT_TRUE(r.valid()) << r.Describe();
  EXPECT_EQ(r.e164, "+552123456789");
  EXPECT_EQ(r.type, PhoneType::kFixedLine);

  r = Checker().Check("0800 123 4567");
  ASSERT_TRUE(r.valid()) << r.Describe();
  EXPECT_EQ(r.type, PhoneType::kTollFree);
}

TEST(PhoneTest, OtherCountriesNeedTheirPrefix) {
  const PhoneResult r = Checker().Check("+351 912 345 678");  // Portugal, mobile
  ASSERT_TRUE(r.valid()) << r.Describe();
  EXPECT_EQ(r.e164, "+351912345678");
  EXPECT_EQ(r.type, PhoneType::kMobile);
}

TEST(PhoneTest, OldEightDigitMobileIsInvalidWithTheNinthDigitSuggested) {
  const PhoneResult r = Checker().Check("(11) 8765-4321");
  EXPECT_FALSE(r.valid());
  EXPECT_EQ(r.problem, PhoneProblem::kInvalid);
  EXPECT_TRUE(r.e164.empty()) << "the fix must not be applied";
  EXPECT_EQ(r.suggestion, "+5511987654321");
  EXPECT_EQ(r.Describe(), "invalid phone: invalid_number (old 8-digit mobile? suggested +5511987654321)");
}

TEST(PhoneTest, NoNinthDigitSuggestionForFixedLinesOrValidNumbers) {
  // Starts with 3: a fixed line, valid as it is.
  PhoneResult r = Checker().Check("(11) 3456-7890");
  EXPECT_TRUE(r.valid());
  EXPECT_TRUE(r.suggestion.empty());
  // An 8-digit number starting with 1 is no old mobile.
  r = Checker().Check("(11) 1234-5678");
  EXPECT_FALSE(r.valid());
  EXPECT_TRUE(r.suggestion.empty());
}

TEST(PhoneTest, NamesWhyANumberIsInvalid) {
  EXPECT_EQ(Checker().Check("").problem, PhoneProblem::kEmpty);
  EXPECT_EQ(Checker().Check("não tem").problem, PhoneProblem::kNotANumber);
  EXPECT_EQ(Checker().Check("123").problem, PhoneProblem::kTooShort);
  EXPECT_EQ(Checker().Check("+55 11 98765-4321 1234 5678").problem, PhoneProblem::kTooLong);
  EXPECT_EQ(Checker().Check("+999 1234 5678").problem, PhoneProblem::kInvalidCountry);
}

// The fast reading of plain Brazilian numbers must agree with the library's
// own Parse on every format it takes.
TEST(PhoneTest, FastPathAgreesWithLibraryParse) {
  using i18n::phonenumbers::PhoneNumber;
  using i18n::phonenumbers::PhoneNumberUtil;
  const PhoneNumberUtil& util = *PhoneNumberUtil::GetInstance();
  int checked = 0;
  for (const char* ddd : {"11", "21", "31", "47", "61", "71", "85", "91", "99", "10", "20", "23"}) {
    for (const char* subscriber : {"98765-4321", "8765-4321", "3456-7890", "2345 6789", "99999999",
                                   "5123-4567", "91234-5678", "1234-5678", "7123-4567"}) {
      for (const std::string& input :
           {std::string("(") + ddd + ") " + subscriber, std::string(ddd) + subscriber,
            std::string("+55 ") + ddd + " " + subscriber, std::string("+55(") + ddd + ")" + subscriber}) {
        PhoneNumber parsed;
        ASSERT_EQ(util.Parse(input, "BR", &parsed), PhoneNumberUtil::NO_PARSING_ERROR) << input;
        const PhoneResult r = Checker().Check(input);
        EXPECT_EQ(r.valid(), util.IsValidNumber(parsed)) << input;
        if (r.valid()) {
          std::string e164;
          util.Format(parsed, PhoneNumberUtil::E164, &e164);
          EXPECT_EQ(r.e164, e164) << input;
        }
        ++checked;
      }
    }
  }
  EXPECT_EQ(checked, 12 * 9 * 4);
}

TEST(PhoneTest, ACheckerForAnotherRegionReadsLocalNumbersThere) {
  const PhoneChecker portugal("PT");
  const PhoneResult r = portugal.Check("912 345 678");
  ASSERT_TRUE(r.valid()) << r.Describe();
  EXPECT_EQ(r.e164, "+351912345678");
}

}  // namespace
}  // namespace carteira::hygiene
