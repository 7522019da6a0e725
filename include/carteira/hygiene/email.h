// E-mail addresses: a practical syntax check (what mail providers accept,
// not the whole of RFC 5322: no quoted local parts, comments or IP
// literals), the domain lower-cased, and a suggestion when the domain looks
// like a typo of a common provider. A suggestion is never applied here.
#ifndef CARTEIRA_HYGIENE_EMAIL_H_
#define CARTEIRA_HYGIENE_EMAIL_H_

#include <span>
#include <string>
#include <string_view>

namespace carteira::hygiene {

enum class EmailProblem {
  kNone,
  kEmpty,
  kMissingAt,
  kManyAt,
  kEmptyLocalPart,
  kLocalPartTooLong,   // > 64 bytes
  kBadCharacter,       // at `position`
  kDotPlacement,       // leading, trailing or consecutive dots
  kEmptyDomain,
  kDomainWithoutDot,
  kBadDomainLabel,     // empty, > 63 bytes, or starting/ending with '-'
  kBadTopLevelDomain,  // digits or a single letter
  kTooLong,            // > 254 bytes
};

struct EmailResult {
  EmailProblem problem = EmailProblem::kEmpty;
  int position = 0;        // 1-based byte position in the trimmed input, for kBadCharacter
  std::string normalized;  // trimmed, domain lower-cased; only when valid
  // A likely intended address ("ana@gmail.com" for "ana@gmial.com") when
  // the domain is close to a common provider's; empty otherwise.
  std::string suggestion;

  bool valid() const { return problem == EmailProblem::kNone; }
  std::string Describe() const;
};

std::string_view EmailProblemName(EmailProblem problem);

// The providers typos are checked against (Brazilian and global).
std::span<const std::string_view> CommonEmailDomains();

EmailResult CheckEmail(std::string_view input);

// The common provider `domain` (lower-case) is likely a typo of, or empty
// when none is close enough or `domain` is itself a common one.
std::string SuggestDomain(std::string_view domain);

}  // namespace carteira::hygiene

#endif  // CARTEIRA_HYGIENE_EMAIL_H_
