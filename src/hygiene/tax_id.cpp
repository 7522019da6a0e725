#include "carteira/hygiene/tax_id.h"

#include <algorithm>
#include <vector>

#include "carteira/core/strings.h"

namespace carteira::hygiene {
namespace {

constexpr size_t kCpfLength = 11;
constexpr size_t kCnpjLength = 14;

bool IsSeparator(char c) { return c == '.' || c == '-' || c == '/' || c == ' ' || c == '\t'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }
bool IsLower(char c) { return c >= 'a' && c <= 'z'; }

struct Significant {
  std::string chars;          // upper-cased
  std::vector<int> position;  // 1-based character position in the input
  int bad_position = 0;       // first character that is neither significant nor punctuation
};

Significant Strip(std::string_view input) {
  Significant s;
  int position = 0;
  for (const char c : input) {
    // Count characters, not bytes: a UTF-8 continuation byte is part of the
    // character before it.
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++position;
    if (IsSeparator(c)) continue;
    if (IsDigit(c) || IsUpper(c) || IsLower(c)) {
      s.chars.push_back(IsLower(c) ? static_cast<char>(c - 'a' + 'A') : c);
      s.position.push_back(position);
    } else if (s.bad_position == 0) {
      s.bad_position = position;
    }
  }
  return s;
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

std::string Format(TaxIdKind kind, const std::string& c) {
  if (kind == TaxIdKind::kCpf) {
    return StrCat(c.substr(0, 3), ".", c.substr(3, 3), ".", c.substr(6, 3), "-", c.substr(9, 2));
  }
  return StrCat(c.substr(0, 2), ".", c.substr(2, 3), ".", c.substr(5, 3), "/", c.substr(8, 4), "-",
                c.substr(12, 2));
}

TaxIdResult Check(std::string_view input, TaxIdKind wanted) {
  TaxIdResult r;
  Significant s = Strip(input);
  r.canonical = s.chars;
  if (s.chars.empty() && s.bad_position == 0) {
    r.problem = TaxIdProblem::kEmpty;
    r.kind = wanted;
    return r;
  }
  const size_t n = s.chars.size();
  TaxIdKind by_length = n == kCpfLength    ? TaxIdKind::kCpf
                        : n == kCnpjLength ? TaxIdKind::kCnpj
                                           : TaxIdKind::kUnknown;
  r.kind = wanted == TaxIdKind::kUnknown ? by_length : wanted;
  if (s.bad_position != 0) {
    r.problem = TaxIdProblem::kBadCharacter;
    r.position = s.bad_position;
    return r;
  }
  if (by_length == TaxIdKind::kUnknown || (wanted != TaxIdKind::kUnknown && by_length != wanted)) {
    r.problem = TaxIdProblem::kWrongLength;
    return r;
  }
  // Letters: never in a CPF, never in a CNPJ's check digits.
  const size_t letters_until = r.kind == TaxIdKind::kCnpj ? 12 : 0;
  for (size_t i = 0; i < n; ++i) {
    if (IsUpper(s.chars[i]) && i >= letters_until) {
      r.problem = TaxIdProblem::kBadCharacter;
      r.position = s.position[i];
      return r;
    }
  }
  if (std::all_of(s.chars.begin(), s.chars.end(), [&](char c) { return c == s.chars[0]; })) {
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
