#include "carteira/hygiene/phone.h"

#include <atomic>
#include <cstdint>
#include <optional>

#include <phonenumbers/phonenumber.pb.h>
#include <phonenumbers/phonenumberutil.h>

#include "carteira/core/strings.h"

namespace carteira::hygiene {
namespace {

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;

constexpr int kBrazil = 55;

PhoneType FromLibrary(PhoneNumberUtil::PhoneNumberType t) {
  switch (t) {
    case PhoneNumberUtil::MOBILE: return PhoneType::kMobile;
    case PhoneNumberUtil::FIXED_LINE: return PhoneType::kFixedLine;
    case PhoneNumberUtil::FIXED_LINE_OR_MOBILE: return PhoneType::kFixedLineOrMobile;
    case PhoneNumberUtil::TOLL_FREE: return PhoneType::kTollFree;
    case PhoneNumberUtil::PREMIUM_RATE: return PhoneType::kPremiumRate;
    case PhoneNumberUtil::SHARED_COST: return PhoneType::kSharedCost;
    case PhoneNumberUtil::VOIP: return PhoneType::kVoip;
    case PhoneNumberUtil::UNKNOWN: return PhoneType::kUnknown;
    default: return PhoneType::kOther;
  }
}

// libphonenumber's Parse runs a dozen ICU regular expressions (about 16 us a
// number, most of the time a million-customer check takes). Brazilian
// numbers written the ordinary way, "(11) 98765-4321", "11987654321" or
// "+55 11 98765-4321", need none of them: the digits are DDD + subscriber.
// Those get the national number read here; validity and type still come
// from the library's metadata. Anything else (a leading 0, a carrier code,
// letters, another country) goes through Parse. tests/hygiene/phone_test.cpp
// checks that both paths agree.
std::optional<PhoneNumber> ReadPlainBrazilian(std::string_view s) {
  std::uint64_t national = 0;
  int digits = 0;
  bool plus = false;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c >= '0' && c <= '9') {
      if (digits == 19) return std::nullopt;
      national = national * 10 + static_cast<std::uint64_t>(c - '0');
      ++digits;
    } else if (c == '+' && digits == 0 && !plus) {
      plus = true;
    } else if (c != ' ' && c != '(' && c != ')' && c != '-' && c != '.') {
      return std::nullopt;
    }
  }
  if (plus) {
    // "+55" then DDD and subscriber: 12 or 13 digits in all.
    if (digits != 12 && digits != 13) return std::nullopt;
    const std::uint64_t scale = digits == 12 ? 10'000'000'000ULL : 100'000'000'000ULL;
    if (national / scale != kBrazil) return std::nullopt;
    national %= scale;
    digits -= 2;
  } else if (digits != 10 && digits != 11) {
    return std::nullopt;
  }
  // A DDD never starts with 0 (that is the trunk prefix).
  const std::uint64_t first = national / (digits == 10 ? 1'000'000'000ULL : 10'000'000'000ULL);
  if (first == 0) return std::nullopt;
  PhoneNumber n;
  n.set_country_code(kBrazil);
  n.set_national_number(national);
  return n;
}

PhoneProblem FromParseError(PhoneNumberUtil::ErrorType e) {
  switch (e) {
    case PhoneNumberUtil::INVALID_COUNTRY_CODE_ERROR: return PhoneProblem::kInvalidCountry;
    case PhoneNumberUtil::TOO_SHORT_AFTER_IDD:
    case PhoneNumberUtil::TOO_SHORT_NSN: return PhoneProblem::kTooShort;
    case PhoneNumberUtil::TOO_LONG_NSN: return PhoneProblem::kTooLong;
    default: return PhoneProblem::kNotANumber;
  }
}

PhoneProblem FromPossibility(PhoneNumberUtil::ValidationResult v) {
  switch (v) {
    case PhoneNumberUtil::INVALID_COUNTRY_CODE: return PhoneProblem::kInvalidCountry;
    case PhoneNumberUtil::TOO_SHORT: return PhoneProblem::kTooShort;
    case PhoneNumberUtil::TOO_LONG: return PhoneProblem::kTooLong;
    default: return PhoneProblem::kInvalid;
  }
}

