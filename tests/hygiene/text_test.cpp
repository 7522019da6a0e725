#include "carteira/hygiene/text.h"

#include <random>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace carteira::hygiene {
namespace {

TEST(TextTest, CollapsesEveryKindOfSpace) {
  EXPECT_EQ(CollapseSpaces("  João \t da   Silva \n"), "João da Silva");
  // No-break spaces from spreadsheets.
  EXPECT_EQ(CollapseSpaces("Conceição\xC2\xA0\xC2\xA0" "Araújo"), "Conceição Araújo");
  EXPECT_EQ(CollapseSpaces(""), "");
}

TEST(TextTest, DisplayNameIsTitleCaseWithLowerCaseParticles) {
  EXPECT_EQ(DisplayName("MARIA DAS GRAÇAS  DE SOUZA"), "Maria das Graças de Souza");
  EXPECT_EQ(DisplayName("joão batista dos santos e silva"), "João Batista dos Santos e Silva");
  EXPECT_EQ(DisplayName("ÂNGELA DO NASCIMENTO"), "Ângela do Nascimento");
  EXPECT_EQ(DisplayName("sebastião da conceição"), "Sebastião da Conceição");
}

TEST(TextTest, DisplayNameCapitalisesAParticleThatOpensTheName) {
  EXPECT_EQ(DisplayName("da silva materiais"), "Da Silva Materiais");
}

TEST(TextTest, DisplayNameHandlesHyphensApostrophesAndCompanyForms) {
  EXPECT_EQ(DisplayName("ana-lúcia d'ávila"), "Ana-Lúcia D'Ávila");
  EXPECT_EQ(DisplayName("MÓVEIS PLANALTO INDÚSTRIA E COMÉRCIO LTDA"),
            "Móveis Planalto Indústria e Comércio Ltda");
  EXPECT_EQ(DisplayName("padaria são jorge me"), "Padaria São Jorge ME");
  EXPECT_EQ(DisplayName("VALE DO RIO DOCE S/A"), "Vale do Rio Doce S/A");
}

TEST(TextTest, FoldKeyDropsAccentsCaseAndPunctuation) {
  EXPECT_EQ(FoldKey("  José  D'Ávila-Gonçalves "), "jose d avila goncalves");
  EXPECT_EQ(FoldKey("JOSÉ D AVILA GONCALVES"), "jose d avila goncalves");
  EXPECT_EQ(FoldKey("Lívia Machado"), FoldKey("LIVIA MACHADO"));
  EXPECT_EQ(FoldKey("São Paulo"), "sao paulo");
  EXPECT_EQ(FoldKey("Ñandú Müller Ærø"), "nandu muller ærø");
  EXPECT_NE(FoldKey("Lívia Machado"), FoldKey("Lídia Machado"));
}

TEST(TextTest, FoldKeyUnifiesCompatibilityForms) {
  // Full-width letters (pasted from some PDFs) and the "ﬁ" ligature.
  EXPECT_EQ(FoldKey("ＡＮＡ"), "ana");
  EXPECT_EQ(FoldKey("Eﬁgênia"), "efigenia");
}

std::string Utf8(char32_t c) {
  std::string s;
  if (c < 0x80) {
    s.push_back(static_cast<char>(c));
  } else if (c < 0x800) {
    s.push_back(static_cast<char>(0xC0 | (c >> 6)));
    s.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else if (c < 0x10000) {
    s.push_back(static_cast<char>(0xE0 | (c >> 12)));
    s.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    s.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else {
    s.push_back(static_cast<char>(0xF0 | (c >> 18)));
    s.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
    s.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    s.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  }
  return s;
}

void ExpectBothPathsAgree(const std::string& text) {
  EXPECT_EQ(DisplayName(text), detail::DisplayNameReference(text)) << text;
  EXPECT_EQ(FoldKey(text), detail::FoldKeyReference(text)) << text;
}

// The table-driven fast path must answer what ICU per character answers:
// every code point below U+0800 (the tables' range) alone, inside a word,
// and next to particles.
TEST(TextTest, FastPathAgreesWithReferenceOnEveryTableCodePoint) {
  for (char32_t c = 1; c < 0x800; ++c) {
    const std::string u = Utf8(c);
    ExpectBothPathsAgree(u);
    ExpectBothPathsAgree("a" + u + "b");
    ExpectBothPathsAgree(u + "ana " + u + " DA " + u + "-" + u + "'" + u + " ltda" + u);
  }
}

// ...and on random names mixing ASCII, accents, spaces of every kind,
// hyphens, apostrophes, particles, company forms, combining marks,
// compatibility forms, code points beyond the tables and malformed bytes.
TEST(TextTest, FastPathAgreesWithReferenceOnRandomText) {
  const std::vector<std::string> pieces = {
      "josé", "JOÃO", "Conceição", "da", "DE", "dos", "das", "e", "do",
      "S/A", "s.a.", "ME", "epp", "Eireli", "mei", "LTDA", "ltda.", "sa", "ana-lúcia",
      "d'ávila", "O’Neil" /* U+2019 */, "Ñandú", "Müller", "Ærø",
      "ß", "İstanbul", "ǅ", "½", "ﬁ", "Ａ",
      "e\xCC\x81" /* e + combining acute */, "Κας", "Ма", "中",
      "😀", "\xFF", "\xC3", "\xE2\x82", "\xC0\xAF", "123", "a1b2", "x",
      "-", "'", ".", "/", ",", "&", "(", ")"};
  const std::vector<std::string> spaces = {" ", "  ", "\t", "\n", "\u00A0", "\u202F",
                                           "\u0085", "\u3000", "", "-"};
  std::mt19937 rng(7);
  for (int k = 0; k < 100'000; ++k) {
    std::string text;
    const int words = static_cast<int>(rng() % 6);
    for (int w = 0; w < words; ++w) {
      text += spaces[rng() % spaces.size()];
      text += pieces[rng() % pieces.size()];
      if (rng() % 4 == 0) text += pieces[rng() % pieces.size()];
    }
    if (rng() % 3 == 0) text += spaces[rng() % spaces.size()];
    ExpectBothPathsAgree(text);
    if (HasFailure()) return;
  }
}

TEST(TextTest, IntoVariantsReuseTheCallersString) {
  std::string out = "left over";
  DisplayNameTo("MARIA DAS GRAÇAS", out);
  EXPECT_EQ(out, "Maria das Graças");
  FoldKeyTo("José D'Ávila", out);
  EXPECT_EQ(out, "jose d avila");
  FoldKeyTo("Ｅﬁ", out);  // beyond the tables
  EXPECT_EQ(out, "efi");
}

}  // namespace
}  // namespace carteira::hygiene
