#include "carteira/models/bg_bb.h"

#include <cmath>
#include <limits>

#include <boost/math/special_functions/gamma.hpp>

#include "carteira/core/strings.h"
#include "carteira/models/special_functions.h"
#include "src/models/optimizer.h"

namespace carteira::models {
namespace {

double LogGamma(double v) { return boost::math::lgamma(v); }

// log L for one pattern (Fader, Hardie & Shang 2010, eq. 5), in log space:
// alive through all n opportunities, or dead after opportunity t_x + i.
double LogLikelihoodOf(const BgBbParams& q, double x, double t_x, double n) {
  const double lb_ab = LogBeta(q.alpha, q.beta), lb_gd = LogBeta(q.gamma, q.delta);
  double ll = LogBeta(q.alpha + x, q.beta + n - x) - lb_ab + LogBeta(q.gamma, q.delta + n) - lb_gd;
  for (double i = 0; i <= n - t_x - 1; ++i) {
    ll = LogSumExp(ll, LogBeta(q.alpha + x, q.beta + t_x - x + i) - lb_ab +
                           LogBeta(q.gamma + 1, q.delta + t_x + i) - lb_gd);
  }
  return ll;
}

BgBbParams FromTheta(const std::vector<double>& theta) {
  return {std::exp(theta[0]), std::exp(theta[1]), std::exp(theta[2]), std::exp(theta[3])};
}

}  // namespace

absl::Status BgBbData::Validate() const {
  const size_t rows = x.size();
  if (t_x.size() != rows || n.size() != rows || (!weight.empty() && weight.size() != rows)) {
    return absl::InvalidArgumentError("bg/bb data: x, t_x, n (and weight) must have as many rows");
  }
  for (size_t i = 0; i < rows; ++i) {
    auto whole = [](double v) { return std::isfinite(v) && v >= 0 && std::floor(v) == v; };
    if (!whole(x[i]) || !whole(t_x[i]) || !whole(n[i])) {
      return absl::InvalidArgumentError(StrCat("bg/bb data row ", i, ": x, t_x and n must be whole numbers >= 0"));
    }
    if (x[i] > t_x[i] || t_x[i] > n[i] || (x[i] > 0) != (t_x[i] > 0)) {
      return absl::InvalidArgumentError(StrCat("bg/bb data row ", i, ": need x <= t_x <= n, and t_x = 0 exactly when x = 0 (x = ",
                                               x[i], ", t_x = ", t_x[i], ", n = ", n[i], ")"));
    }
    if (!weight.empty() && !(weight[i] > 0)) {
      return absl::InvalidArgumentError(StrCat("bg/bb data row ", i, ": weight must be positive"));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<BgBb> BgBb::Fit(const BgBbData& data, const FitOptions& options) {
  if (absl::Status s = data.Validate(); !s.ok()) return s;
  if (data.size() == 0) return absl::InvalidArgumentError("fit: no data");
  std::vector<double> theta0 = {0.0, 0.0, 0.0, 0.0};
  if (!options.initial.empty()) {
    if (options.initial.size() != 4) return absl::InvalidArgumentError("fit: initial takes 4 parameters (alpha, beta, gamma, delta)");
    for (size_t k = 0; k < 4; ++k) theta0[k] = std::log(options.initial[k]);
  }
  double total = 0;
  for (size_t i = 0; i < data.size(); ++i) total += data.Weight(i);
  // The patterns are few (a handful per opportunity count): a numerical
  // gradient costs nothing here.
  const internal::Objective objective = internal::WithL2Penalty(
      [&](const std::vector<double>& theta, std::vector<double>*) {
        const BgBbParams q = FromTheta(theta);
        double ll = 0;
        for (size_t i = 0; i < data.size(); ++i) {
          ll += data.Weight(i) * LogLikelihoodOf(q, data.x[i], data.t_x[i], data.n[i]);
        }
        return ll;
      },
      options.l2_penalty);
  auto optimum = internal::Maximize(objective, theta0, /*has_gradient=*/false, options.max_evaluations);
  if (!optimum.ok()) return optimum.status();
  BgBb model(FromTheta(optimum->theta));
  FitResult fit;
  fit.names = {"alpha", "beta", "gamma", "delta"};
  fit.params = {model.params_.alpha, model.params_.beta, model.params_.gamma, model.params_.delta};
  fit.std_errors = optimum->std_errors;
  double ll = 0;
  for (size_t i = 0; i < data.size(); ++i) ll += data.Weight(i) * model.LogLikelihood(data.x[i], data.t_x[i], data.n[i]);
  fit.log_likelihood = ll;
  fit.n_customers = total;
  fit.rows = data.size();
  fit.converged = optimum->converged;
  fit.reason = optimum->reason;
  fit.evaluations = optimum->evaluations;
  fit.gradient_norm = optimum->gradient_norm;
  model.fit_ = std::move(fit);
  return model;
}

double BgBb::LogLikelihood(double x, double t_x, double n) const { return LogLikelihoodOf(params_, x, t_x, n); }

double BgBb::PAlive(double x, double t_x, double n) const {
  const BgBbParams& q = params_;
  return std::exp(LogBeta(q.alpha + x, q.beta + n - x) - LogBeta(q.alpha, q.beta) +
                  LogBeta(q.gamma, q.delta + n + 1) - LogBeta(q.gamma, q.delta) - LogLikelihood(x, t_x, n));
}

double BgBb::ConditionalExpectedTransactions(double future, double x, double t_x, double n) const {
  const BgBbParams& q = params_;
  // (1/L) B(a+x+1, b+n-x)/B(a,b) * delta/(gamma-1) * Gamma(gamma+delta)/Gamma(1+delta)
  //   * [Gamma(1+delta+n)/Gamma(gamma+delta+n) - Gamma(1+delta+n+n*)/Gamma(gamma+delta+n+n*)]
  const double lead = LogBeta(q.alpha + x + 1, q.beta + n - x) - LogBeta(q.alpha, q.beta) -
                      LogLikelihood(x, t_x, n) + LogGamma(q.gamma + q.delta) - LogGamma(1 + q.delta);
  const double g1 = LogGamma(1 + q.delta + n) - LogGamma(q.gamma + q.delta + n);
  const double g2 = LogGamma(1 + q.delta + n + future) - LogGamma(q.gamma + q.delta + n + future);
  // delta/(gamma-1) * (e^g1 - e^g2): both factors change sign at gamma = 1.
  const double diff = std::exp(g1) * -std::expm1(g2 - g1);
  return std::exp(lead) * q.delta / (q.gamma - 1) * diff;
}

double BgBb::ExpectedTransactions(double n) const {
  const BgBbParams& q = params_;
  const double ratio = std::exp(LogGamma(q.gamma + q.delta) + LogGamma(1 + q.delta + n) -
                                LogGamma(q.gamma + q.delta + n) - LogGamma(1 + q.delta));
  return q.alpha / (q.alpha + q.beta) * q.delta / (q.gamma - 1) * (1 - ratio);
}

}  // namespace carteira::models
