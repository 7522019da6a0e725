#include "carteira/report/report.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <numeric>
#include <regex>
#include <sstream>

#include "carteira/core/strings.h"
#include "carteira/io/import.h"

namespace carteira {
namespace {

namespace fs = std::filesystem;

DayNumber D(int y, unsigned m, unsigned d) { return DaysFromCivil(y, m, d); }

size_t Count(std::string_view text, std::string_view what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string_view::npos; at = text.find(what, at + what.size())) ++n;
  return n;
}

// The markup of <svg ... data-chart="NAME" ...> ... </svg>, or "".
std::string Chart(const std::string& html, std::string_view name) {
  const size_t at = html.find(StrCat("data-chart=\"", name, "\""));
  if (at == std::string::npos) return {};
  const size_t start = html.rfind("<svg", at);
  const size_t end = html.find("</svg>", at);
  return html.substr(start, end + 6 - start);
}

// "nan", "inf" as words, any case ("Hibernando" is fine).
bool HasNaN(const std::string& html) {
  static const std::regex kNaN(R"(\b(nan|inf|infinity)\b)", std::regex::icase);
  return std::regex_search(html, kNaN);
}

std::string Attribute(const std::string& svg, std::string_view name) {
  const std::string key = StrCat(name, "=\"");
  const size_t at = svg.find(key);
  if (at == std::string::npos) return {};
  return svg.substr(at + key.size(), svg.find('"', at + key.size()) - at - key.size());
}

// Two reps (one with markup in its name), five customers with purchases
// from January to June 2025, one prospect, no survey answers.
void BuildSmallPortfolio(Portfolio& p) {
  ASSERT_TRUE(p.AddReps(std::vector<Rep>{{.id = "R1", .name = "Ana <b>&</b> \"Cia\""}, {.id = "R2", .name = "Rui"}})
                  .ok());
  ASSERT_TRUE(p.AddCustomers(std::vector<Customer>{{.id = "A", .name = "<script>alert(1)</script>"},
                                                   {.id = "B", .name = "Bruno"},
                                                   {.id = "C", .name = "Carla"},
                                                   {.id = "D", .name = "Davi"},
                                                   {.id = "E", .name = "Eva"},
                                                   {.id = "P", .name = "Prospect"}})
                  .ok());
  std::vector<Transaction> t;
  auto buy = [&t](const char* id, DayNumber day, MinorUnits amount) {
    t.push_back({id, ToDate(day), amount, "", "", "", {}});
  };
  buy("A", D(2025, 1, 10), 123456);
  buy("A", D(2025, 3, 10), 100000);
  buy("A", D(2025, 6, 20), 50000);
  buy("B", D(2025, 1, 15), 20000);
  buy("B", D(2025, 2, 15), 20000);
  buy("C", D(2025, 2, 1), 5000);
  buy("D", D(2025, 4, 2), 700);
  buy("E", D(2024, 1, 2), 9900);  // before the period
  ASSERT_TRUE(p.AddTransactions(t).ok());
  ASSERT_TRUE(p.AddAssignments(std::vector<Assignment>{{"A", "R1", ToDate(D(2024, 1, 1)), ""},
                                                       {"B", "R1", ToDate(D(2024, 1, 1)), ""},
                                                       {"C", "R2", ToDate(D(2024, 1, 1)), ""}})
                  .ok());
}

ReportOptions Options(ReportLanguage language = ReportLanguage::kPtBr) {
  ReportOptions o;
  o.as_of = D(2025, 6, 30);
  o.from = D(2025, 1, 1);
  o.language = language;
  return o;
}

TEST(Report, FiguresOfASmallPortfolio) {
  Portfolio p;
  BuildSmallPortfolio(p);
  auto data = ComputeReport(p, Options());
  ASSERT_TRUE(data.ok()) << data.status();
  EXPECT_EQ(data->customers, 6);
  EXPECT_EQ(std::accumulate(data->status.begin(), data->status.end(), std::int64_t{0}), 6);
  EXPECT_EQ(data->status[static_cast<int>(Status::kProspect)], 1);
  EXPECT_EQ(data->rfm_customers, 5);
  EXPECT_EQ(std::accumulate(data->segment_counts.begin(), data->segment_counts.end(), std::int64_t{0}), 5);
  std::int64_t grid = 0;
  for (const auto& row : data->rfm_grid) grid = std::accumulate(row.begin(), row.end(), grid);
  EXPECT_EQ(grid, 5);
  // The default map reads r and fm only: every cell has its segment.
  for (const auto& row : data->rfm_grid_segment) {
    for (const int s : row) EXPECT_GE(s, 0);
  }
  EXPECT_EQ(data->kpis.revenue, 123456 + 100000 + 50000 + 40000 + 5000 + 700);
  ASSERT_TRUE(data->cohorts.has_value());
  EXPECT_EQ(data->cohorts->month.size(), 6u);  // January to June
  EXPECT_EQ(data->revenue_customers, 4);
  EXPECT_EQ(data->lorenz.front(), std::make_pair(0.0, 0.0));
  EXPECT_EQ(data->lorenz.back(), std::make_pair(1.0, 1.0));
  ASSERT_EQ(data->rep_rows.size(), 3u);  // R1, R2, the unassigned
  EXPECT_EQ(data->rep_ids[0], "R1");
  EXPECT_EQ(data->rep_rows[2].rep, kNoRep);
}

TEST(Report, EveryChartHasItsSeries) {
  Portfolio p;
  BuildSmallPortfolio(p);
  auto data = ComputeReport(p, Options());
  ASSERT_TRUE(data.ok()) << data.status();
  const std::string html = RenderReport(*data, Options());
  ASSERT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_EQ(Count(html, "<svg"), Count(html, "</svg>"));

  const std::string status = Chart(html, "status");
  EXPECT_EQ(Attribute(status, "data-series"), "7");
  EXPECT_EQ(Count(status, "class=\"bar\""), 7u);
  EXPECT_NE(status.find("data-status=\"prospect\" data-value=\"1\""), std::string::npos);

  const std::string segments = Chart(html, "segments");
  EXPECT_EQ(Attribute(segments, "data-series"), std::to_string(data->segment_names.size()));
  EXPECT_EQ(Count(segments, "class=\"bar\""), data->segment_names.size());

  const std::string grid = Chart(html, "rfm-grid");
  EXPECT_EQ(Attribute(grid, "data-series"), "25");
  EXPECT_EQ(Count(grid, "class=\"cell\""), 25u);

  const std::string cohort = Chart(html, "cohort");
  EXPECT_EQ(Attribute(cohort, "data-series"), "6");
  EXPECT_EQ(Attribute(cohort, "data-cells"), "21");  // 6 + 5 + ... + 1
  EXPECT_EQ(Count(cohort, "class=\"cell\""), 21u);

  const std::string lorenz = Chart(html, "lorenz");
  EXPECT_EQ(Attribute(lorenz, "data-series"), "2");
  EXPECT_EQ(Count(lorenz, "class=\"curve\""), 2u);
  EXPECT_EQ(Count(lorenz, "class=\"marker\""), 1u);

  for (const char* name : {"rep-revenue", "rep-positivacao"}) {
    const std::string reps = Chart(html, name);
    EXPECT_EQ(Attribute(reps, "data-series"), "3") << name;
    EXPECT_EQ(Count(reps, "class=\"bar\""), 3u) << name;
  }
  EXPECT_EQ(Count(html, "<tr data-rep="), 3u);
}

TEST(Report, UserTextIsEscaped) {
  Portfolio p;
  BuildSmallPortfolio(p);
  auto data = ComputeReport(p, Options());
  ASSERT_TRUE(data.ok());
  ReportOptions options = Options();
  options.title = "Carteira <Sul> & \"Norte\"";
  const std::string html = RenderReport(*data, options);
  EXPECT_EQ(html.find("<b>"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_NE(html.find("Ana &lt;b&gt;&amp;&lt;/b&gt; &quot;Cia&quot;"), std::string::npos);
  EXPECT_NE(html.find("Carteira &lt;Sul&gt; &amp; &quot;Norte&quot;"), std::string::npos);
}

TEST(Report, PortugueseAndEnglishFormatting) {
  Portfolio p;
  BuildSmallPortfolio(p);
  auto data = ComputeReport(p, Options());
  ASSERT_TRUE(data.ok());
  const std::string pt = RenderReport(*data, Options(ReportLanguage::kPtBr));
  const std::string en = RenderReport(*data, Options(ReportLanguage::kEn));
  EXPECT_NE(pt.find("<html lang=\"pt-BR\">"), std::string::npos);
  EXPECT_NE(en.find("<html lang=\"en\">"), std::string::npos);
  for (const char* label : {"Situação da carteira", "Segmentos RFM", "Retenção por coorte", "Concentração de receita",
                            "Representantes", "Indicadores do período"}) {
    EXPECT_NE(pt.find(label), std::string::npos) << label;
  }
  for (const char* label : {"Portfolio status", "RFM segments", "Cohort retention", "Revenue concentration",
                            "Sales reps", "KPIs of the period"}) {
    EXPECT_NE(en.find(label), std::string::npos) << label;
  }
  // Revenue 3.191,56 in the KPI table; dates of the period.
  EXPECT_NE(pt.find("R$ 3.191,56"), std::string::npos);
  EXPECT_NE(en.find("R$ 3,191.56"), std::string::npos);
  EXPECT_NE(pt.find("01/01/2025 a 30/06/2025"), std::string::npos);
  EXPECT_NE(en.find("2025-01-01 to 2025-06-30"), std::string::npos);
  ReportOptions none = Options(ReportLanguage::kEn);
  none.currency.clear();
  EXPECT_NE(RenderReport(*data, none).find(">3,191.56<"), std::string::npos);
}

TEST(Report, NoSurveysAndEmptyRatiosShowADashNeverNaN) {
  Portfolio p;
  BuildSmallPortfolio(p);
  auto data = ComputeReport(p, Options());
  ASSERT_TRUE(data.ok());
  const std::string html = RenderReport(*data, Options());
  EXPECT_FALSE(data->kpis.nps.has_value());
  EXPECT_NE(html.find("<tr data-kpi=\"nps\"><td>NPS</td><td class=\"n\">\xE2\x80\x94</td>"), std::string::npos);
  EXPECT_FALSE(HasNaN(html));
}

TEST(Report, APeriodWithoutPurchasesIsStillAValidReport) {
  Portfolio p;
  BuildSmallPortfolio(p);
  ReportOptions options = Options();
  options.from = D(2025, 7, 1);  // after every purchase
  options.as_of = D(2025, 8, 31);
  auto data = ComputeReport(p, options);
  ASSERT_TRUE(data.ok()) << data.status();
  EXPECT_EQ(data->kpis.revenue, 0);
  EXPECT_TRUE(data->lorenz.empty());
  EXPECT_FALSE(data->kpis.average_ticket.has_value());
  const std::string html = RenderReport(*data, options);
  EXPECT_EQ(Attribute(Chart(html, "lorenz"), "data-series"), "1");  // the line of equality alone
  EXPECT_EQ(Attribute(Chart(html, "cohort"), "data-series"), "2");   // two empty cohorts
  EXPECT_NE(html.find("<tr data-kpi=\"average_ticket\"><td>Ticket médio</td><td class=\"n\">\xE2\x80\x94</td>"),
            std::string::npos);
  EXPECT_FALSE(HasNaN(html));
}

TEST(Report, AnEmptyPortfolioNeedsADateThenReportsNothing) {
  Portfolio p;
  EXPECT_EQ(ComputeReport(p).status().code(), absl::StatusCode::kInvalidArgument);
  ReportOptions options;
  options.as_of = D(2025, 6, 30);
  auto data = ComputeReport(p, options);
  ASSERT_TRUE(data.ok()) << data.status();
  EXPECT_EQ(data->from, D(2025, 6, 30) - 364);  // the default period: 365 days
  const std::string html = RenderReport(*data, options);
  EXPECT_EQ(Attribute(Chart(html, "status"), "data-series"), "7");
  EXPECT_EQ(Attribute(Chart(html, "rep-revenue"), "data-series"), "0");
  EXPECT_FALSE(HasNaN(html));
}

TEST(Report, RefusesAPeriodThatEndsBeforeItStarts) {
  Portfolio p;
  BuildSmallPortfolio(p);
  ReportOptions options = Options();
  options.from = options.as_of + 1;
  EXPECT_EQ(ComputeReport(p, options).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(Report, APeriodBeyondTheCohortLimitKeepsTheOtherCharts) {
  Portfolio p;
  BuildSmallPortfolio(p);
  ReportOptions options = Options();
  options.from = D(2015, 1, 1);
  auto data = ComputeReport(p, options);
  ASSERT_TRUE(data.ok()) << data.status();
  EXPECT_FALSE(data->cohorts.has_value());
  EXPECT_FALSE(data->cohort_error.empty());
  const std::string html = RenderReport(*data, options);
  EXPECT_EQ(Attribute(Chart(html, "cohort"), "data-series"), "0");
  EXPECT_EQ(Attribute(Chart(html, "lorenz"), "data-series"), "2");
}

TEST(Report, SameInputSameBytes) {
  Portfolio p1, p2;
  BuildSmallPortfolio(p1);
  BuildSmallPortfolio(p2);
  std::ostringstream a, b, c;
  ASSERT_TRUE(WriteReport(p1, Options(), a).ok());
  ASSERT_TRUE(WriteReport(p1, Options(), b).ok());
  ASSERT_TRUE(WriteReport(p2, Options(), c).ok());
  EXPECT_EQ(a.str(), b.str());
  EXPECT_EQ(a.str(), c.str());
}

TEST(Report, TheSampleReportIsDeterministicAndComplete) {
  Portfolio p;
  ImportReport import;
  ASSERT_TRUE(ImportDirectory(p, CARTEIRA_SAMPLE_DIR, ImportOptions{}, &import).ok());
  auto first = ComputeReport(p);
  auto second = ComputeReport(p);
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_TRUE(second.ok());
  const std::string html = RenderReport(*first);
  EXPECT_EQ(html, RenderReport(*second));
  EXPECT_EQ(first->from, first->as_of - 364);
  EXPECT_EQ(Attribute(Chart(html, "rep-revenue"), "data-series"), std::to_string(first->rep_rows.size()));
  EXPECT_GE(first->rep_rows.size(), p.reps().size());
  EXPECT_GT(std::stoi(Attribute(Chart(html, "cohort"), "data-cells")), 0);
  EXPECT_EQ(Attribute(Chart(html, "lorenz"), "data-series"), "2");
  // Self-contained: nothing fetched.
  for (const char* external : {"<script", "<link", "src=", "url(", "@import", "http://", "https://"}) {
    const std::string text = html;
    const size_t at = text.find(external);
    // The only URL is the SVG namespace, which is an identifier, not a fetch.
    if (std::string_view(external) == "http://") {
      EXPECT_EQ(Count(text, "http://"), Count(text, "xmlns=\"http://www.w3.org/2000/svg\""));
    } else {
      EXPECT_EQ(at, std::string::npos) << external;
    }
  }
}

class ReportFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / StrCat("carteira_report_test_", ::getpid(), "_",
                                              ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    BuildSmallPortfolio(p_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  size_t Entries() const {
    return static_cast<size_t>(std::distance(fs::directory_iterator(dir_), fs::directory_iterator()));
  }
  fs::path dir_;
  Portfolio p_;
};

TEST_F(ReportFileTest, WritesAndReplacesTheFile) {
  const std::string path = (dir_ / "report.html").string();
  {
    std::ofstream old(path);
    old << "old";
  }
  ASSERT_TRUE(WriteReportFile(p_, Options(), path).ok());
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  std::ostringstream expected;
  ASSERT_TRUE(WriteReport(p_, Options(), expected).ok());
  EXPECT_EQ(text.str(), expected.str());
  EXPECT_EQ(Entries(), 1u);  // no temporary file left
}

TEST_F(ReportFileTest, AMissingDirectoryFailsNamingThePathAndLeavesNothing) {
  const std::string path = (dir_ / "no" / "such" / "report.html").string();
  const absl::Status s = WriteReportFile(p_, Options(), path);
  EXPECT_EQ(s.code(), absl::StatusCode::kNotFound);
  EXPECT_NE(std::string(s.message()).find(path), std::string::npos) << s;
  EXPECT_EQ(Entries(), 0u);
}

TEST_F(ReportFileTest, ADirectoryIsNotAFile) {
  const absl::Status s = WriteReportFile(p_, Options(), dir_.string());
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(std::string(s.message()).find(dir_.string()), std::string::npos) << s;
  EXPECT_EQ(Entries(), 0u);
}

TEST_F(ReportFileTest, AReadOnlyDirectoryLeavesTheOldFile) {
  if (::geteuid() == 0) GTEST_SKIP() << "root writes into read-only directories";
  const std::string path = (dir_ / "report.html").string();
  {
    std::ofstream old(path);
    old << "old";
  }
  fs::permissions(dir_, fs::perms::owner_read | fs::perms::owner_exec);
  const absl::Status s = WriteReportFile(p_, Options(), path);
  fs::permissions(dir_, fs::perms::owner_all);
  EXPECT_EQ(s.code(), absl::StatusCode::kPermissionDenied);
  std::ifstream in(path);
  std::string text;
  in >> text;
  EXPECT_EQ(text, "old");
  EXPECT_EQ(Entries(), 1u);
}

}  // namespace
}  // namespace carteira
