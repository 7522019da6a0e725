#include "carteira/hygiene/email.h"

#include <random>
#include <string>

#include "carteira/hygiene/similarity.h"
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

// SuggestDomain as it was before the letter-count bound skipped candidates:
// the edit distance to every common domain.
std::string ReferenceSuggestDomain(const std::string& domain) {
  const auto common = CommonEmailDomains();
  auto is_common = [&](std::string_view d) {
    for (const std::string_view c : common) {
      if (c == d) return true;
    }
    return false;
  };
  if (domain.empty() || is_common(domain)) return {};
  if (domain.size() > 3 && domain.substr(domain.size() - 3) == ".br") {
    const std::string stem = domain.substr(0, domain.size() - 3);
    if (is_common(stem)) return stem;
  } else if (is_common(domain + ".br")) {
    return domain + ".br";
  }
  const int limit = domain.size() < 9 ? 1 : 2;
  int best = limit + 1;
  std::string_view best_domain;
  for (const std::string_view candidate : common) {
    const int d = EditDistance(domain, candidate, limit);
    if (d < best) {
      best = d;
      best_domain = candidate;
    }
  }
  return std::string(best_domain);
}

TEST(EmailTest, SuggestionsAgreeWithTheExhaustiveSearchOnRandomTypos) {
  std::mt19937 rng(17);
  const auto common = CommonEmailDomains();
  const std::string letters = "abcdefghijklmnopqrstuvwxyz.-0123456789";
  int suggested = 0;
  for (int k = 0; k < 100'000; ++k) {
    // A common domain with 0-3 random edits, or random letters.
    std::string d(common[rng() % common.size()]);
    if (rng() % 10 == 0) {
      d.clear();
      for (size_t n = rng() % 16; n > 0; --n) d += letters[rng() % letters.size()];
    }
    for (int e = static_cast<int>(rng() % 4); e > 0; --e) {
      const size_t at = d.empty() ? 0 : rng() % d.size();
      switch (rng() % 4) {
        case 0: d.insert(d.begin() + static_cast<long>(at), letters[rng() % letters.size()]); break;
        case 1: if (!d.empty()) d.erase(at, 1); break;
        case 2: if (!d.empty()) d[at] = letters[rng() % letters.size()]; break;
        default: if (at + 1 < d.size()) std::swap(d[at], d[at + 1]); break;
      }
    }
    const std::string want = ReferenceSuggestDomain(d);
    ASSERT_EQ(SuggestDomain(d), want) << d;
    suggested += !want.empty();
  }
  EXPECT_GT(suggested, 20'000);
}

}  // namespace
}  // namespace carteira::hygiene
