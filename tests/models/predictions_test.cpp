// Predictions of the BG/NBD family and Pareto/NBD checked against
// independent expressions of the same quantities, and Pareto/NBD's fit on
// CDNOW against Fader & Hardie's.
#include <gtest/gtest.h>

#include <cmath>

#include "carteira/models/bg_nbd.h"
#include "carteira/models/pareto_nbd.h"
#include "carteira/models/simulate.h"
#include "tests/models/cdnow_data.h"

namespace carteira::models {
namespace {

const BgNbdParams kCdnowBg{0.243, 4.414, 0.793, 2.426};

// E[X(t)] from its closed form (2F1) equals sum_n n P(X(t) = n) (no 2F1).
TEST(BgNbdPredictions, ExpectationMatchesTheDistribution) {
  for (BgNbdVariant variant : {BgNbdVariant::kBgNbd, BgNbdVariant::kMbgNbd}) {
    const BgNbd m(variant, kCdnowBg, TimeUnit::kWeeks);
    for (double t : {1.0, 10.0, 39.0, 78.0}) {
      double mean = 0, total = 0;
      for (int n = 0; n < 400; ++n) {
        const double p = m.ProbabilityOfPurchases(n, t);
        mean += n * p;
        total += p;
      }
      EXPECT_NEAR(total, 1.0, 1e-9) << BgNbdVariantName(variant) << " t=" << t;
      auto e = m.ExpectedPurchases(t);
      ASSERT_TRUE(e.ok()) << e.status();
      EXPECT_NEAR(*e, mean, 1e-7 * std::max(1.0, mean)) << BgNbdVariantName(variant) << " t=" << t;
    }
  }
}

// Hardie's BG/NBD spreadsheet (and lifetimes' test of it): a customer with
// x = 2, t_x = 30.43, T = 38.86 weeks expects 1.226 purchases in the next 39.
TEST(BgNbdPredictions, MatchesHardiesSpreadsheet) {
  const BgNbd m(BgNbdVariant::kBgNbd, kCdnowBg, TimeUnit::kWeeks);
  auto e = m.ConditionalExpectedPurchases(39, 2, 30.43, 38.86);
  ASSERT_TRUE(e.ok()) << e.status();
  EXPECT_NEAR(*e, 1.2260281747671405, 1e-9);  // mpmath at 30 digits: 1.22602817476714051
  // The same through the vectorised call, with the horizon in days.
  RfmData d;
  d.unit = TimeUnit::kWeeks;
  d.x = {2};
  d.t_x = {30.43};
  d.T = {38.86};
  std::vector<double> out(1);
  ASSERT_TRUE(m.ConditionalExpectedPurchases(d, Duration::Days(273), out).ok());
  EXPECT_NEAR(out[0], 1.2260281747671405, 1e-9);
}

// A customer observed for no time at all is a new customer: the
// conditional expectation equals the unconditional one.
TEST(BgNbdPredictions, ConditionalAtTimeZeroIsUnconditional) {
  for (BgNbdVariant variant : {BgNbdVariant::kBgNbd, BgNbdVariant::kMbgNbd}) {
    const BgNbd m(variant, kCdnowBg, TimeUnit::kWeeks);
    auto c = m.ConditionalExpectedPurchases(39, 0, 0, 0);
    auto u = m.ExpectedPurchases(39);
    ASSERT_TRUE(c.ok() && u.ok());
    if (variant == BgNbdVariant::kBgNbd) EXPECT_NEAR(*c, *u, 1e-12);
    EXPECT_GT(*c, 0);
  }
}

TEST(BgNbdPredictions, HeavyBuyersAndLongHistoriesStayFinite) {
  const BgNbd m(BgNbdVariant::kBgNbd, kCdnowBg, TimeUnit::kWeeks);
  for (double x : {0.0, 1.0, 100.0, 1000.0, 5000.0}) {
    for (double T : {1.0, 100.0, 5000.0}) {
      const double t_x = x == 0 ? 0 : T * 0.9;
      const double p = m.PAlive(x, t_x, T);
      EXPECT_TRUE(std::isfinite(p) && p >= 0 && p <= 1) << x << " " << T;
      auto e = m.ConditionalExpectedPurchases(52, x, t_x, T);
      ASSERT_TRUE(e.ok()) << e.status() << " x=" << x << " T=" << T;
      EXPECT_TRUE(std::isfinite(*e) && *e >= 0) << x << " " << T << " " << *e;
    }
  }
  // Someone who bought 1000 times and just bought again is surely alive and
  // will buy at about their rate: ~ x / T per week.
  auto e = m.ConditionalExpectedPurchases(10, 1000, 499, 500);
  ASSERT_TRUE(e.ok());
  EXPECT_NEAR(*e, 10 * 1000.0 / 500.0, 1.5);
}

// The vectorised predictions (vector math, a cache of the 2F1 per (x, day
// of T)) give each customer what the scalar formulas give: heavy buyers,
// customers first seen today, durations off the day grid, both variants,
// data in another unit than the model's; and the combined call equals the
// two separate ones.
TEST(BgNbdPredictions, VectorisedEqualsScalarPerCustomer) {
  RfmData d;
  d.unit = TimeUnit::kDays;
  const double xs[] = {0, 1, 2, 7, 63, 64, 65, 300, 5000};
  const double Ts[] = {0, 1, 30, 365.25, 1000, 3650};
  for (double x : xs) {
    for (double T : Ts) {
      for (double share : {0.0, 0.5, 1.0}) {
        if (x > 0 && T == 0) continue;
        d.x.push_back(x);
        d.T.push_back(T);
        d.t_x.push_back(x == 0 ? 0 : T * share);
      }
    }
  }
  // Repeat the rows: the second copy is served from the cache.
  const size_t half = d.size();
  for (size_t i = 0; i < half; ++i) {
    d.x.push_back(d.x[i]);
    d.t_x.push_back(d.t_x[i]);
    d.T.push_back(d.T[i]);
  }
  auto close = [](double a, double b) { return std::abs(a - b) <= 1e-9 * std::max(std::abs(b), 1e-300); };
  for (BgNbdVariant variant : {BgNbdVariant::kBgNbd, BgNbdVariant::kMbgNbd}) {
    const BgNbd m(variant, kCdnowBg, TimeUnit::kWeeks);
    std::vector<double> p(d.size()), e(d.size()), p2(d.size()), e2(d.size()), same(d.size());
    ASSERT_TRUE(m.PAlive(d, p).ok());
    ASSERT_TRUE(m.ConditionalExpectedPurchases(d, Duration::Weeks(39), e).ok());
    ASSERT_TRUE(m.PAliveAndExpectedPurchases(d, Duration::Weeks(39), p2, e2).ok());
    ASSERT_TRUE(m.PAliveAndExpectedPurchases(d, Duration::Weeks(39), same, same).ok());
    for (size_t i = 0; i < d.size(); ++i) {
      const double x = d.x[i], t_x = d.t_x[i] / 7, T = d.T[i] / 7;
      const double p_scalar = m.PAlive(x, t_x, T);
      auto e_scalar = m.ConditionalExpectedPurchases(39, x, t_x, T);
      ASSERT_TRUE(e_scalar.ok()) << e_scalar.status();
      const std::string where = ::testing::PrintToString(std::vector<double>{x, d.t_x[i], d.T[i]});
      EXPECT_TRUE(close(p[i], p_scalar)) << BgNbdVariantName(variant) << " " << where << ": " << p[i] << " vs "
                                          << p_scalar;
      EXPECT_TRUE(close(e[i], *e_scalar)) << BgNbdVariantName(variant) << " " << where << ": " << e[i] << " vs "
                                           << *e_scalar;
      EXPECT_EQ(p2[i], p[i]) << where;
      EXPECT_EQ(e2[i], e[i]) << where;
      EXPECT_EQ(same[i], e[i]) << where;
    }
  }
}

// A customer's predictions do not depend on where it sits in the batch
// (each one alone, or the batch cut at any offset, gives the same bits):
// what lets a cluster's partitions agree with one machine bit for bit.
TEST(BgNbdPredictions, SameBitsWhereverTheCustomerSitsInTheBatch) {
  RfmData d;
  d.unit = TimeUnit::kDays;
  // Enough customers for the whole batch to use the table of expectations
  // by (x, day of T), which small parts (one customer: the P(alive) status
  // rule) compute directly: the same bits either way.
  for (int i = 0; i < 3001; ++i) {
    const double T = 1 + (i * 37) % 200;
    d.x.push_back(i % 9);
    d.T.push_back(T);
    d.t_x.push_back(i % 9 == 0 ? 0.0 : static_cast<double>((i * 13) % static_cast<int>(T)));
  }
  for (BgNbdVariant variant : {BgNbdVariant::kBgNbd, BgNbdVariant::kMbgNbd}) {
    const BgNbd m(variant, kCdnowBg, TimeUnit::kWeeks);
    std::vector<double> all(d.size()), all_e(d.size());
    ASSERT_TRUE(m.PAliveAndExpectedPurchases(d, Duration::Days(90), all, all_e).ok());
    for (size_t offset : {size_t{1}, size_t{3}, size_t{5}, size_t{11}, size_t{1000}}) {
      for (size_t begin = 0; begin < d.size(); begin += offset) {
        const size_t end = std::min(d.size(), begin + offset);
        RfmData part;
        part.unit = d.unit;
        part.x.assign(d.x.begin() + begin, d.x.begin() + end);
        part.t_x.assign(d.t_x.begin() + begin, d.t_x.begin() + end);
        part.T.assign(d.T.begin() + begin, d.T.begin() + end);
        std::vector<double> p(part.size()), e(part.size());
        ASSERT_TRUE(m.PAliveAndExpectedPurchases(part, Duration::Days(90), p, e).ok());
        for (size_t i = 0; i < part.size(); ++i) {
          ASSERT_EQ(p[i], all[begin + i]) << BgNbdVariantName(variant) << " offset " << offset << " row " << begin + i;
          ASSERT_EQ(e[i], all_e[begin + i]) << BgNbdVariantName(variant) << " offset " << offset << " row "
                                            << begin + i;
        }
      }
    }
  }
}

// P(X(t) = n) under Pareto/NBD at Fader & Hardie's CDNOW estimates (weeks):
// reference values from their closed form (note 012, 2F1 terms) evaluated
// with mpmath at 40 digits, which also agrees with a 30-digit quadrature of
// the death-time mixture to every digit shown.
TEST(ParetoNbdPredictions, ProbabilityOfPurchasesMatchesTheClosedForm) {
  const ParetoNbd m({0.553, 10.578, 0.606, 11.669}, TimeUnit::kWeeks);
  const struct {
    int n;
    double t, want;
  } cases[] = {{0, 39, 0.59362503160238387022},
               {1, 39, 0.16556294727717547759},
               {3, 78, 0.049684653402803057677},
               {10, 52, 0.0058865508122429585802}};
  for (const auto& c : cases) {
    auto p = m.ProbabilityOfPurchases(c.n, c.t);
    ASSERT_TRUE(p.ok()) << p.status();
    EXPECT_NEAR(*p, c.want, 1e-11 * c.want) << "n=" << c.n << " t=" << c.t;
  }
  EXPECT_EQ(*m.ProbabilityOfPurchases(0, 0), 1.0);
  EXPECT_EQ(*m.ProbabilityOfPurchases(2, 0), 0.0);
  EXPECT_FALSE(m.ProbabilityOfPurchases(-1, 39).ok());
}

// The distribution sums to 1 and its mean is the closed-form E[X(t)] (no
// quadrature there), for short and long horizons and for alpha < beta and
// alpha > beta.
TEST(ParetoNbdPredictions, ProbabilityOfPurchasesIsADistributionWithTheRightMean) {
  for (const ParetoNbdParams q : {ParetoNbdParams{0.553, 10.578, 0.606, 11.669},
                                  ParetoNbdParams{2.0, 5.0, 1.5, 40.0}, ParetoNbdParams{0.8, 60.0, 0.4, 2.0}}) {
    const ParetoNbd m(q, TimeUnit::kWeeks);
    for (double t : {1.0, 39.0, 260.0}) {
      double total = 0, mean = 0;
      // Until the tail left is below 1e-12 (its share of the mean is then
      // below n 1e-12).
      for (int n = 0; n < 5000 && total < 1 - 1e-12; ++n) {
        auto p = m.ProbabilityOfPurchases(n, t);
        ASSERT_TRUE(p.ok()) << p.status();
        total += *p;
        mean += n * *p;
      }
      auto e = m.ExpectedPurchases(t);
      ASSERT_TRUE(e.ok());
      EXPECT_NEAR(total, 1.0, 1e-9) << "r=" << q.r << " t=" << t;
      EXPECT_NEAR(mean, *e, 1e-7 * std::max(1.0, *e)) << "r=" << q.r << " t=" << t;
    }
  }
}

TEST(ParetoNbd, ReproducesFaderHardieOnCdnow) {
  const RfmData d = testing::CdnowCalibration();
  auto m = ParetoNbd::Fit(d);
  ASSERT_TRUE(m.ok()) << m.status();
  const FitResult& f = *m->fit();
  EXPECT_TRUE(f.converged) << f.reason;
  // Published: r = 0.553, alpha = 10.578, s = 0.606, beta = 11.669, LL = -9595.0.
  EXPECT_NEAR(f.log_likelihood, -9595.0, 0.05);
  EXPECT_NEAR(m->params().r, 0.553, 0.553 * 0.01);
  EXPECT_NEAR(m->params().alpha, 10.578, 10.578 * 0.01);
  EXPECT_NEAR(m->params().s, 0.606, 0.606 * 0.02);
  EXPECT_NEAR(m->params().beta, 11.669, 11.669 * 0.03);
  std::printf("Pareto/NBD: r=%.5f alpha=%.5f s=%.5f beta=%.5f LL=%.4f evals=%d reason=%s\n", m->params().r,
              m->params().alpha, m->params().s, m->params().beta, f.log_likelihood, f.evaluations, f.reason.c_str());
  // The published parameters give the published log-likelihood.
  const ParetoNbd published({0.553, 10.578, 0.606, 11.669}, TimeUnit::kWeeks);
  auto ll = published.TotalLogLikelihood(d);
  ASSERT_TRUE(ll.ok()) << ll.status();
  EXPECT_NEAR(*ll, -9595.0, 0.1);
  // A new customer: conditional at time zero equals unconditional.
  auto c = published.ConditionalExpectedPurchases(39, 0, 0, 0);
  auto u = published.ExpectedPurchases(39);
  ASSERT_TRUE(c.ok() && u.ok());
  EXPECT_NEAR(*c, *u, 1e-12);
  auto p = published.PAlive(0, 0, 38.86);
  ASSERT_TRUE(p.ok());
  EXPECT_GT(*p, 0.0);
  EXPECT_LT(*p, 1.0);
}

// A Pareto/NBD fit recovers the parameters that generated the data.
TEST(ParetoNbd, FitRecoversSimulatedParameters) {
  const ParetoNbdParams truth{0.8, 12.0, 0.5, 20.0};
  SimulationOptions o;
  o.customers = 20000;
  o.T_min = 30;
  o.T_max = 80;
  o.whole_days = true;  // as data from dates: few distinct durations
  const RfmData d = SimulateParetoNbd(truth, o);
  auto m = ParetoNbd::Fit(d);
  ASSERT_TRUE(m.ok()) << m.status();
  const FitResult& f = *m->fit();
  std::printf("pnbd sim: %g %g %g %g LL %.3f evals %d grad %g %s\n", f.params[0], f.params[1], f.params[2], f.params[3],
              f.log_likelihood, f.evaluations, f.gradient_norm, f.reason.c_str());
  ASSERT_TRUE(f.converged) << f.reason;
  const double want[] = {truth.r, truth.alpha, truth.s, truth.beta};
  for (size_t k = 0; k < 4; ++k) {
    EXPECT_NEAR(f.params[k], want[k], 3 * f.std_errors[k]) << f.names[k] << " se " << f.std_errors[k];
  }
}

// Above 200,000 customers the fit starts from a sample's fit and takes
// Newton steps on finite differences; it reaches the maximum the
// derivative-free optimiser reaches from the truth, with the same
// standard errors.
TEST(ParetoNbd, LargeDataNewtonFitEqualsDerivativeFreeFit) {
  const ParetoNbdParams truth{0.8, 12.0, 0.5, 20.0};
  SimulationOptions o;
  o.customers = 210000;
  o.T_min = 30;
  o.T_max = 80;
  o.whole_days = true;
  const RfmData d = SimulateParetoNbd(truth, o);
  auto newton = ParetoNbd::Fit(d);
  ASSERT_TRUE(newton.ok()) << newton.status();
  const FitResult& n = *newton->fit();
  ASSERT_TRUE(n.converged) << n.reason;
  EXPECT_NE(n.reason.find("Newton"), std::string::npos) << n.reason;
  FitOptions from_truth;
  from_truth.initial = {truth.r, truth.alpha, truth.s, truth.beta};
  auto bobyqa = ParetoNbd::Fit(d, from_truth);
  ASSERT_TRUE(bobyqa.ok()) << bobyqa.status();
  const FitResult& b = *bobyqa->fit();
  ASSERT_TRUE(b.converged) << b.reason;
  EXPECT_NEAR(n.log_likelihood, b.log_likelihood, 1e-3);
  for (size_t k = 0; k < 4; ++k) {
    EXPECT_NEAR(n.params[k], b.params[k], 0.05 * b.std_errors[k]) << n.names[k];
    EXPECT_NEAR(n.std_errors[k], b.std_errors[k], 0.02 * b.std_errors[k]) << n.names[k];
  }
}

}  // namespace
}  // namespace carteira::models
