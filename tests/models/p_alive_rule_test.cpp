// The P(alive) status rule on the sample portfolio.
#include "carteira/models/p_alive_rule.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace carteira::models