// libphonenumber's verdict on a number: its type (UNKNOWN when invalid) and
// IsPossibleNumberWithReason (read only when invalid).
struct Verdict {
  PhoneNumberUtil::PhoneNumberType type;
  PhoneNumberUtil::ValidationResult possibility;
};

Verdict AskLibrary(const PhoneNumberUtil& util, const PhoneNumber& n) {
  Verdict v{util.GetNumberType(n), PhoneNumberUtil::IS_POSSIBLE};
  if (v.type == PhoneNumberUtil::UNKNOWN) v.possibility = util.IsPossibleNumberWithReason(n);
  return v;
}

// GetNumberType runs up to seven ICU regular expressions per call (~1.5 us).
// For a Brazilian national number of 10 or 11 digits the answer depends on
// the length and the leading digits only: in the BR metadata every pattern
// that admits those lengths is "three leading digits, then \d{k}":
//   general     (?:[1-46-9]\d\d|5(?:[0-46-9]\d|5[0-46-9]))\d{8}|[1-9]\d{9}|...
//   fixed_line  (?:[14689][1-9]|2[12478]|3[1-578]|5[13-5]|7[13-579])[2-5]\d{7}
//   mobile      (?:[14689][1-9]|2[12478]|3[1-578]|5[13-5]|7[13-579])(?:7|9\d)\d{7}
//   toll_free   800\d{6,7}        premium_rate  300\d{6}|[59]00\d{6,7}
//   shared_cost (?:30[03]\d{3}|4(?:0(?:0\d|20)|370))\d{4}|300\d{5}
// and IsPossibleNumberWithReason depends on the length alone. The memo is
// keyed on four leading digits (one more than needed, a margin should a
// later metadata split on the DDD's next digit) and the length, filled on
// first use. The metadata is a process-wide singleton, so is the memo; its
// entries are atomics (relaxed: any thread that computes one writes the same
// value). tests/hygiene/phone_test.cpp checks the BR patterns are still
// these and compares the memo with the library on 200,000 random numbers.
class BrazilMemo {
 public:
  static constexpr std::uint64_t kKeys = 10'000;

  Verdict Get(const PhoneNumberUtil& util, std::uint64_t national, int digits) {
    const std::uint64_t key = national / (digits == 10 ? 1'000'000ULL : 10'000'000ULL);
    std::atomic<std::uint16_t>& slot = entries_[digits == 11][key];
    std::uint16_t e = slot.load(std::memory_order_relaxed);
    if (e == 0) {
      PhoneNumber n;
      n.set_country_code(kBrazil);
      n.set_national_number(national);
      const Verdict v = AskLibrary(util, n);
      e = static_cast<std::uint16_t>(1 | (static_cast<unsigned>(v.type) << 1) |
                                     (static_cast<unsigned>(v.possibility) << 8));
      slot.store(e, std::memory_order_relaxed);
    }
    return Verdict{static_cast<PhoneNumberUtil::PhoneNumberType>((e >> 1) & 0x7F),
                   static_cast<PhoneNumberUtil::ValidationResult>(e >> 8)};
  }

 private:
  std::atomic<std::uint16_t> entries_[2][kKeys] = {};
};

BrazilMemo& Memo() {
  static BrazilMemo* memo = new BrazilMemo();  // never destroyed: usable at exit
  return *memo;
}

// "+55" and the digits: libphonenumber's E.164 for a Brazilian number
// without leading zeros.
std::string BrazilE164(std::uint64_t national) {
  char buffer[24] = {'+', '5', '5'};
  char digits[20];
  int n = 0;
  do {
    digits[n++] = static_cast<char>('0' + national % 10);
    national /= 10;
  } while (national != 0);
  for (int i = 0; i < n; ++i) buffer[3 + i] = digits[n - 1 - i];
  return std::string(buffer, static_cast<size_t>(3 + n));
}

