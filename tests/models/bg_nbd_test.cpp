#include "carteira/models/bg_nbd.h"

#include <gtest/gtest.h>

#include <cmath>

#include "carteira/models/gamma_gamma.h"
#include "carteira/models/simulate.h"
#include "tests/models/cdnow_data.h"

namespace carteira::models {
namespace {

TEST(BgNbd, ReproducesFaderHardieLee2005OnCdnow) {
  const RfmData d = testing::CdnowCalibration();
  ASSERT_EQ(d.size(), 2357u);
  auto m = BgNbd::Fit(BgNbdVariant::kBgNbd, d);
  ASSERT_TRUE(m.ok()) << m.status();
  const FitResult& f = *m->fit();
  EXPECT_TRUE(f.converged) << f.reason;
  // Published: r = 0.243, alpha = 4.414, a = 0.793, b = 2.426, LL = -9582.4.
  EXPECT_NEAR(m->params().r, 0.243, 0.0005);
  EXPECT_NEAR(m->params().alpha, 4.414, 0.0005);
  EXPECT_NEAR(m->params().a, 0.793, 0.0005);
  EXPECT_NEAR(m->params().b, 2.426, 0.0005);
  EXPECT_NEAR(f.log_likelihood, -9582.4, 0.05);
  EXPECT_EQ(f.n_customers, 2357);
  EXPECT_EQ(f.unit, TimeUnit::kWeeks);
  for (double se : f.std_errors) EXPECT_TRUE(std::isfinite(se) && se > 0);
  std::printf("BG/NBD: r=%.6f alpha=%.6f a=%.6f b=%.6f LL=%.4f evals=%d grad=%g reason=%s se=%g %g %g %g\n",
              m->params().r, m->params().alpha, m->params().a, m->params().b, f.log_likelihood,
              f.evaluations, f.gradient_norm, f.reason.c_str(), f.std_errors[0], f.std_errors[1],
              f.std_errors[2], f.std_errors[3]);
}

TEST(MbgNbd, ReproducesBtydPlusOnCdnow) {
  const RfmData d = testing::CdnowCalibration();
  auto m = BgNbd::Fit(BgNbdVariant::kMbgNbd, d);
  ASSERT_TRUE(m.ok()) << m.status();
  const FitResult& f = *m->fit();
  EXPECT_TRUE(f.converged) << f.reason;
  // BTYDplus: r = 0.525, alpha = 6.183, a = 0.891, b = 1.614 (LL -9582.1 computed).
  EXPECT_NEAR(m->params().r, 0.525, 0.0005);
  EXPECT_NEAR(m->params().alpha, 6.183, 0.0005);
  EXPECT_NEAR(m->params().a, 0.891, 0.0005);
  EXPECT_NEAR(m->params().b, 1.614, 0.0005);
  EXPECT_NEAR(f.log_likelihood, -9582.1, 0.05);
  std::printf("MBG/NBD: r=%.6f alpha=%.6f a=%.6f b=%.6f LL=%.4f evals=%d grad=%g\n", m->params().r,
              m->params().alpha, m->params().a, m->params().b, f.log_likelihood, f.evaluations, f.gradient_norm);
}

}  // namespace
}  // namespace carteira::models

namespace carteira::models {
namespace {

// Fits recover the parameters that generated the data (within 3 standard
// errors), for both variants.
TEST(BgNbd, FitRecoversSimulatedParameters) {
  const BgNbdParams truth{0.6, 8.0, 0.7, 2.2};
  for (BgNbdVariant variant : {BgNbdVariant::kBgNbd, BgNbdVariant::kMbgNbd}) {
    SimulationOptions o;
    o.customers = 30000;
    o.T_min = 20;
    o.T_max = 60;
    const RfmData d = SimulateBgNbd(variant, truth, o);
    auto m = BgNbd::Fit(variant, d);
    ASSERT_TRUE(m.ok()) << m.status();
    const FitResult& f = *m->fit();
    ASSERT_TRUE(f.converged) << f.reason;
    const double want[] = {truth.r, truth.alpha, truth.a, truth.b};
    for (size_t k = 0; k < 4; ++k) {
      EXPECT_NEAR(f.params[k], want[k], 3 * f.std_errors[k])
          << BgNbdVariantName(variant) << " " << f.names[k] << " se " << f.std_errors[k];
    }
  }
}

TEST(GammaGamma, FitRecoversSimulatedParameters) {
  SimulationOptions o;
  o.customers = 20000;
  RfmData d = SimulateBgNbd(BgNbdVariant::kBgNbd, {1.0, 4.0, 0.5, 3.0}, o);
  const GammaGammaParams truth{4.0, 3.0, 20.0};
  SimulateSpend(truth, 7, d);
  auto m = GammaGamma::Fit(d);
  ASSERT_TRUE(m.ok()) << m.status();
  const FitResult& f = *m->fit();
  ASSERT_TRUE(f.converged) << f.reason;
  const double want[] = {truth.p, truth.q, truth.gamma};
  for (size_t k = 0; k < 3; ++k) EXPECT_NEAR(f.params[k], want[k], 3 * f.std_errors[k]) << f.names[k];
}

}  // namespace
}  // namespace carteira::models

