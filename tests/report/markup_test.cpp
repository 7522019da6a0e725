#include "carteira/report/markup.h"

#include <gtest/gtest.h>

#include <cmath>

#include "src/report/charts.h"

namespace carteira {
namespace {

TEST(Markup, EscapeHtmlNeutralisesTagsQuotesAndAmpersands) {
  EXPECT_EQ(EscapeHtml("<script>alert('x') & \"y\"</script>"),
            "&lt;script&gt;alert(&#39;x&#39;) &amp; &quot;y&quot;&lt;/script&gt;");
  EXPECT_EQ(EscapeHtml("Conceição Ramos"), "Conceição Ramos");  // UTF-8 kept as is
  EXPECT_EQ(EscapeHtml("a\x01" "b\tc\x7f"), "ab\tc");              // control characters dropped
  EXPECT_EQ(EscapeHtml(""), "");
}

TEST(Markup, WriterEscapesAttributesAndText) {
  MarkupWriter w;
  w.Open("td", {{"data-rep", "R\"1><b>"}});
  w.Text("<b>Ana & Cia</b>");
  w.Close("td");
  w.Empty("rect", {{"x", "1"}});
  w.Element("text", {{"class", "lbl"}}, "1 < 2");
  EXPECT_EQ(w.str(),
            "<td data-rep=\"R&quot;1&gt;&lt;b&gt;\">&lt;b&gt;Ana &amp; Cia&lt;/b&gt;</td><rect x=\"1\"/>"
            "<text class=\"lbl\">1 &lt; 2</text>");
}

TEST(Markup, SvgNumbersHaveOneDecimalAndNoNegativeZero) {
  EXPECT_EQ(SvgNumber(12.26), "12.3");
  EXPECT_EQ(SvgNumber(3.0), "3");
  EXPECT_EQ(SvgNumber(-0.01), "0");
  EXPECT_EQ(SvgNumber(-4.5), "-4.5");
  EXPECT_EQ(SvgNumber(std::nan("")), "0");
}

TEST(Charts, NiceStepsAreOneTwoOrFiveTimesAPowerOfTen) {
  EXPECT_EQ(report::NiceStep(0), 1);
  EXPECT_EQ(report::NiceStep(4), 1);
  EXPECT_EQ(report::NiceStep(7), 2);
  EXPECT_EQ(report::NiceStep(3132), 1000);
  EXPECT_EQ(report::NiceStep(1044), 500);
  EXPECT_EQ(report::NiceStep(4410000000), 2000000000);
  const report::Axis axis = report::NiceAxis(3132, [](std::int64_t v) { return std::to_string(v); });
  EXPECT_EQ(axis.max, 4000);
  ASSERT_EQ(axis.ticks.size(), 5u);
  EXPECT_EQ(axis.ticks.back().second, "4000");
}

TEST(Charts, TruncateCutsWholeUtf8CharactersOnly) {
  EXPECT_EQ(report::Truncate("Conceição", 20), "Conceição");
  EXPECT_EQ(report::Truncate("Conceição Ramos", 7), "Conceiç\xE2\x80\xA6");
  EXPECT_EQ(report::Truncate("ãããã", 2), "ãã\xE2\x80\xA6");
}

}  // namespace
}  // namespace carteira
