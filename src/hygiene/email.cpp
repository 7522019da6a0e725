#include "carteira/hygiene/email.h"

#include <algorithm>
#include <cstdint>

#include "absl/strings/ascii.h"
#include "carteira/core/strings.h"
#include "carteira/hygiene/similarity.h"

namespace carteira::hygiene {
namespace {

constexpr std::string_view kCommonDomains[] = {
    "gmail.com",      "hotmail.com",     "hotmail.com.br", "outlook.com",   "outlook.com.br",
    "live.com",       "msn.com",         "yahoo.com",      "yahoo.com.br",  "icloud.com",
    "me.com",         "bol.com.br",      "uol.com.br",     "terra.com.br",  "ig.com.br",
    "globo.com",      "globomail.com",   "r7.com",         "zipmail.com.br", "oi.com.br",
    "aol.com",        "protonmail.com",  "proton.me",      "gmx.com",
};

bool IsCommon(std::string_view domain) {
  return std::find(std::begin(kCommonDomains), std::end(kCommonDomains), domain) !=
         std::end(kCommonDomains);
}

bool LocalChar(char c) {
  if (absl::ascii_isalnum(static_cast<unsigned char>(c))) return true;
  constexpr std::string_view kAllowed = "!#$%&'*+/=?^_`{|}~.-";
  return kAllowed.find(c) != std::string_view::npos;
}

bool DomainChar(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.';
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && absl::ascii_isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && absl::ascii_isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

EmailResult Fail(EmailProblem problem, int position = 0) {
  EmailResult r;
  r.problem = problem;
  r.position = position;
  return r;
}

}  // namespace

std::span<const std::string_view> CommonEmailDomains() { return kCommonDomains; }

std::string_view EmailProblemName(EmailProblem problem) {
  switch (problem) {
    case EmailProblem::kNone: return "none";
    case EmailProblem::kEmpty: return "empty";
    case EmailProblem::kMissingAt: return "missing_at";
    case EmailProblem::kManyAt: return "many_at";
    case EmailProblem::kEmptyLocalPart: return "empty_local_part";
    case EmailProblem::kLocalPartTooLong: return "local_part_too_long";
    case EmailProblem::kBadCharacter: return "bad_character";
    case EmailProblem::kDotPlacement: return "dot_placement";
    case EmailProblem::kEmptyDomain: return "empty_domain";
    case EmailProblem::kDomainWithoutDot: return "domain_without_dot";
    case EmailProblem::kBadDomainLabel: return "bad_domain_label";
    case EmailProblem::kBadTopLevelDomain: return "bad_top_level_domain";
    case EmailProblem::kTooLong: return "too_long";
  }
  return "unknown";
}

std::string EmailResult::Describe() const {
  switch (problem) {
    case EmailProblem::kNone: return StrCat("valid e-mail ", normalized);
    case EmailProblem::kBadCharacter:
      return StrCat("invalid e-mail: bad character at position ", position);
    default: return StrCat("invalid e-mail: ", EmailProblemName(problem));
  }
}

std::string SuggestDomain(std::string_view domain) {
  if (domain.empty() || IsCommon(domain)) return {};
  // ".com.br" added or dropped by habit: gmail.com.br, uol.com.
  constexpr std::string_view kBr = ".br";
  if (domain.size() > kBr.size() && domain.substr(domain.size() - kBr.size()) == kBr) {
    const std::string_view stem = domain.substr(0, domain.size() - kBr.size());
    if (IsCommon(stem)) return std::string(stem);
  } else {
    const std::string with_br = StrCat(domain, kBr);
    if (IsCommon(with_br)) return with_br;
  }
  // Short domains are one keystroke from many real ones: allow them one
  // edit, longer ones two.
  const int limit = domain.size() < 9 ? 1 : 2;
  int best = limit + 1;
  std::string_view best_domain;
  // A cheap lower bound first: an insertion or deletion changes the
  // letter counts by 1, a substitution by 2, a swap by 0, so half their L1
  // difference (rounded up) never exceeds the edit distance. Counts by the
  // low 5 bits of the byte: merging letters only lowers the bound.
  int counts[32] = {};
  for (const char c : domain) ++counts[static_cast<unsigned char>(c) & 31];
  for (const std::string_view candidate : kCommonDomains) {
    const int length_gap = static_cast<int>(domain.size()) - static_cast<int>(candidate.size());
    if (length_gap > limit || -length_gap > limit) continue;
    int diff[32];
    for (int k = 0; k < 32; ++k) diff[k] = counts[k];
    for (const char c : candidate) --diff[static_cast<unsigned char>(c) & 31];
    int l1 = 0;
    for (const int d : diff) l1 += d < 0 ? -d : d;
    if ((l1 + 1) / 2 > limit) continue;
    const int d = EditDistance(domain, candidate, limit);
    if (d < best) {  // strict: on a tie the earlier (more common) provider wins
      best = d;
      best_domain = candidate;
    }
  }
  return std::string(best_domain);
}

EmailResult CheckEmail(std::string_view input) {
  const std::string_view s = Trim(input);
  if (s.empty()) return Fail(EmailProblem::kEmpty);
  if (s.size() > 254) return Fail(EmailProblem::kTooLong);
  const size_t at = s.find('@');
  if (at == std::string_view::npos) return Fail(EmailProblem::kMissingAt);
  if (s.find('@', at + 1) != std::string_view::npos) {
    return Fail(EmailProblem::kManyAt, static_cast<int>(s.find('@', at + 1)) + 1);
  }
  const std::string_view local = s.substr(0, at);
  const std::string_view domain_in = s.substr(at + 1);
  if (local.empty()) return Fail(EmailProblem::kEmptyLocalPart);
  if (local.size() > 64) return Fail(EmailProblem::kLocalPartTooLong);
  for (size_t i = 0; i < local.size(); ++i) {
    if (!LocalChar(local[i])) return Fail(EmailProblem::kBadCharacter, static_cast<int>(i) + 1);
  }
  if (local.front() == '.' || local.back() == '.' || local.find("..") != std::string_view::npos) {
    return Fail(EmailProblem::kDotPlacement);
  }
  if (domain_in.empty()) return Fail(EmailProblem::kEmptyDomain);
  for (size_t i = 0; i < domain_in.size(); ++i) {
    if (!DomainChar(domain_in[i])) {
      return Fail(EmailProblem::kBadCharacter, static_cast<int>(at + 2 + i));
    }
  }
  const std::string domain = absl::AsciiStrToLower(AsAbsl(domain_in));
  if (domain.front() == '.' || domain.back() == '.' || domain.find("..") != std::string::npos) {
    return Fail(EmailProblem::kDotPlacement);
  }
  if (domain.find('.') == std::string::npos) return Fail(EmailProblem::kDomainWithoutDot);
  size_t label_start = 0;
  std::string_view last_label;
  while (label_start <= domain.size()) {
    const size_t dot = std::min(domain.find('.', label_start), domain.size());
    const std::string_view label = std::string_view(domain).substr(label_start, dot - label_start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') {
      return Fail(EmailProblem::kBadDomainLabel);
    }
    last_label = label;
    label_start = dot + 1;
  }
  if (last_label.size() < 2 ||
      !std::all_of(last_label.begin(), last_label.end(),
                   [](char c) { return absl::ascii_isalpha(static_cast<unsigned char>(c)); })) {
    return Fail(EmailProblem::kBadTopLevelDomain);
  }
  EmailResult r;
  r.problem = EmailProblem::kNone;
  r.normalized = StrCat(local, "@", domain);
  if (const std::string better = SuggestDomain(domain); !better.empty()) {
    r.suggestion = StrCat(local, "@", better);
  }
  return r;
}

}  // namespace carteira::hygiene
