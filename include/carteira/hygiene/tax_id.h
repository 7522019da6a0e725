// CPF and CNPJ: validation and the canonical formatted form.
//
// Input may carry the usual punctuation ('.', '-', '/', spaces) or none.
// Lower-case letters are accepted and read as upper-case, because people and
// spreadsheets type them that way and the Receita's alphanumeric CNPJ has
// only one letter case; the canonical form is upper-case.
//
// The alphanumeric CNPJ (issued from July 2026): positions 1-12 are [0-9A-Z],
// the two check digits stay numeric; a character's value is its ASCII code
// minus 48 (so '0'..'9' keep their value and 'A' is 17), and the mod-11
// weights are the numeric CNPJ's. A numeric CNPJ is the special case with
// digits only, so one routine checks both.
#ifndef CARTEIRA_HYGIENE_TAX_ID_H_
#define CARTEIRA_HYGIENE_TAX_ID_H_

#include <string>
#include <string_view>

namespace carteira::hygiene {

enum class TaxIdKind { kUnknown, kCpf, kCnpj };

enum class TaxIdProblem {
  kNone,
  kEmpty,
  kWrongLength,         // not 11 (CPF) or 14 (CNPJ) significant characters
  kBadCharacter,        // at `position`
  kRepeatedDigits,      // one digit repeated: passes the check digits, never issued
  kCheckDigitMismatch,  // the first wrong check digit is at `position`
};

struct TaxIdResult {
  TaxIdKind kind = TaxIdKind::kUnknown;
  TaxIdProblem problem = TaxIdProblem::kEmpty;
  // 1-based. kBadCharacter: the character's position in the input as given
  // (counted in characters, punctuation included). kCheckDigitMismatch: the
  // position of the wrong check digit in the unpunctuated id (10 or 11 for a
  // CPF, 13 or 14 for a CNPJ). 0 otherwise.
  int position = 0;
  std::string canonical;  // significant characters, upper-case, no punctuation
  std::string formatted;  // 000.000.000-00 / 00.000.000/0000-00; only when valid

  bool valid() const { return problem == TaxIdProblem::kNone; }
  // "valid CPF 123.456.789-09", "invalid CNPJ: check digit mismatch at position 14"...
  std::string Describe() const;
};

// "cpf", "cnpj", "unknown".
std::string_view TaxIdKindName(TaxIdKind kind);
// "wrong_length", "bad_character", "check_digit_mismatch", "repeated_digits", ...
std::string_view TaxIdProblemName(TaxIdProblem problem);

// Decides CPF or CNPJ by the number of significant characters (11 or 14).
TaxIdResult CheckTaxId(std::string_view input);
// Checks the input as that kind only (a CNPJ given to CheckCpf is kWrongLength).
TaxIdResult CheckCpf(std::string_view input);
TaxIdResult CheckCnpj(std::string_view input);

}  // namespace carteira::hygiene

#endif  // CARTEIRA_HYGIENE_TAX_ID_H_
