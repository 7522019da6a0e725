#include "carteira/hygiene/email.h"

#include "gtest/gtest.h"

namespace carteira::hygiene {
namespace {

TEST(EmailTest, AcceptsOrdinaryAddressesAndLowerCasesOnlyTheDomain) {
  const EmailResult r = CheckEmail("  Joao.Silva+nf@Empresa.COM.BR ");
  ASSERT_TRUE(r.valid()) << r.Describe();
  EXPECT_EQ(r.normalized, "Joao.Silva+nf@empresa.com.br");
  EXPECT_TRUE(r.suggestion.empty());
  EXPECT_TRUE(CheckEmail("financeiro@moveisplanalto.com.br").valid());
  EXPECT_TRUE(CheckEmail("a_b-c@sub.dominio-x.org").valid());
}

TEST(EmailTest, NamesTheProblem) {
  EXPECT_EQ(CheckEmail("").problem, EmailProblem::kEmpty);
  EXPECT_EQ(CheckEmail("maria.gmail.com").problem, EmailProblem::kMissingAt);
  EXPECT_EQ(CheckEmail("maria@@gmail.com").problem, EmailProblem::kManyAt);
  EXPECT_EQ(CheckEmail("@gmail.com").problem, EmailProblem::kEmptyLocalPart);
  EXPECT_EQ(CheckEmail("maria@").problem, EmailProblem::kEmptyDomain);
  EXPECT_EQ(CheckEmail("maria@localhost").problem, EmailProblem::kDomainWithoutDot);
  EXPECT_EQ(CheckEmail("maria..silva@gmail.com").problem, EmailProblem::kDotPlacement);
  EXPECT_EQ(CheckEmail(".maria@gmail.com").problem, EmailProblem::kDotPlacement);
  EXPECT_EQ(CheckEmail("maria.@gmail.com").problem, EmailProblem::kDotPlacement);
  EXPECT_EQ(CheckEmail("maria@gmail..com").problem, EmailProblem::kDotPlacement);
  EXPECT_EQ(CheckEmail("maria@-gmail.com").problem, EmailProblem::kBadDomainLabel);
  EXPECT_EQ(CheckEmail("maria@gmail.c").problem, EmailProblem::kBadTopLevelDomain);
  EXPECT_EQ(CheckEmail("maria@gmail.123").problem, EmailProblem::kBadTopLevelDomain);
  EXPECT_EQ(CheckEmail(std::string(65, 'a') + "@gmail.com").problem,
            EmailProblem::kLocalPartTooLong);
}

TEST(EmailTest, BadCharacterPositionIsInTheTrimmedInput) {
  EmailResult r = CheckEmail("maria silva@gmail.com");
  EXPECT_EQ(r.problem, EmailProblem::kBadCharacter);
  EXPECT_EQ(r.position, 6);
  // Accented letters in the local part: most providers refuse them.
  r = CheckEmail("joão@gmail.com");
  EXPECT_EQ(r.problem, EmailProblem::kBadCharacter);
  EXPECT_EQ(r.position, 3);
  r = CheckEmail("joao@gmail,com");
  EXPECT_EQ(r.problem, EmailProblem::kBadCharacter);
  EXPECT_EQ(r.position, 11);
}

TEST(EmailTest, SuggestsCommonProvidersForTyposButNeverAppliesThem) {
  struct Case {
    const char* input;
    const char* suggestion;
  };
  for (const Case& c : {Case{"ana@gmial.com", "ana@gmail.com"}, Case{"ana@hotmal.com", "ana@hotmail.com"},
                        Case{"ana@gmail.com.br", "ana@gmail.com"},
                        Case{"ana@yaho.com.br", "ana@yahoo.com.br"},
                        Case{"ana@outlok.com", "ana@outlook.com"}, Case{"ana@bol.com", "ana@bol.com.br"},
                        Case{"ana@uol.com", "ana@uol.com.br"}, Case{"ana@gmail.con", "ana@gmail.com"},
                        Case{"ana@hotmail.co", "ana@hotmail.com"}}) {
    const EmailResult r = CheckEmail(c.input);
    EXPECT_TRUE(r.valid()) << c.input;
    EXPECT_EQ(r.normalized, c.input) << "a suggestion must not be applied";
    EXPECT_EQ(r.suggestion, c.suggestion) << c.input;
  }
}

TEST(EmailTest, NoSuggestionForCommonOrUnrelatedDomains) {
  for (const char* email : {"ana@gmail.com", "ana@bol.com.br", "ana@uol.com.br", "ana@ig.com.br",
                            "ana@moveisplanalto.com.br", "ana@prefeitura.sp.gov.br"}) {
    EXPECT_EQ(CheckEmail(email).suggestion, "") << email;
  }
}

}  // namespace
}  // namespace carteira::hygiene
