#include "carteira/hygiene/text.h"

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

}  // namespace
}  // namespace carteira::hygiene
