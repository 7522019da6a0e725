#include "carteira/models/gamma_gamma.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include <boost/math/special_functions/digamma.hpp>
#include <boost/math/special_functions/gamma.hpp>

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
  std::vector<std::uint32_t> order;
  for (size_t i = 0; i < d.size(); ++i) {
    if (d.x[i] == 0) continue;
    if (!(d.zbar[i] > 0) || !std::isfinite(d.zbar[i])) {
      return absl::InvalidArgumentError(StrCat(
          "gamma-gamma: row ", i, ": zbar = ", d.zbar[i],
          " is not a positive amount; the model needs positive spend (exclude customers whose "
          "repeat purchases add up to zero)"));
    }
    order.push_back(static_cast<std::uint32_t>(i));
  }
  if (order.empty()) return absl::InvalidArgumentError("gamma-gamma: no customer with repeat purchases");
  // Counting sort by x (stable; a comparison sort of a million rows cost
  // more than the whole fit).
  double max_x = 0;
  for (std::uint32_t i : order) max_x = std::max(max_x, d.x[i]);
  std::vector<double> xs;
  std::vector<std::uint32_t> dense;  // x -> group, when x is moderate
  if (max_x < (1 << 20)) {
    dense.assign(static_cast<size_t>(max_x) + 1, UINT32_MAX);
    for (std::uint32_t i : order) dense[static_cast<size_t>(d.x[i])] = 0;
    for (size_t v = 0; v < dense.size(); ++v) {
      if (dense[v] == 0) {
        dense[v] = static_cast<std::uint32_t>(xs.size());
        xs.push_back(static_cast<double>(v));
      }
    }
  } else {
    for (std::uint32_t i : order) xs.push_back(d.x[i]);
    std::sort(xs.begin(), xs.end());
    xs.erase(std::unique(xs.begin(), xs.end()), xs.end());
  }
  std::vector<std::uint32_t> start(xs.size() + 1, 0), group(order.size());
  for (size_t k = 0; k < order.size(); ++k) {
    const double x = d.x[order[k]];
    group[k] = !dense.empty() ? dense[static_cast<size_t>(x)]
                              : static_cast<std::uint32_t>(std::lower_bound(xs.begin(), xs.end(), x) - xs.begin());
    ++start[group[k] + 1];
  }
  for (size_t g = 0; g < xs.size(); ++g) start[g + 1] += start[g];
  {
    std::vector<std::uint32_t> sorted(order.size());
    for (size_t k = 0; k < order.size(); ++k) sorted[start[group[k]]++] = order[k];
    order = std::move(sorted);
  }
  SpendRows rows;
  for (std::uint32_t i : order) {
    if (rows.group_x.empty() || rows.group_x.back() != d.x[i]) {
      rows.group_x.push_back(d.x[i]);
      rows.group_start.push_back(static_cast<std::uint32_t>(rows.w.size()));
      rows.group_w.push_back(0);
      rows.group_wlz.push_back(0);
    }
    const double w = d.Weight(i);
    rows.group_w.back() += w;
    rows.group_wlz.back() += w * std::log(d.zbar[i]);
    rows.xzbar.push_back(d.x[i] * d.zbar[i]);
    rows.w.push_back(w);
    rows.total_weight += w;
  }
  rows.group_start.push_back(static_cast<std::uint32_t>(rows.w.size()));
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

}  // namespace

absl::StatusOr<GammaGamma> GammaGamma::Fit(const RfmData& data, const FitOptions& options) {
  // Many customers: start from the fit of a systematic 1-in-k sample.
  constexpr size_t kSample = 50000;
  if (options.initial.empty() && data.size() > 4 * kSample && data.zbar.size() == data.size()) {
    const size_t step = data.size() / kSample;
    RfmData sample;
    sample.unit = data.unit;
    for (size_t i = 0; i < data.size(); i += step) {
      sample.x.push_back(data.x[i]);
      sample.t_x.push_back(data.t_x[i]);
      sample.T.push_back(data.T[i]);
      sample.zbar.push_back(data.zbar[i]);
      if (!data.weight.empty()) sample.weight.push_back(data.weight[i]);
    }
    FitOptions warm = options;
    auto start = Fit(sample, warm);
    if (start.ok() && start->fit_->converged) {
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
  const double penalty = options.l2_penalty;
  internal::Objective objective = [&](const std::vector<double>& theta, std::vector<double>* grad) {
    double ll = SpendLogLikelihood(d, theta, grad);
    for (size_t k = 0; k < theta.size() && penalty > 0; ++k) {
      const double v = std::exp(theta[k]);
      ll -= penalty * v * v;
      if (grad != nullptr) (*grad)[k] -= 2 * penalty * v * v;
    }
    return ll;
  };
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
