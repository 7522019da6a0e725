// The models behind one interface: dispatch by name, known parameters,
// explicit units and the lifetime value.
#include "carteira/models/model.h"

#include <gtest/gtest.h>

#include <cmath>

#include "tests/models/cdnow_data.h"

namespace carteira::models {
namespace {

TEST(Model, NamesRoundTripAndParametersAreChecked) {
  for (int k = 0; k < 5; ++k) {
    const auto kind = static_cast<ModelKind>(k);
    EXPECT_EQ(ParseModelKind(ModelKindName(kind)), kind);
  }
  EXPECT_FALSE(ParseModelKind("bg-nbd").has_value());
  const double two[] = {1, 2};
  EXPECT_EQ(Model::FromParams(ModelKind::kBgNbd, two, TimeUnit::kWeeks).status().message(),
            "bgnbd takes 4 parameters, got 2");
  const double negative[] = {1, -2, 1, 1};
  EXPECT_EQ(Model::FromParams(ModelKind::kParetoNbd, negative, TimeUnit::kWeeks).status().message(),
            "paretonbd: parameter alpha must be a positive number, got -2");
}

TEST(Model, HorizonsInAnyUnitMeanTheSameTime) {
  const double p[] = {0.243, 4.414, 0.793, 2.426};
  auto m = Model::FromParams(ModelKind::kBgNbd, p, TimeUnit::kWeeks);
  ASSERT_TRUE(m.ok());
  RfmData d = testing::CdnowCalibration();
  std::vector<double> weeks(d.size()), days(d.size());
  ASSERT_TRUE(m->ExpectedPurchases(d, Duration::Weeks(39), weeks).ok());
  ASSERT_TRUE(m->ExpectedPurchases(d.In(TimeUnit::kDays), Duration::Days(273), days).ok());
  for (size_t i = 0; i < d.size(); ++i) ASSERT_NEAR(weeks[i], days[i], 1e-9 * std::max(1.0, weeks[i])) << i;
  auto w = m->UnconditionalExpectedPurchases(Duration::Weeks(52));
  auto y = m->UnconditionalExpectedPurchases(Duration::Days(364));
  EXPECT_NEAR(*w, *y, 1e-12);
  EXPECT_FALSE(m->ExpectedSpend(d, weeks).ok());  // not a spend model
}

TEST(Model, LifetimeValueSumsDiscountedPeriods) {
  const RfmData d = testing::CdnowCalibration();
  auto bg = Model::Fit(ModelKind::kBgNbd, d);
  auto gg = Model::Fit(ModelKind::kGammaGamma, d);
  ASSERT_TRUE(bg.ok() && gg.ok());
  std::vector<double> clv(d.size()), one(d.size()), expected(d.size()), spend(d.size());
  // No discount, margin 1, one period: purchases x spend.
  ASSERT_TRUE(bg->LifetimeValue(*gg, d, Duration::Weeks(52), Duration::Weeks(52), 0.0, 1.0, one).ok());
  ASSERT_TRUE(bg->ExpectedPurchases(d, Duration::Weeks(52), expected).ok());
  ASSERT_TRUE(gg->ExpectedSpend(d, spend).ok());
  for (size_t i = 0; i < d.size(); ++i) ASSERT_NEAR(one[i], expected[i] * spend[i], 1e-9 * (1 + one[i]));
  // A horizon of millions of periods is refused, not computed.
  EXPECT_FALSE(bg->LifetimeValue(*gg, d, Duration::Days(1e7), Duration::Days(1), 0.0, 1.0, one).ok());
  // Monthly periods with a 1% monthly discount and a 30% margin: less than
  // the undiscounted margin, more than zero.
  ASSERT_TRUE(bg->LifetimeValue(*gg, d, Duration::Months(12), Duration::Months(1), 0.01, 0.3, clv).ok());
  for (size_t i = 0; i < d.size(); ++i) {
    ASSERT_GT(clv[i], 0.0);
    ASSERT_LT(clv[i], 0.3 * one[i] * 1.0001);
  }
}

}  // namespace
}  // namespace carteira::models
