#include "carteira/hygiene/phone.h"

#include <cstdio>
#include <random>
#include <string>

#include <phonenumbers/phonemetadata.pb.h>
#include <phonenumbers/phonenumberutil.h>

#include "gtest/gtest.h"

// The compiled-in metadata (exported by libphonenumber, declared in its
// uninstalled metadata.h).
namespace i18n::phonenumbers {
int metadata_size();
const void* metadata_get();
}  // namespace i18n::phonenumbers

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

// What Check answered before the memo: libphonenumber asked directly
// (GetNumberType, IsValidNumber, IsPossibleNumberWithReason, Format, and the
// ninth-digit retry) about the number as the plain reading takes it: +55,
// DDD and subscriber. (Parse would differ for a "DDD" starting with 90,
// which it strips as a carrier prefix; the plain reading never did.)
PhoneResult ReferenceCheck(const std::string& input, std::uint64_t national) {
  using i18n::phonenumbers::PhoneNumber;
  using i18n::phonenumbers::PhoneNumberUtil;
  const PhoneNumberUtil& util = *PhoneNumberUtil::GetInstance();
  PhoneResult r;
  PhoneNumber n;
  n.set_country_code(55);
  n.set_national_number(national);
  const auto type = util.GetNumberType(n);
  if (type != PhoneNumberUtil::UNKNOWN) {
    EXPECT_TRUE(util.IsValidNumber(n)) << input;
    r.problem = PhoneProblem::kNone;
    r.type = type == PhoneNumberUtil::MOBILE       ? PhoneType::kMobile
             : type == PhoneNumberUtil::FIXED_LINE ? PhoneType::kFixedLine
             : type == PhoneNumberUtil::TOLL_FREE  ? PhoneType::kTollFree
             : type == PhoneNumberUtil::PREMIUM_RATE ? PhoneType::kPremiumRate
             : type == PhoneNumberUtil::SHARED_COST  ? PhoneType::kSharedCost
                                                     : PhoneType::kOther;
    util.Format(n, PhoneNumberUtil::E164, &r.e164);
    return r;
  }
  EXPECT_FALSE(util.IsValidNumber(n)) << input;
  switch (util.IsPossibleNumberWithReason(n)) {
    case PhoneNumberUtil::TOO_SHORT: r.problem = PhoneProblem::kTooShort; break;
    case PhoneNumberUtil::TOO_LONG: r.problem = PhoneProblem::kTooLong; break;
    case PhoneNumberUtil::INVALID_COUNTRY_CODE: r.problem = PhoneProblem::kInvalidCountry; break;
    default: r.problem = PhoneProblem::kInvalid; break;
  }
  if (n.country_code() == 55 && national >= 1'000'000'000ULL && national < 10'000'000'000ULL &&
      national % 100'000'000ULL >= 60'000'000ULL) {
    PhoneNumber fixed;
    fixed.set_country_code(55);
    fixed.set_national_number(national / 100'000'000ULL * 1'000'000'000ULL + 900'000'000ULL +
                              national % 100'000'000ULL);
    if (util.GetNumberType(fixed) == PhoneNumberUtil::MOBILE) {
      util.Format(fixed, PhoneNumberUtil::E164, &r.suggestion);
    }
  }
  return r;
}

