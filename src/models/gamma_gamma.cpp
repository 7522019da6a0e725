#include "carteira/models/gamma_gamma.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include <boost/math/special_functions/digamma.hpp>
#include <boost/math/special_functions/gamma.hpp>
#include <boost/math/special_functions/trigamma.hpp>

#include "carteira/core/strings.h"
#include "src/models/likelihood_kernels.h"
#include "src/models/optimizer.h"

namespace carteira::models {
namespace {

double Digamma(double v) { return boost::math::digamma(v); }
double LogGamma(double v) { return boost::math::lgamma(v); }

// The customers with repeat purchases, grouped by x: everything that
// depends on x alone (four gamma-function values a group) is computed once
// per group, leaving one log and one division per customer.
struct SpendRows {
  std::vector<double> group_x;             // distinct x, ascending
  std::vector<std::uint32_t> group_start;  // rows of group g
  std::vector<double> group_w, group_wlz;  // sum of w, sum of w log zbar
  std::vector<double> xzbar, w;            // per row: x * zbar, weight
  double total_weight = 0;
};

absl::StatusOr<SpendRows> Rows(const RfmData& d) {
  if (absl::Status s = d.Validate(); !s.ok()) return s;
  if (d.zbar.size() != d.size()) {
    return absl::InvalidArgumentError("gamma-gamma: the data has no zbar (mean spend) column");
  }
  // One pass checks the spend and counts the rows of each x (x is a whole
  // number: a dense count while x is moderate); a counting sort then writes
  // each row straight into its group, and a vector pass per group takes the
  // logs (a comparison sort, or an index permutation, cost more than the
  // whole fit).
  constexpr double kDenseX = 1 << 20;
  std::vector<std::uint32_t> count;  // by x
  bool dense = true;
  size_t rows_with_x = 0;
  for (size_t i = 0; i < d.size(); ++i) {
    const double x = d.x[i];
    if (x == 0) continue;
    if (!(d.zbar[i] > 0) || !std::isfinite(d.zbar[i])) {
      return absl::InvalidArgumentError(StrCat(
          "gamma-gamma: row ", i, ": zbar = ", d.zbar[i],
          " is not a positive amount; the model needs positive spend (exclude customers whose "
          "repeat purchases add up to zero)"));
    }
    ++rows_with_x;
    if (!dense) continue;
    if (x >= kDenseX) {
      dense = false;
      continue;
    }
    const auto xi = static_cast<size_t>(x);
    if (xi >= count.size()) count.resize(std::max(xi + 1, 2 * count.size()), 0);
    ++count[xi];
  }
  if (rows_with_x == 0) return absl::InvalidArgumentError("gamma-gamma: no customer with repeat purchases");
  std::vector<double> xs;
  std::vector<std::uint32_t> group_of_x;  // dense: x -> group
  if (dense) {
    group_of_x.assign(count.size(), UINT32_MAX);
    for (size_t v = 1; v < count.size(); ++v) {
      if (count[v] == 0) continue;
      group_of_x[v] = static_cast<std::uint32_t>(xs.size());
      xs.push_back(static_cast<double>(v));
    }
  } else {
    for (double x : d.x) {
      if (x > 0) xs.push_back(x);
    }
    std::sort(xs.begin(), xs.end());
    xs.erase(std::unique(xs.begin(), xs.end()), xs.end());
  }
  auto group_of = [&](double x) {
    return dense ? group_of_x[static_cast<size_t>(x)]
                 : static_cast<std::uint32_t>(std::lower_bound(xs.begin(), xs.end(), x) - xs.begin());
  };
  SpendRows rows;
  rows.group_x = xs;
  rows.group_start.assign(xs.size() + 1, 0);
  rows.group_w.assign(xs.size(), 0);
  rows.group_wlz.assign(xs.size(), 0);
  if (dense) {
    for (size_t g = 0; g < xs.size(); ++g) rows.group_start[g + 1] = count[static_cast<size_t>(xs[g])];
  } else {
    for (size_t i = 0; i < d.size(); ++i) {
      if (d.x[i] > 0) ++rows.group_start[group_of(d.x[i]) + 1];
    }
  }
  for (size_t g = 0; g < xs.size(); ++g) rows.group_start[g + 1] += rows.group_start[g];
  rows.xzbar.resize(rows_with_x);
  rows.w.resize(rows_with_x);
  std::vector<std::uint32_t> next(rows.group_start.begin(), rows.group_start.end() - 1);
  for (size_t i = 0; i < d.size(); ++i) {
    if (d.x[i] == 0) continue;
    const std::uint32_t at = next[group_of(d.x[i])]++;
    rows.xzbar[at] = d.zbar[i];  // zbar for now; x zbar after the group pass
    rows.w[at] = d.Weight(i);
  }
  for (size_t g = 0; g < xs.size(); ++g) {
    const std::uint32_t begin = rows.group_start[g];
    const internal::SpendGroupTotals totals = internal::GammaGammaGroupPrepare(
        rows.xzbar.data() + begin, rows.w.data() + begin, rows.group_start[g + 1] - begin, xs[g]);
    rows.group_w[g] = totals.sw;
    rows.group_wlz[g] = totals.swlz;
    rows.total_weight += totals.sw;
  }
  return rows;
}

// Log-likelihood and gradient with respect to log(p, q, gamma).
double SpendLogLikelihood(const SpendRows& d, const std::vector<double>& theta, std::vector<double>* grad) {
  const double p = std::exp(theta[0]), q = std::exp(theta[1]), g = std::exp(theta[2]);
  const double lgq = LogGamma(q), psi_q = Digamma(q), log_g = std::log(g);
  double ll = 0, dp = 0, dq = 0, dg = 0;
  for (size_t k = 0; k < d.group_x.size(); ++k) {
    const double x = d.group_x[k], px = p * x, log_x = std::log(x);
    // sum w log(x zbar + gamma) and sum w / (x zbar + gamma)
    const std::uint32_t begin = d.group_start[k];
    const internal::SpendGroupSums sums =
        internal::GammaGammaGroupSums(d.xzbar.data() + begin, d.w.data() + begin, d.group_start[k + 1] - begin, g);
    const double swlu = sums.swlu, swiu = sums.swiu;
    const double sw = d.group_w[k], swlz = d.group_wlz[k];
    ll += sw * (LogGamma(px + q) - LogGamma(px) - lgq + q * log_g + px * log_x) + (px - 1) * swlz -
          (px + q) * swlu;
    if (grad == nullptr) continue;
    const double psi_pxq = Digamma(px + q);
    dp += x * (sw * (psi_pxq - Digamma(px) + log_x) + swlz - swlu);
    dq += sw * (psi_pxq - psi_q + log_g) - swlu;
    dg += sw * q / g - (px + q) * swiu;
  }
  if (grad != nullptr) {
    (*grad)[0] = dp * p;
    (*grad)[1] = dq * q;
    (*grad)[2] = dg * g;
  }
  return ll;
}

// The same with the Hessian (row-major, 3 x 3), in log-parameter space.
double SpendLogLikelihoodAndHessian(const SpendRows& d, const std::vector<double>& theta,
                                    std::vector<double>* grad, std::vector<double>* hess) {
  const double p = std::exp(theta[0]), q = std::exp(theta[1]), g = std::exp(theta[2]);
  const double lgq = LogGamma(q), psi_q = Digamma(q), psi1_q = boost::math::trigamma(q), log_g = std::log(g);
  double ll = 0, gr[3] = {0, 0, 0}, h[3][3] = {};
  for (size_t k = 0; k < d.group_x.size(); ++k) {
    const double x = d.group_x[k], px = p * x, log_x = std::log(x);
    const std::uint32_t begin = d.group_start[k];
    const internal::SpendGroupSums sums =
        internal::GammaGammaGroupSums(d.xzbar.data() + begin, d.w.data() + begin, d.group_start[k + 1] - begin, g);
    const double sw = d.group_w[k], swlz = d.group_wlz[k];
    ll += sw * (LogGamma(px + q) - LogGamma(px) - lgq + q * log_g + px * log_x) + (px - 1) * swlz -
          (px + q) * sums.swlu;
    const double psi_pxq = Digamma(px + q), psi1_pxq = boost::math::trigamma(px + q);
    gr[0] += x * (sw * (psi_pxq - Digamma(px) + log_x) + swlz - sums.swlu);
    gr[1] += sw * (psi_pxq - psi_q + log_g) - sums.swlu;
    gr[2] += sw * q / g - (px + q) * sums.swiu;
    h[0][0] += x * x * sw * (psi1_pxq - boost::math::trigamma(px));
    h[0][1] += x * sw * psi1_pxq;
    h[0][2] += -x * sums.swiu;
    h[1][1] += sw * (psi1_pxq - psi1_q);
    h[1][2] += sw / g - sums.swiu;
    h[2][2] += -sw * q / (g * g) + (px + q) * sums.swiu2;
  }
  const double v[3] = {p, q, g};
  for (int i = 0; i < 3; ++i) {
    (*grad)[i] = v[i] * gr[i];
    for (int j = i; j < 3; ++j) {
      const double value = v[i] * v[j] * h[i][j] + (i == j ? v[i] * gr[i] : 0.0);
      (*hess)[i * 3 + j] = (*hess)[j * 3 + i] = value;
    }
  }
  return ll;
}

}  // namespace

absl::StatusOr<GammaGamma> GammaGamma::Fit(const RfmData& data, const FitOptions& options) {
  // Many customers: start from the fit of a systematic 1-in-k sample.
  constexpr size_t kSample = 50000;
  if (options.initial.empty() && data.size() > 4 * kSample && data.zbar.size() == data.size()) {
    const size_t step = data.size() / kSample;
    const RfmData sample = SystematicSample(data, step);
    FitOptions warm = options;
    auto start = Fit(sample, warm);
    if (start.ok() && start->fit_->converged) {
      // Newton from there (analytic Hessian: one pass a step) unless a
      // penalty changes the objective; L-BFGS if Newton gives up.
      if (options.l2_penalty == 0) {
        auto rows = Rows(data);
        if (!rows.ok()) return rows.status();
        const SpendRows& d = *rows;
        internal::NewtonObjective objective = [&d](const std::vector<double>& theta, std::vector<double>* g,
                                                   std::vector<double>* h) {
          return SpendLogLikelihoodAndHessian(d, theta, g, h);
        };
        const std::vector<double> theta0 = {std::log(start->params_.p), std::log(start->params_.q),
                                            std::log(start->params_.gamma)};
        if (auto n = internal::NewtonMaximize(objective, theta0)) {
          GammaGamma model({std::exp(n->theta[0]), std::exp(n->theta[1]), std::exp(n->theta[2])});
          FitResult fit;
          fit.names = {"p", "q", "gamma"};
          fit.params = {model.params_.p, model.params_.q, model.params_.gamma};
          fit.std_errors = n->std_errors;
          fit.log_likelihood = n->ll;
          fit.n_customers = d.total_weight;
          fit.rows = d.w.size();
          fit.unit = data.unit;
          fit.converged = true;
          fit.reason = StrCat("converged: gradient norm ", n->gradient_norm, " below ", 1e-6 * (std::abs(n->ll) + 1),
                              " (Newton's method from the fit of a 1-in-", step, " sample)");
          fit.evaluations = n->evaluations + start->fit_->evaluations;
          fit.gradient_norm = n->gradient_norm;
          model.fit_ = std::move(fit);
          return model;
        }
      }
      warm.initial = {start->params_.p, start->params_.q, start->params_.gamma};
      return Fit(data, warm);
    }
  }
  auto rows = Rows(data);
  if (!rows.ok()) return rows.status();
  double mean = 0;
  for (size_t k = 0; k < rows->group_x.size(); ++k) {
    for (std::uint32_t i = rows->group_start[k]; i < rows->group_start[k + 1]; ++i) {
      mean += rows->w[i] * rows->xzbar[i] / rows->group_x[k];
    }
  }
  mean /= rows->total_weight;
  // Start at p = 1, q = 2 and the gamma that matches the mean spend.
  std::vector<double> theta0 = {0.0, std::log(2.0), std::log(mean)};
  if (!options.initial.empty()) {
    if (options.initial.size() != 3) return absl::InvalidArgumentError("fit: initial takes 3 parameters (p, q, gamma)");
    for (size_t k = 0; k < 3; ++k) {
      if (!(options.initial[k] > 0)) return absl::InvalidArgumentError("fit: initial parameters must be > 0");
      theta0[k] = std::log(options.initial[k]);
    }
  }
  const SpendRows& d = *rows;
  const internal::Objective objective = internal::WithL2Penalty(
      [&](const std::vector<double>& theta, std::vector<double>* grad) { return SpendLogLikelihood(d, theta, grad); },
      options.l2_penalty);
  auto optimum = internal::Maximize(objective, theta0, /*has_gradient=*/true, options.max_evaluations);
  if (!optimum.ok()) return optimum.status();
  GammaGamma model({std::exp(optimum->theta[0]), std::exp(optimum->theta[1]), std::exp(optimum->theta[2])});
  FitResult fit;
  fit.names = {"p", "q", "gamma"};
  fit.params = {model.params_.p, model.params_.q, model.params_.gamma};
  fit.std_errors = optimum->std_errors;
  fit.log_likelihood = SpendLogLikelihood(d, optimum->theta, nullptr);
  fit.n_customers = d.total_weight;
  fit.rows = d.w.size();
  fit.unit = data.unit;
  fit.converged = optimum->converged;
  fit.reason = optimum->reason;
  fit.evaluations = optimum->evaluations;
  fit.gradient_norm = optimum->gradient_norm;
  model.fit_ = std::move(fit);
  return model;
}

double GammaGamma::LogLikelihood(double x, double zbar) const {
  SpendRows d;
  d.group_x = {x};
  d.group_start = {0, 1};
  d.group_w = {1.0};
  d.group_wlz = {std::log(zbar)};
  d.xzbar = {x * zbar};
  d.w = {1.0};
  return SpendLogLikelihood(d, {std::log(params_.p), std::log(params_.q), std::log(params_.gamma)}, nullptr);
}

absl::StatusOr<double> GammaGamma::PopulationMeanSpend() const {
  if (!(params_.q > 1)) return absl::FailedPreconditionError("gamma-gamma: the mean spend needs q > 1");
  return params_.p * params_.gamma / (params_.q - 1);
}

absl::StatusOr<double> GammaGamma::ExpectedAverageSpend(double x, double zbar) const {
  const auto& [p, q, g] = params_;
  if (!(q > 1)) return absl::FailedPreconditionError("gamma-gamma: the mean spend needs q > 1");
  if (x == 0) return p * g / (q - 1);
  return p * (g + x * zbar) / (p * x + q - 1);
}

absl::Status GammaGamma::ExpectedAverageSpend(const RfmData& data, std::span<double> out) const {
  if (absl::Status s = data.Validate(); !s.ok()) return s;
  if (data.zbar.size() != data.size()) return absl::InvalidArgumentError("gamma-gamma: the data has no zbar column");
  if (out.size() < data.size()) return absl::OutOfRangeError("expected spend: the output is shorter than the data");
  for (size_t i = 0; i < data.size(); ++i) {
    auto e = ExpectedAverageSpend(data.x[i], data.zbar[i]);
    if (!e.ok()) return e.status();
    out[i] = *e;
  }
  return absl::OkStatus();
}

absl::StatusOr<double> LifetimeValue(
    const std::function<absl::StatusOr<double>(double)>& cumulative_purchases, double expected_spend,
    Duration horizon, Duration period, double discount_rate, double margin) {
  if (!(period.value > 0)) return absl::InvalidArgumentError("clv: the period must be positive");
  if (horizon.value < 0) return absl::InvalidArgumentError("clv: the horizon is negative");
  if (!(discount_rate > -1)) return absl::InvalidArgumentError("clv: the discount rate must be above -1");
  const double periods = horizon.In(period.unit) / period.value;
  // Each period costs an expectation per customer: a horizon of millions of
  // periods is a mistake (days for months), not a request.
  constexpr double kMaxPeriods = 10000;
  if (periods > kMaxPeriods) {
    return absl::InvalidArgumentError(StrCat("clv: the horizon holds ", periods, " periods; at most ", kMaxPeriods));
  }
  double value = 0, before = 0;
  for (int k = 1; k < periods + 1; ++k) {
    const double t = std::min(static_cast<double>(k), periods);
    auto cumulative = cumulative_purchases(t);
    if (!cumulative.ok()) return cumulative.status();
    value += (*cumulative - before) * expected_spend * margin / std::pow(1 + discount_rate, k);
    before = *cumulative;
    if (t == periods) break;
  }
  return value;
}

}  // namespace carteira::models
