#include "carteira/segments/rfm.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "carteira/io/import.h"

namespace carteira {
namespace {

std::vector<std::uint8_t> Scores(std::vector<std::int64_t> values, bool higher_is_better) {
  std::vector<std::uint8_t> out(values.size());
  QuintileScores(values, higher_is_better, out);
  return out;
}

TEST(QuintileScores, DistinctValuesTakeOneQuintileEach) {
  EXPECT_EQ(Scores({50, 10, 40, 20, 30}, true), (std::vector<std::uint8_t>{5, 1, 4, 2, 3}));
  EXPECT_EQ(Scores({50, 10, 40, 20, 30}, false), (std::vector<std::uint8_t>{1, 5, 2, 4, 3}));
}

TEST(QuintileScores, TiedValuesShareTheScoreOfTheirFirstRank) {
  // L(1) = 0 -> 1; L(2) = 3 -> 1 + 15/5 = 4; L(3) = 4 -> 5.
  EXPECT_EQ(Scores({1, 2, 1, 3, 1}, true), (std::vector<std::uint8_t>{1, 4, 1, 5, 1}));
  // Fewer days is better: L counts the larger values. 0: L=3 -> 1+15/4 = 4;
  // 10: L=1 -> 1+5/4 = 2; 400: L=0 -> 1.
  EXPECT_EQ(Scores({10, 0, 400, 10}, false), (std::vector<std::uint8_t>{2, 4, 1, 2}));
  EXPECT_EQ(Scores({7, 7, 7}, true), (std::vector<std::uint8_t>{1, 1, 1}));
  EXPECT_EQ(Scores({}, true), (std::vector<std::uint8_t>{}));
  EXPECT_EQ(Scores({-5}, true), (std::vector<std::uint8_t>{1}));
}

TEST(QuintileScores, MatchTheDefinitionWhateverTheRowOrder) {
  std::mt19937_64 rng(7);
  std::vector<std::int64_t> values(3000);
  for (auto& v : values) v = static_cast<std::int64_t>(rng() % 40) - 10 + (rng() % 50 == 0 ? 100000000000 : 0);
  const auto scores = Scores(values, true);
  const size_t n = values.size();
  for (size_t i = 0; i < n; i += 7) {
    const auto below = std::count_if(values.begin(), values.end(), [&](std::int64_t v) { return v < values[i]; });
    EXPECT_EQ(scores[i], 1 + 5 * static_cast<size_t>(below) / n) << i;
  }
  std::vector<size_t> perm(n);
  for (size_t i = 0; i < n; ++i) perm[i] = i;
  std::shuffle(perm.begin(), perm.end(), rng);
  std::vector<std::int64_t> shuffled(n);
  for (size_t i = 0; i < n; ++i) shuffled[i] = values[perm[i]];
  const auto again = Scores(shuffled, true);
  for (size_t i = 0; i < n; ++i) ASSERT_EQ(again[i], scores[perm[i]]);
}

// A population cut into parts and each part scored by the whole's
// thresholds (a cluster's partitions) gets the whole's scores, for wide
// (money) and narrow (days) spans and both directions.
TEST(QuintileThresholds, ScoringInPartsByTheWholesThresholdsGivesTheWholesScores) {
  std::mt19937_64 rng(11);
  for (bool wide : {false, true}) {
    for (bool higher : {false, true}) {
      std::vector<std::int64_t> values(5003);
      for (auto& v : values) {
        v = wide ? static_cast<std::int64_t>(rng() % 4000000000) - 1000000000 : static_cast<std::int64_t>(rng() % 60);
      }
      const auto whole = Scores(values, higher);
      auto thresholds = QuintileThresholds(values, higher);
      ASSERT_TRUE(thresholds.ok()) << thresholds.status();
      std::vector<std::uint8_t> parts(values.size());
      for (size_t begin = 0; begin < values.size(); begin += 977) {
        const size_t end = std::min(values.size(), begin + 977);
        ASSERT_TRUE(ScoreByQuintileThresholds(std::span<const std::int64_t>(values).subspan(begin, end - begin),
                                              higher, *thresholds,
                                              std::span<std::uint8_t>(parts).subspan(begin, end - begin))
                        .ok());
      }
      EXPECT_EQ(parts, whole) << "wide " << wide << " higher " << higher;
    }
  }
}

TEST(QuintileThresholds, AreTheOrderStatisticsAndRefuseBadInput) {
  auto t = QuintileThresholds(std::vector<std::int64_t>{40, 10, 30, 20, 20, 50}, true);
  ASSERT_TRUE(t.ok());
  // n = 6: ranks ceil(6k/5) = 2, 3, 4, 5 of 10, 20, 20, 30, 40, 50.
  EXPECT_EQ(*t, (QuintileThresholdValues{20, 20, 30, 40}));
  EXPECT_FALSE(QuintileThresholds(std::vector<std::int64_t>{}, true).ok());
  std::vector<std::uint8_t> out(1);
  const absl::Status s = ScoreByQuintileThresholds(std::vector<std::int64_t>{1}, true, {1, 3, 2, 4}, out);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("thresholds[2]"), std::string_view::npos) << s;
}

TEST(ScoreRfm, ScoresRecencyFrequencyAndMonetaryFromTheSummary) {
  Portfolio p;
  const DayNumber d0 = DaysFromCivil(2025, 1, 1);
  auto buy = [&p](const char* id, DayNumber day, MinorUnits amount) {
    ASSERT_TRUE(p.AddTransactions(std::vector<Transaction>{{id, ToDate(day), amount, "", "", "", {}}}).ok());
  };
  // A: 3 purchase-days, last on d0+100, 300.00 net (a return of 10.00).
  buy("A", d0, 10000);
  buy("A", d0 + 50, 10000);
  buy("A", d0 + 100, 11000);
  buy("A", d0 + 100, -1000);
  // B: 1 purchase-day, d0+10, 50.00. C: 2 days, last d0+90, 50.00. D: 1 day, d0+100, 900.00.
  buy("B", d0 + 10, 5000);
  buy("C", d0 + 20, 2500);
  buy("C", d0 + 90, 2500);
  buy("D", d0 + 100, 90000);
  ASSERT_TRUE(p.AddCustomers(std::vector<Customer>{{.id = "P"}}).ok());  // prospect: no row
  SummaryOptions options;
  options.as_of = ToDate(d0 + 110);
  auto summary = Summarize(p, options);
  ASSERT_TRUE(summary.ok());
  const RfmTable t = ScoreRfm(*summary);
  ASSERT_EQ(t.size(), 4u);
  // Recency days A 10, B 100, C 20, D 10: A and D tie (2 worse -> 1+10/4 = 3).
  EXPECT_EQ(t.recency_days, (std::vector<std::int32_t>{10, 100, 20, 10}));
  EXPECT_EQ(t.r, (std::vector<std::uint8_t>{3, 1, 2, 3}));
  // Frequency 3, 1, 2, 1: L = 3, 0, 2, 0.
  EXPECT_EQ(t.f, (std::vector<std::uint8_t>{4, 1, 3, 1}));
  // Monetary 300.00, 50.00, 50.00, 900.00: L = 2, 0, 0, 3.
  EXPECT_EQ(t.monetary, (std::vector<MinorUnits>{30000, 5000, 5000, 90000}));
  EXPECT_EQ(t.m, (std::vector<std::uint8_t>{3, 1, 1, 4}));
  EXPECT_EQ(t.Code(0), 343);
  EXPECT_EQ(t.FM(0), 4);  // ceil((4 + 3) / 2)
  EXPECT_EQ(t.FM(1), 1);
}

TEST(ScoreRfm, SamplePortfolioUsesEveryScoreAndIsDeterministic) {
  Portfolio p;
  ImportOptions options;
  ImportReport report;
  ASSERT_TRUE(ImportDirectory(p, CARTEIRA_SAMPLE_DIR, options, &report).ok());
  SummaryOptions so;
  const auto& dates = p.transactions().date;
  so.as_of = ToDate(*std::max_element(dates.begin(), dates.end()));
  auto summary = Summarize(p, so);
  ASSERT_TRUE(summary.ok());
  const RfmTable a = ScoreRfm(*summary), b = ScoreRfm(*summary);
  EXPECT_EQ(a.r, b.r);
  EXPECT_EQ(a.f, b.f);
  EXPECT_EQ(a.m, b.m);
  for (const auto* scores : {&a.r, &a.m}) {
    for (int s = 1; s <= 5; ++s) EXPECT_NE(std::count(scores->begin(), scores->end(), s), 0) << s;
  }
}

}  // namespace
}  // namespace carteira
