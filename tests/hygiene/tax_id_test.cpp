#include "carteira/hygiene/tax_id.h"

#include <algorithm>
#include <cctype>
#include <random>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace carteira::hygiene {
namespace {

// The implementation before its allocation-free rewrite, kept to compare.
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
    return c.substr(0, 3) + "." + c.substr(3, 3) + "." + c.substr(6, 3) + "-" + c.substr(9, 2);
  }
  return c.substr(0, 2) + "." + c.substr(2, 3) + "." + c.substr(5, 3) + "/" + c.substr(8, 4) + "-" +
         c.substr(12, 2);
}

TaxIdResult ReferenceCheck(std::string_view input, TaxIdKind wanted) {
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


// Random inputs: CPF/CNPJ-like strings with punctuation, letters of both
// cases, accented and other bad characters, wrong lengths, repeated digits
// and valid ids (made by fixing the check digits) — answered as before.
TEST(TaxIdTest, AgreesWithThePreviousImplementationOnRandomInputs) {
  std::mt19937 rng(11);
  const std::vector<std::string> alphabet = {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9",
                                             "A", "Z", "b", "x", ".", "-", "/", " ", "\t", "é", "#", "\xFF"};
  int valid = 0;
  for (int k = 0; k < 200'000; ++k) {
    std::string input;
    const int kind = static_cast<int>(rng() % 4);
    if (kind == 0) {
      const int n = static_cast<int>(rng() % 20);
      for (int i = 0; i < n; ++i) input += alphabet[rng() % alphabet.size()];
    } else {
      // 11 or 14 significant characters, valid check digits most of the time.
      const size_t length = kind == 1 ? 11 : 14;
      std::string body;
      for (size_t i = 0; i + 2 < length; ++i) {
        const unsigned r = rng() % 40;
        body += r < 36 ? static_cast<char>('0' + r % 10) : (kind == 3 ? static_cast<char>('A' + r % 26) : '7');
      }
      if (rng() % 50 == 0) body = std::string(length - 2, body[0]);
      const TaxIdKind wanted = length == 11 ? TaxIdKind::kCpf : TaxIdKind::kCnpj;
      for (int d = 0; d < 2; ++d) {
        int sum = 0;
        int weight = wanted == TaxIdKind::kCpf ? 10 + d : 5 + d;
        for (const char c : body) {
          sum += (c - '0') * weight;
          weight = weight == 2 ? 9 : weight - 1;
        }
        const int r = sum % 11;
        body += static_cast<char>('0' + (r < 2 ? 0 : 11 - r));
      }
      if (rng() % 5 == 0) body[rng() % body.size()] = alphabet[rng() % alphabet.size()][0];
      for (const char c : body) {
        input += rng() % 3 == 0 && std::isalpha(static_cast<unsigned char>(c)) ? static_cast<char>(c | 0x20) : c;
        if (rng() % 6 == 0) input += alphabet[14 + rng() % 5];
      }
    }
    for (const TaxIdKind wanted : {TaxIdKind::kUnknown, TaxIdKind::kCpf, TaxIdKind::kCnpj}) {
      const TaxIdResult want = ReferenceCheck(input, wanted);
      const TaxIdResult got = wanted == TaxIdKind::kCpf    ? CheckCpf(input)
                              : wanted == TaxIdKind::kCnpj ? CheckCnpj(input)
                                                           : CheckTaxId(input);
      ASSERT_EQ(got.kind, want.kind) << input;
      ASSERT_EQ(got.problem, want.problem) << input;
      ASSERT_EQ(got.position, want.position) << input;
      ASSERT_EQ(got.canonical, want.canonical) << input;
      ASSERT_EQ(got.formatted, want.formatted) << input;
      valid += got.valid();
    }
  }
  EXPECT_GT(valid, 50'000);
}

TEST(TaxIdTest, AcceptsKnownValidCpfsWithAndWithoutPunctuation) {
  for (const char* cpf : {"529.982.247-25", "52998224725", "111.444.777-35", " 123 456 789 09 "}) {
    const TaxIdResult r = CheckTaxId(cpf);
    EXPECT_TRUE(r.valid()) << cpf << ": " << r.Describe();
    EXPECT_EQ(r.kind, TaxIdKind::kCpf) << cpf;
  }
  EXPECT_EQ(CheckTaxId("52998224725").formatted, "529.982.247-25");
  EXPECT_EQ(CheckTaxId("12345678909").formatted, "123.456.789-09");
}

TEST(TaxIdTest, AcceptsKnownValidNumericCnpjs) {
  for (const char* cnpj : {"11.222.333/0001-81", "11444777000161", "74.513.161/0001-15",
                           "38.032.597/0001-29"}) {
    const TaxIdResult r = CheckTaxId(cnpj);
    EXPECT_TRUE(r.valid()) << cnpj << ": " << r.Describe();
    EXPECT_EQ(r.kind, TaxIdKind::kCnpj) << cnpj;
  }
  EXPECT_EQ(CheckTaxId("11444777000161").formatted, "11.444.777/0001-61");
}

TEST(TaxIdTest, AcceptsTheReceitaAlphanumericExample) {
  const TaxIdResult r = CheckTaxId("12.ABC.345/01DE-35");
  ASSERT_TRUE(r.valid()) << r.Describe();
  EXPECT_EQ(r.kind, TaxIdKind::kCnpj);
  EXPECT_EQ(r.canonical, "12ABC34501DE35");
  EXPECT_EQ(r.formatted, "12.ABC.345/01DE-35");
}

TEST(TaxIdTest, LowerCaseLettersReadAsUpperCase) {
  const TaxIdResult r = CheckTaxId("12abc34501de35");
  ASSERT_TRUE(r.valid()) << r.Describe();
  EXPECT_EQ(r.formatted, "12.ABC.345/01DE-35");
}

// Every one-character change of the example is caught, except the ones the
// Receita's mod-11 scheme cannot see: a character whose value (ASCII - 48)
// differs from the original's by a multiple of 11 ('6' and 'A', 17 - 6).
TEST(TaxIdTest, EveryNeighbourOfTheExampleIsInvalidUnlessItsValueDiffersByElevens) {
  const std::string base = "12ABC34501DE35";
  const std::string alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  int caught = 0, blind = 0;
  for (size_t i = 0; i < base.size(); ++i) {
    for (const char c : alphabet) {
      if (c == base[i] || (i >= 12 && c > '9')) continue;
      std::string neighbour = base;
      neighbour[i] = c;
      const TaxIdResult r = CheckTaxId(neighbour);
      const bool undetectable = (c - base[i]) % 11 == 0;
      EXPECT_EQ(r.valid(), undetectable) << neighbour;
      if (!undetectable) {
        EXPECT_EQ(r.problem, TaxIdProblem::kCheckDigitMismatch) << neighbour;
        ++caught;
      } else {
        ++blind;
      }
    }
  }
  EXPECT_EQ(blind, 27);
  EXPECT_GT(caught, 400);
}

TEST(TaxIdTest, EveryDigitChangeOfANumericCpfIsCaught) {
  const std::string base = "52998224725";
  for (size_t i = 0; i < base.size(); ++i) {
    for (char c = '0'; c <= '9'; ++c) {
      if (c == base[i]) continue;
      std::string neighbour = base;
      neighbour[i] = c;
      EXPECT_FALSE(CheckTaxId(neighbour).valid()) << neighbour;
    }
  }
}

TEST(TaxIdTest, NamesTheWrongCheckDigit) {
  TaxIdResult r = CheckTaxId("529.982.247-35");
  EXPECT_EQ(r.problem, TaxIdProblem::kCheckDigitMismatch);
  EXPECT_EQ(r.position, 10);
  r = CheckTaxId("529.982.247-26");
  EXPECT_EQ(r.problem, TaxIdProblem::kCheckDigitMismatch);
  EXPECT_EQ(r.position, 11);
  r = CheckTaxId("12.ABC.345/01DE-36");
  EXPECT_EQ(r.kind, TaxIdKind::kCnpj);
  EXPECT_EQ(r.position, 14);
  EXPECT_EQ(r.Describe(), "invalid CNPJ: check digit mismatch at position 14");
}

TEST(TaxIdTest, RejectsOneRepeatedDigitEvenThoughTheCheckDigitsAgree) {
  for (const char* id : {"000.000.000-00", "111.111.111-11", "99999999999", "00000000000000",
                         "11.111.111/1111-11"}) {
    const TaxIdResult r = CheckTaxId(id);
    EXPECT_EQ(r.problem, TaxIdProblem::kRepeatedDigits) << id;
  }
}

TEST(TaxIdTest, WrongLengthSaysHowManyCharacters) {
  const TaxIdResult r = CheckTaxId("529.982.247-2");
  EXPECT_EQ(r.problem, TaxIdProblem::kWrongLength);
  EXPECT_EQ(r.kind, TaxIdKind::kUnknown);
  EXPECT_EQ(r.Describe(), "invalid CPF/CNPJ: wrong length (10 characters; a CPF has 11, a CNPJ 14)");
  EXPECT_EQ(CheckCpf("11.444.777/0001-61").problem, TaxIdProblem::kWrongLength);
  EXPECT_EQ(CheckCnpj("52998224725").problem, TaxIdProblem::kWrongLength);
}

TEST(TaxIdTest, BadCharacterPositionCountsTheInputAsGiven) {
  TaxIdResult r = CheckTaxId("529.982_247-25");
  EXPECT_EQ(r.problem, TaxIdProblem::kBadCharacter);
  EXPECT_EQ(r.position, 8);
  // A letter is not allowed in a CPF.
  r = CheckTaxId("529.98A.247-25");
  EXPECT_EQ(r.problem, TaxIdProblem::kBadCharacter);
  EXPECT_EQ(r.kind, TaxIdKind::kCpf);
  EXPECT_EQ(r.position, 7);
  // Nor in a CNPJ's check digits.
  r = CheckTaxId("12.ABC.345/01DE-3A");
  EXPECT_EQ(r.problem, TaxIdProblem::kBadCharacter);
  EXPECT_EQ(r.position, 18);
  // Positions count characters, not UTF-8 bytes: "ç" is one.
  r = CheckTaxId("ç29.982.247-25");
  EXPECT_EQ(r.problem, TaxIdProblem::kBadCharacter);
  EXPECT_EQ(r.position, 1);
  r = CheckTaxId("5ç9.982.247-25");
  EXPECT_EQ(r.position, 2);
}

TEST(TaxIdTest, EmptyInputIsItsOwnProblem) {
  EXPECT_EQ(CheckTaxId("").problem, TaxIdProblem::kEmpty);
  EXPECT_EQ(CheckTaxId(" .-/ ").problem, TaxIdProblem::kEmpty);
}

}  // namespace
}  // namespace carteira::hygiene
