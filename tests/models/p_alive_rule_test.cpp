// The P(alive) status rule on the sample portfolio.
#include "carteira/models/p_alive_rule.h"

#include <gtest/gtest.h>

#include <cmath>
#include <memory>

#include "carteira/io/import.h"
#include "carteira/status/status_engine.h"

namespace carteira::models {
namespace {

TEST(PAliveRule, JudgesByTheModelAndExplains) {
  Portfolio p;
  ImportReport report;
  ASSERT_TRUE(ImportDirectory(p, CARTEIRA_SAMPLE_DIR, ImportOptions(), &report).ok());
  const DayNumber as_of = *ParseDate("2026-10-31");
  SummaryOptions o;
  o.as_of = ToDate(as_of);
  o.unit = TimeUnit::kWeeks;
  auto summary = Summarize(p, o);
  ASSERT_TRUE(summary.ok());
  auto model = Model::Fit(ModelKind::kBgNbd, RfmFromSummary(*summary));
  ASSERT_TRUE(model.ok()) << model.status();
  auto rule = PAliveRule::Create(*model, {0.5, 0.2, Duration::Days(90)});
  ASSERT_TRUE(rule.ok()) << rule.status();
  auto engine = StatusEngine::Create(p, StatusPolicy::Default());
  ASSERT_TRUE(engine.ok());
  ASSERT_TRUE(engine->AddRule(std::move(*rule)).ok());
  auto t = engine->Classify(as_of);
  ASSERT_TRUE(t.ok()) << t.status();
  size_t decided = 0, explained = 0;
  for (size_t c = 0; c < t->size(); ++c) {
    const std::string reason = t->Reason(p, c);
    if (t->RuleName(c) == "p_alive") {
      ++decided;
      EXPECT_NE(reason.find("p_alive: P(alive) "), std::string::npos) << reason;
      EXPECT_NE(reason.find("bgnbd fitted on 4850 customers, LL "), std::string::npos) << reason;
    }
    if (reason.find("purchases in the next 90 days") != std::string::npos) ++explained;
  }
  EXPECT_GT(decided, 0u);
  EXPECT_GT(explained, decided);  // agreeing verdicts are explained too
  // Lost and prospects are left alone.
  for (size_t c = 0; c < t->size(); ++c) {
    if (t->status[c] == Status::kLost || t->status[c] == Status::kProspect) EXPECT_NE(t->RuleName(c), "p_alive");
  }
  // Bad thresholds and spend models are refused.
  EXPECT_FALSE(PAliveRule::Create(*model, {0.2, 0.5, Duration::Days(90)}).ok());
  const double gg[] = {6.25, 3.74, 15.44};
  EXPECT_FALSE(PAliveRule::Create(*Model::FromParams(ModelKind::kGammaGamma, gg, TimeUnit::kWeeks)).ok());
}

// The rule's figures are columns of the table: P(alive) and the expected
// purchases in the horizon, equal to the model's predictions for the
// customer as of the date (NaN for prospects), for every customer with a
// purchase whatever the verdict.
TEST(PAliveRule, ReportsItsFiguresAsCustomerFields) {
  Portfolio p;
  ImportReport report;
  ASSERT_TRUE(ImportDirectory(p, CARTEIRA_SAMPLE_DIR, ImportOptions(), &report).ok());
  const DayNumber as_of = *ParseDate("2026-10-31");
  SummaryOptions o;
  o.as_of = ToDate(as_of);
  o.unit = TimeUnit::kDays;
  auto summary = Summarize(p, o);
  ASSERT_TRUE(summary.ok());
  const RfmData data = RfmFromSummary(*summary);
  const double params[] = {0.3, 60.0, 0.6, 3.0};  // days
  auto model = Model::FromParams(ModelKind::kBgNbd, params, TimeUnit::kDays);
  ASSERT_TRUE(model.ok());
  auto rule = PAliveRule::Create(*model, {0.5, 0.2, Duration::Weeks(13)});
  ASSERT_TRUE(rule.ok());
  EXPECT_EQ((*rule)->FieldNames(), (std::vector<std::string>{"p_alive", "expected_purchases_13w"}));
  auto engine = StatusEngine::Create(p, StatusPolicy::Default());
  ASSERT_TRUE(engine.ok());
  ASSERT_TRUE(engine->AddRule(std::move(*rule)).ok());
  auto t = engine->Classify(as_of);
  ASSERT_TRUE(t.ok()) << t.status();
  ASSERT_EQ(t->field_names, (std::vector<std::string>{"p_alive", "expected_purchases_13w"}));
  const std::vector<double>* p_alive = t->Field("p_alive");
  const std::vector<double>* expected = t->Field("expected_purchases_13w");
  ASSERT_TRUE(p_alive != nullptr && expected != nullptr);
  EXPECT_EQ(t->Field("nothing"), nullptr);
  std::vector<double> want_p(data.size()), want_e(data.size());
  ASSERT_TRUE(model->PAlive(data, want_p).ok());
  ASSERT_TRUE(model->ExpectedPurchases(data, Duration::Weeks(13), want_e).ok());
  size_t row = 0, lost_with_figures = 0;
  for (size_t c = 0; c < t->size(); ++c) {
    if (row < summary->size() && summary->customer[row] == c) {
      EXPECT_NEAR((*p_alive)[c], want_p[row], 1e-12) << c;
      EXPECT_NEAR((*expected)[c], want_e[row], 1e-12 * std::max(1.0, want_e[row])) << c;
      if (t->status[c] == Status::kLost) ++lost_with_figures;
      ++row;
    } else {
      EXPECT_EQ(t->status[c], Status::kProspect);
      EXPECT_TRUE(std::isnan((*p_alive)[c]) && std::isnan((*expected)[c])) << c;
    }
  }
  EXPECT_EQ(row, summary->size());
  EXPECT_GT(lost_with_figures, 0u);
}

// Two rules cannot report the same field.
TEST(PAliveRule, FieldNamesAreUniqueAcrossRules) {
  Portfolio p;
  ImportReport report;
  ASSERT_TRUE(ImportDirectory(p, CARTEIRA_SAMPLE_DIR, ImportOptions(), &report).ok());
  const double params[] = {0.3, 60.0, 0.6, 3.0};
  auto model = Model::FromParams(ModelKind::kBgNbd, params, TimeUnit::kDays);
  ASSERT_TRUE(model.ok());
  auto engine = StatusEngine::Create(p, StatusPolicy::Default());
  ASSERT_TRUE(engine.ok());
  ASSERT_TRUE(engine->AddRule(*PAliveRule::Create(*model)).ok());
  // A second P(alive) rule is refused for its name; a rule of another name
  // reporting "p_alive" for its field.
  struct Other : StatusRule {
    std::string_view name() const override { return "other"; }
    absl::Status Apply(const Portfolio&, const StatusFacts&, StatusDecision& d) const override {
      return d.SetField(0, 1.0);
    }
    std::vector<std::string> FieldNames() const override { return {"p_alive"}; }
  };
  const absl::Status s = engine->AddRule(std::make_unique<Other>());
  EXPECT_EQ(s.code(), absl::StatusCode::kAlreadyExists) << s;
  EXPECT_NE(s.message().find("field 'p_alive'"), std::string::npos) << s;
  // A rule setting a field it did not declare fails the classification,
  // naming the rule and the customer.
  struct Undeclared : StatusRule {
    std::string_view name() const override { return "undeclared"; }
    absl::Status Apply(const Portfolio&, const StatusFacts&, StatusDecision& d) const override {
      return d.SetField(0, 1.0);
    }
  };
  ASSERT_TRUE(engine->AddRule(std::make_unique<Undeclared>()).ok());
  auto t = engine->Classify(*ParseDate("2026-10-31"));
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), absl::StatusCode::kOutOfRange);
  EXPECT_NE(t.status().message().find("status rule 'undeclared' failed for customer"), std::string::npos)
      << t.status();
}

}  // namespace
}  // namespace carteira::models
