// Calibration / holdout on CDNOW (Fader, Hardie & Lee 2005): fit BG/NBD on
// weeks 1-39 of the transaction log, predict weeks 40-78.
#include "carteira/models/holdout.h"

#include <gtest/gtest.h>

#include "carteira/io/import.h"
#include "carteira/models/bg_nbd.h"

namespace carteira::models {
namespace {

TEST(Holdout, CdnowBgNbdPredictsWeeks40To78) {
  Portfolio p;
  ImportOptions options;
  options.has_header = false;
  options.column_mapping[Entity::kTransactions] = {{"customer_id", "2"}, {"date", "3"}, {"amount", "5"}};
  ImportReport report;
  ASSERT_TRUE(ImportFile(p, Entity::kTransactions, std::string(CARTEIRA_TEST_DATA) + "/cdnow/CDNOW_sample.txt",
                         options, &report)
                  .ok());
  auto split = SplitCalibrationHoldout(p, DaysFromCivil(1997, 9, 30), DaysFromCivil(1998, 6, 30), TimeUnit::kWeeks);
  ASSERT_TRUE(split.ok()) << split.status();
  ASSERT_EQ(split->calibration.size(), 2357u);
  EXPECT_NEAR(split->holdout_length, 39.0, 1e-12);
  auto model = BgNbd::Fit(BgNbdVariant::kBgNbd, split->calibration);
  ASSERT_TRUE(model.ok()) << model.status();
  EXPECT_NEAR(model->params().r, 0.243, 0.0005);  // the same fit as from the published summary
  std::vector<double> predicted(split->calibration.size());
  ASSERT_TRUE(model->ConditionalExpectedPurchases(split->calibration, Duration::Weeks(39), predicted).ok());
  const HoldoutComparison c = CompareHoldout(*split, predicted, *model->fit());
  // 1,882 purchase-days in weeks 40-78 (Fader, Hardie & Lee 2005a).
  EXPECT_EQ(c.actual_total, 1882);
  // The sum of the conditional expectations: 1,653.4, the same sum that
  // mpmath (hyp2f1 at 20 digits) gives from the published summary file and
  // these parameters; the model under-forecasts the holdout by ~12%, as the
  // cohort's repeat buying held up better than the calibration suggested.
  EXPECT_NEAR(c.predicted_total, 1653.4, 1.0);
  EXPECT_GT(c.mean_absolute_error, 0);
  EXPECT_LT(c.mean_absolute_error, 1.0);
  EXPECT_NEAR(c.log_likelihood, -9582.4, 0.05);
  EXPECT_NEAR(c.aic, 2 * 4 + 2 * 9582.4, 0.1);
  std::printf("holdout: predicted %.2f actual %.0f MAE %.4f RMSE %.4f\n", c.predicted_total, c.actual_total,
              c.mean_absolute_error, c.root_mean_squared_error);
}

}  // namespace
}  // namespace carteira::models