// The memo of validity and type by length and leading digits must give
// libphonenumber's own answer: 200,000 random numbers over every two-digit
// DDD (valid or not), 10 and 11 digits, every leading digit, written in the
// usual formats. In random order, so most are answered from the memo that
// an earlier number filled.
TEST(PhoneTest, MemoisedTypeAgreesWithLibraryOnRandomNumbers) {
  std::mt19937_64 rng(55);
  int valid = 0, suggested = 0;
  for (int k = 0; k < 200'000; ++k) {
    const int ddd = static_cast<int>(rng() % 90) + 10;
    const bool eleven = rng() % 2 == 0;
    // Subscriber: random leading digit, then random digits.
    const std::uint64_t subscriber =
        eleven ? rng() % 1'000'000'000ULL : rng() % 100'000'000ULL;
    char digits[16];
    std::snprintf(digits, sizeof digits, eleven ? "%09llu" : "%08llu",
                  static_cast<unsigned long long>(subscriber));
    const std::string sub(digits);
    const std::string head = sub.substr(0, sub.size() - 4), tail = sub.substr(sub.size() - 4);
    std::string input;
    switch (rng() % 4) {
      case 0: input = "(" + std::to_string(ddd) + ") " + head + "-" + tail; break;
      case 1: input = std::to_string(ddd) + sub; break;
      case 2: input = "+55 " + std::to_string(ddd) + " " + head + "-" + tail; break;
      default: input = "+55(" + std::to_string(ddd) + ")" + sub; break;
    }
    const PhoneResult got = Checker().Check(input);
    const std::uint64_t national =
        static_cast<std::uint64_t>(ddd) * (eleven ? 1'000'000'000ULL : 100'000'000ULL) + subscriber;
    const PhoneResult want = ReferenceCheck(input, national);
    ASSERT_EQ(got.problem, want.problem) << input;
    ASSERT_EQ(got.type, want.type) << input;
    ASSERT_EQ(got.e164, want.e164) << input;
    ASSERT_EQ(got.suggestion, want.suggestion) << input;
    valid += got.valid();
    suggested += !got.suggestion.empty();
  }
  // Both outcomes well represented.
  EXPECT_GT(valid, 20'000);
  EXPECT_GT(suggested, 1'000);
}

// The memo rests on the shape of the BR patterns (three leading digits,
// then \d{k}, for 10- and 11-digit numbers; see phone.cpp). Should an
// update of libphonenumber change them, this fails: check the memo's key
// against the new patterns before updating the strings here.
TEST(PhoneTest, BrazilMetadataIsTheOneTheMemoWasDerivedFrom) {
  i18n::phonenumbers::PhoneMetadataCollection collection;
  ASSERT_TRUE(collection.ParseFromArray(i18n::phonenumbers::metadata_get(),
                                        i18n::phonenumbers::metadata_size()));
  int found = 0;
  for (const auto& m : collection.metadata()) {
    if (m.id() != "BR") continue;
    ++found;
    EXPECT_EQ(m.general_desc().national_number_pattern(),
              "(?:[1-46-9]\\d\\d|5(?:[0-46-9]\\d|5[0-46-9]))\\d{8}|[1-9]\\d{9}|[3589]\\d{8}|[34]\\d{7}");
    EXPECT_EQ(m.fixed_line().national_number_pattern(),
              "(?:[14689][1-9]|2[12478]|3[1-578]|5[13-5]|7[13-579])[2-5]\\d{7}");
    EXPECT_EQ(m.mobile().national_number_pattern(),
              "(?:[14689][1-9]|2[12478]|3[1-578]|5[13-5]|7[13-579])(?:7|9\\d)\\d{7}");
    EXPECT_EQ(m.toll_free().national_number_pattern(), "800\\d{6,7}");
    EXPECT_EQ(m.premium_rate().national_number_pattern(), "300\\d{6}|[59]00\\d{6,7}");
    EXPECT_EQ(m.shared_cost().national_number_pattern(),
              "(?:30[03]\\d{3}|4(?:0(?:0\\d|20)|370))\\d{4}|300\\d{5}");
    for (const auto* desc : {&m.personal_number(), &m.voip(), &m.pager(), &m.uan(), &m.voicemail()}) {
      EXPECT_EQ(desc->national_number_pattern(), "");
    }
    EXPECT_FALSE(m.same_mobile_and_fixed_line_pattern());
  }
  EXPECT_EQ(found, 1);
}

TEST(PhoneTest, ACheckerForAnotherRegionReadsLocalNumbersThere) {
  const PhoneChecker portugal("PT");
  const PhoneResult r = portugal.Check("912 345 678");
  ASSERT_TRUE(r.valid()) << r.Describe();
  EXPECT_EQ(r.e164, "+351912345678");
}

}  // namespace
}  // namespace carteira::hygiene