// An old 8-digit mobile: DDD + 8 digits starting with 6-9. With the 9 in
// front of the subscriber number, is it a valid mobile?
std::string NinthDigitSuggestion(const PhoneNumberUtil& util, const PhoneNumber& n) {
  if (n.country_code() != kBrazil) return {};
  const std::uint64_t national = n.national_number();
  if (national < 1'000'000'000ULL || national >= 10'000'000'000ULL) return {};  // not 10 digits
  const std::uint64_t ddd = national / 100'000'000ULL;
  const std::uint64_t subscriber = national % 100'000'000ULL;
  if (subscriber / 10'000'000ULL < 6) return {};
  // A fresh number: its type depends on its 11 digits alone (the memo).
  const std::uint64_t fixed = ddd * 1'000'000'000ULL + 900'000'000ULL + subscriber;
  if (Memo().Get(util, fixed, 11).type != PhoneNumberUtil::MOBILE) return {};
  return BrazilE164(fixed);
}

bool Blank(std::string_view s) {
  for (const char c : s) {
    if (c != ' ' && c != '\t') return false;
  }
  return true;
}

}  // namespace

std::string_view PhoneTypeName(PhoneType type) {
  switch (type) {
    case PhoneType::kUnknown: return "unknown";
    case PhoneType::kMobile: return "mobile";
    case PhoneType::kFixedLine: return "fixed_line";
    case PhoneType::kFixedLineOrMobile: return "fixed_line_or_mobile";
    case PhoneType::kTollFree: return "toll_free";
    case PhoneType::kPremiumRate: return "premium_rate";
    case PhoneType::kSharedCost: return "shared_cost";
    case PhoneType::kVoip: return "voip";
    case PhoneType::kOther: return "other";
  }
  return "unknown";
}

std::string_view PhoneProblemName(PhoneProblem problem) {
  switch (problem) {
    case PhoneProblem::kNone: return "none";
    case PhoneProblem::kEmpty: return "empty";
    case PhoneProblem::kNotANumber: return "not_a_number";
    case PhoneProblem::kInvalidCountry: return "invalid_country_code";
    case PhoneProblem::kTooShort: return "too_short";
    case PhoneProblem::kTooLong: return "too_long";
    case PhoneProblem::kInvalid: return "invalid_number";
  }
  return "unknown";
}

std::string PhoneResult::Describe() const {
  if (valid()) return StrCat(e164, " ", PhoneTypeName(type));
  std::string text = StrCat("invalid phone: ", PhoneProblemName(problem));
  if (!suggestion.empty()) StrAppend(&text, " (old 8-digit mobile? suggested ", suggestion, ")");
  return text;
}

PhoneChecker::PhoneChecker(std::string default_region) : region_(std::move(default_region)) {
  // Loads the metadata now, not on the first Check.
  (void)PhoneNumberUtil::GetInstance();
}

PhoneResult PhoneChecker::Check(std::string_view input) const {
  const PhoneNumberUtil& util = *PhoneNumberUtil::GetInstance();
  PhoneResult r;
  if (Blank(input)) return r;
  std::optional<PhoneNumber> number;
  Verdict verdict;
  if (region_ == "BR") number = ReadPlainBrazilian(input);
  const bool plain = number.has_value();
  if (plain) {
    // 10 or 11 digits, no leading zero: the memo answers.
    const std::uint64_t national = number->national_number();
    verdict = Memo().Get(util, national, national >= 10'000'000'000ULL ? 11 : 10);
  } else {
    PhoneNumber parsed;
    const auto error = util.Parse(std::string(input), region_, &parsed);
    if (error != PhoneNumberUtil::NO_PARSING_ERROR) {
      r.problem = FromParseError(error);
      return r;
    }
    number = std::move(parsed);
    // GetNumberType is UNKNOWN exactly when IsValidNumber is false (both ask
    // the region's metadata), so one call answers both.
    verdict = AskLibrary(util, *number);
  }
  if (verdict.type == PhoneNumberUtil::UNKNOWN) {
    r.problem = FromPossibility(verdict.possibility);
    r.suggestion = NinthDigitSuggestion(util, *number);
    return r;
  }
  r.problem = PhoneProblem::kNone;
  r.type = FromLibrary(verdict.type);
  if (plain) {
    r.e164 = BrazilE164(number->national_number());
  } else {
    util.Format(*number, PhoneNumberUtil::E164, &r.e164);
  }
  return r;
}

}  // namespace carteira::hygiene
