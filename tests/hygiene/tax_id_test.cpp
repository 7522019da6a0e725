#include "carteira/hygiene/tax_id.h"

#include <string>

#include "gtest/gtest.h"

namespace carteira::hygiene {
namespace {

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