namespace carteira::models {
namespace {

// Large data take the Newton path (analytic Hessian, from a sample's fit);
// it must land where L-BFGS from the true parameters lands.
TEST(BgNbd, NewtonOnLargeDataEqualsLbfgs) {
  SimulationOptions o;
  o.customers = 220000;
  o.unit = TimeUnit::kDays;
  o.T_min = 30;
  o.T_max = 1100;
  o.whole_days = true;
  for (BgNbdVariant variant : {BgNbdVariant::kBgNbd, BgNbdVariant::kMbgNbd}) {
    const BgNbdParams truth{0.5, 40.0, 0.7, 2.5};
    const RfmData d = SimulateBgNbd(variant, truth, o);
    auto newton = BgNbd::Fit(variant, d);
    FitOptions from_truth;
    from_truth.initial = {truth.r, truth.alpha, truth.a, truth.b};
    auto lbfgs = BgNbd::Fit(variant, d, from_truth);
    ASSERT_TRUE(newton.ok() && lbfgs.ok());
    const FitResult& n = *newton->fit();
    const FitResult& l = *lbfgs->fit();
    ASSERT_TRUE(n.converged && l.converged) << n.reason << " / " << l.reason;
    EXPECT_NE(n.reason.find("Newton's method"), std::string::npos) << n.reason;
    EXPECT_NEAR(n.log_likelihood, l.log_likelihood, 1e-9 * std::abs(l.log_likelihood));
    for (size_t k = 0; k < 4; ++k) {
      // L-BFGS stops at its own tolerance; Newton goes on to a gradient of
      // ~1e-10: they agree to a hundredth of a standard error.
      EXPECT_NEAR(n.params[k], l.params[k], 0.01 * l.std_errors[k]) << n.names[k];
      EXPECT_NEAR(n.std_errors[k], l.std_errors[k], 1e-3 * l.std_errors[k]) << n.names[k];
    }
  }
}

}  // namespace
}  // namespace carteira::models

namespace carteira::models {
namespace {

// Gamma-Gamma on large data takes the Newton path too, and lands where
// L-BFGS from the true parameters lands.
TEST(GammaGamma, NewtonOnLargeDataEqualsLbfgs) {
  SimulationOptions o;
  o.customers = 220000;
  RfmData d = SimulateBgNbd(BgNbdVariant::kBgNbd, {1.0, 4.0, 0.5, 3.0}, o);
  const GammaGammaParams truth{4.0, 3.0, 20.0};
  SimulateSpend(truth, 7, d);
  auto newton = GammaGamma::Fit(d);
  FitOptions from_truth;
  from_truth.initial = {truth.p, truth.q, truth.gamma};
  auto lbfgs = GammaGamma::Fit(d, from_truth);
  ASSERT_TRUE(newton.ok() && lbfgs.ok());
  const FitResult& n = *newton->fit();
  const FitResult& l = *lbfgs->fit();
  ASSERT_TRUE(n.converged && l.converged) << n.reason << " / " << l.reason;
  EXPECT_NE(n.reason.find("Newton's method"), std::string::npos) << n.reason;
  EXPECT_NEAR(n.log_likelihood, l.log_likelihood, 1e-9 * std::abs(l.log_likelihood));
  for (size_t k = 0; k < 3; ++k) {
    EXPECT_NEAR(n.params[k], l.params[k], 0.01 * l.std_errors[k]) << n.names[k];
    EXPECT_NEAR(n.std_errors[k], l.std_errors[k], 1e-3 * l.std_errors[k]) << n.names[k];
  }
}

}  // namespace
}  // namespace carteira::models
