// Phone numbers through libphonenumber: validation with a default region
// (Brazil), E.164, and the line type. The old 8-digit mobile numbers that
// ERP records still hold ("(11) 8765-4321", from before the ninth digit)
// are invalid today; the number with the 9 added is offered as a suggested
// change, never applied here.
//
// libphonenumber's PhoneNumberUtil is a process-wide singleton whose
// metadata load is slow: a PhoneChecker takes it once at construction; make
// one and reuse it (it is const and safe to share between threads).
#ifndef CARTEIRA_HYGIENE_PHONE_H_
#define CARTEIRA_HYGIENE_PHONE_H_

#include <string>
#include <string_view>

namespace carteira::hygiene {

enum class PhoneType {
  kUnknown,
  kMobile,
  kFixedLine,
  kFixedLineOrMobile,  // regions where the two cannot be told apart
  kTollFree,           // 0800
  kPremiumRate,
  kSharedCost,         // 0300, 4004...
  kVoip,
  kOther,              // pager, UAN, voicemail, personal number
};

enum class PhoneProblem {
  kNone,
  kEmpty,
  kNotANumber,      // libphonenumber cannot read it as a phone number
  kInvalidCountry,  // no such country calling code
  kTooShort,
  kTooLong,
  kInvalid,         // the right length but no such number in the region's plan
};

struct PhoneResult {
  PhoneProblem problem = PhoneProblem::kEmpty;
  std::string e164;  // "+5511987654321"; set when valid
  PhoneType type = PhoneType::kUnknown;
  // When the input is an old 8-digit mobile: the E.164 number with the
  // ninth digit, valid as a mobile. Empty otherwise.
  std::string suggestion;

  bool valid() const { return problem == PhoneProblem::kNone; }
  std::string Describe() const;
};

std::string_view PhoneTypeName(PhoneType type);        // "mobile", "fixed_line", ...
std::string_view PhoneProblemName(PhoneProblem problem);  // "too_short", ...

class PhoneChecker {
 public:
  // `default_region`: ISO 3166 code for numbers written without "+country".
  explicit PhoneChecker(std::string default_region = "BR");

  PhoneResult Check(std::string_view input) const;

 private:
  std::string region_;
};

}  // namespace carteira::hygiene

#endif  // CARTEIRA_HYGIENE_PHONE_H_
