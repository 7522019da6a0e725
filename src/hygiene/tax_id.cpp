#include "carteira/hygiene/tax_id.h"

#include <algorithm>

#include "carteira/core/strings.h"

namespace carteira::hygiene {
namespace {

constexpr size_t kCpfLength = 11;
constexpr size_t kCnpjLength = 14;

bool IsSeparator(char c) { return c == '.' || c == '-' || c == '/' || c == ' ' || c == '\t'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }
bool IsLower(char c) { return c >= 'a' && c <= 'z'; }

// Collects the significant characters, upper-cased, into `chars`; returns
// the 1-based position of the first character that is neither significant
// nor punctuation, 0 when none. Positions count characters, not bytes: a
// UTF-8 continuation byte is part of the character before it.
int Strip(std::string_view input, std::string& chars) {
  int position = 0;
  int bad_position = 0;
  for (const char c : input) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++position;
    if (IsSeparator(c)) continue;
    if (IsDigit(c) || IsUpper(c) || IsLower(c)) {
      chars.push_back(IsLower(c) ? static_cast<char>(c - 'a' + 'A') : c);
    } else if (bad_position == 0) {
      bad_position = position;
    }
  }
  return bad_position;
}

// The input position of the significant character number `index` (0-based).
int PositionOf(std::string_view input, size_t index) {
  int position = 0;
  size_t seen = 0;
  for (const char c : input) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++position;
    if (IsDigit(c) || IsUpper(c) || IsLower(c)) {
      if (seen++ == index) return position;
    }
  }
  return 0;
}

// Mod-11 check digit over `body` with weights running down from `top` to 2
// and wrapping to 9 (the CNPJ rule; for the CPF's 9 or 10 characters the
// weights never wrap, so the same loop serves both).
int CheckDigit(std::string_view body, int top) {
  int sum = 0;
  int weight = top;
  for (const char c : body) {
    sum += (c - '0') * weight;
    weight = weight == 2 ? 9 : weight - 1;
  }
  const int r = sum % 11;
  return r < 2 ? 0 : 11 - r;
}

// 000.000.000-00 or 00.000.000/0000-00, written in place.
std::string Format(TaxIdKind kind, const std::string& c) {
  constexpr std::string_view kCpfMask = "###.###.###-##";
  constexpr std::string_view kCnpjMask = "##.###.###/####-##";
  const std::string_view mask = kind == TaxIdKind::kCpf ? kCpfMask : kCnpjMask;
  std::string out(mask);
  size_t k = 0;
  for (char& ch : out) {
    if (ch == '#') ch = c[k++];
  }
  return out;
}

TaxIdResult Check(std::string_view input, TaxIdKind wanted) {
  TaxIdResult r;
  const int bad_position = Strip(input, r.canonical);
  const std::string& chars = r.canonical;
  if (chars.empty() && bad_position == 0) {
    r.problem = TaxIdProblem::kEmpty;
    r.kind = wanted;
    return r;
  }
  const size_t n = chars.size();
  TaxIdKind by_length = n == kCpfLength    ? TaxIdKind::kCpf
                        : n == kCnpjLength ? TaxIdKind::kCnpj
                                           : TaxIdKind::kUnknown;
  r.kind = wanted == TaxIdKind::kUnknown ? by_length : wanted;
  if (bad_position != 0) {
    r.problem = TaxIdProblem::kBadCharacter;
    r.position = bad_position;
    return r;
  }
  if (by_length == TaxIdKind::kUnknown || (wanted != TaxIdKind::kUnknown && by_length != wanted)) {
    r.problem = TaxIdProblem::kWrongLength;
    return r;
  }
  // Letters: never in a CPF, never in a CNPJ's check digits.
  const size_t letters_until = r.kind == TaxIdKind::kCnpj ? 12 : 0;
  for (size_t i = 0; i < n; ++i) {
    if (IsUpper(chars[i]) && i >= letters_until) {
      r.problem = TaxIdProblem::kBadCharacter;
      r.position = PositionOf(input, i);
      return r;
    }
  }
  if (std::all_of(chars.begin(), chars.end(), [&](char c) { return c == chars[0]; })) {
    r.problem = TaxIdProblem::kRepeatedDigits;
    return r;
  }
  const std::string_view c = r.canonical;
  const int top1 = r.kind == TaxIdKind::kCpf ? 10 : 5;
  const int top2 = r.kind == TaxIdKind::kCpf ? 11 : 6;
  const int dv1 = CheckDigit(c.substr(0, n - 2), top1);
  if (c[n - 2] - '0' != dv1) {
    r.problem = TaxIdProblem::kCheckDigitMismatch;
    r.position = static_cast<int>(n - 1);
    return r;
  }
  const int dv2 = CheckDigit(c.substr(0, n - 1), top2);
  if (c[n - 1] - '0' != dv2) {
    r.problem = TaxIdProblem::kCheckDigitMismatch;
    r.position = static_cast<int>(n);
    return r;
  }
  r.problem = TaxIdProblem::kNone;
  r.formatted = Format(r.kind, r.canonical);
  return r;
}

}  // namespace

std::string_view TaxIdKindName(TaxIdKind kind) {
  switch (kind) {
    case TaxIdKind::kCpf: return "cpf";
    case TaxIdKind::kCnpj: return "cnpj";
    case TaxIdKind::kUnknown: break;
  }
  return "unknown";
}

std::string_view TaxIdProblemName(TaxIdProblem problem) {
  switch (problem) {
    case TaxIdProblem::kNone: return "none";
    case TaxIdProblem::kEmpty: return "empty";
    case TaxIdProblem::kWrongLength: return "wrong_length";
    case TaxIdProblem::kBadCharacter: return "bad_character";
    case TaxIdProblem::kRepeatedDigits: return "repeated_digits";
    case TaxIdProblem::kCheckDigitMismatch: return "check_digit_mismatch";
  }
  return "unknown";
}

std::string TaxIdResult::Describe() const {
  const std::string kind_name =
      kind == TaxIdKind::kCpf ? "CPF" : kind == TaxIdKind::kCnpj ? "CNPJ" : "CPF/CNPJ";
  switch (problem) {
    case TaxIdProblem::kNone: return StrCat("valid ", kind_name, " ", formatted);
    case TaxIdProblem::kEmpty: return StrCat("invalid ", kind_name, ": empty");
    case TaxIdProblem::kWrongLength:
      return StrCat("invalid ", kind_name, ": wrong length (", canonical.size(),
                    " characters; a CPF has 11, a CNPJ 14)");
    case TaxIdProblem::kBadCharacter:
      return StrCat("invalid ", kind_name, ": bad character at position ", position);
    case TaxIdProblem::kRepeatedDigits:
      return StrCat("invalid ", kind_name, ": one digit repeated");
    case TaxIdProblem::kCheckDigitMismatch:
      return StrCat("invalid ", kind_name, ": check digit mismatch at position ", position);
  }
  return "invalid";
}

TaxIdResult CheckTaxId(std::string_view input) { return Check(input, TaxIdKind::kUnknown); }
TaxIdResult CheckCpf(std::string_view input) { return Check(input, TaxIdKind::kCpf); }
TaxIdResult CheckCnpj(std::string_view input) { return Check(input, TaxIdKind::kCnpj); }

}  // namespace carteira::hygiene
