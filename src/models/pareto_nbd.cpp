#include "carteira/models/pareto_nbd.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include <boost/math/quadrature/gauss_kronrod.hpp>
#include <boost/math/special_functions/gamma.hpp>

#include "carteira/core/strings.h"
#include "carteira/models/special_functions.h"
#include "src/models/likelihood_kernels.h"
#include "src/models/optimizer.h"
#include "src/models/value_index.h"

namespace carteira::models {
namespace {

using internal::IndexValues;
using internal::ValueIndex;

constexpr double kNegInf = -std::numeric_limits<double>::infinity();

double LogGamma(double v) { return boost::math::lgamma(v); }

// log of 2F1(...) / (m + t)^(r + s + x), the closed form (up to a factor
// common to t_x and T) of the integral over the time of death after t.
// Fader & Hardie's A0 is the difference of the terms at t_x and at T. The
// branch on alpha >= beta keeps the 2F1 argument in [0, 1).
absl::StatusOr<double> LogTerm(const ParetoNbdParams& q, double x, double t) {
  const double rsx = q.r + q.s + x;
  absl::StatusOr<SignedLog> f;
  double m;
  if (q.alpha >= q.beta) {
    m = q.alpha;
    f = LogHyp2F1(rsx, q.s + 1, rsx + 1, (q.alpha - q.beta) / (q.alpha + t));
  } else {
    m = q.beta;
    f = LogHyp2F1(rsx, q.r + x, rsx + 1, (q.beta - q.alpha) / (q.beta + t));
  }
  if (!f.ok()) return f.status();
  if (f->sign <= 0) return absl::InternalError("pareto/nbd: 2F1 not positive where it must be");
  return f->log_abs - rsx * std::log(m + t);
}

// log(e^a - e^b) for a >= b; -inf when they are equal (t_x = T).
double LogDiff(double a, double b) {
  if (!(b < a)) return kNegInf;
  return a + std::log1p(-std::exp(b - a));
}

// The two parts of a customer's likelihood (both without the constant
// Gamma(r + x) alpha^r beta^s / Gamma(r)): still alive at T, or died
// between t_x and T.
struct Parts {
  double alive, dead;
};

Parts PartsOf(const ParetoNbdParams& q, double x, double log_t1, double log_t2, double log_alpha_T,
              double log_beta_T) {
  const double alive = -(q.r + x) * log_alpha_T - q.s * log_beta_T;
  const double dead = std::log(q.s / (q.r + q.s + x)) + LogDiff(log_t1, log_t2);
  return {alive, dead};
}

double Constant(const ParetoNbdParams& q, double x) {
  return LogGamma(q.r + x) - LogGamma(q.r) + q.r * std::log(q.alpha) + q.s * std::log(q.beta);
}

// The data grouped by x; in each group the distinct T and t_x, so that the
// hypergeometric terms are computed once per distinct (x, T) and (x, t_x).
struct Compressed {
  ValueIndex T, t_x;
  std::vector<double> group_x;
  std::vector<std::uint32_t> group_start;  // rows
  std::vector<std::uint32_t> T_start, tx_start;  // distinct-duration lists per group
  std::vector<std::uint32_t> group_T, group_tx;  // the lists (indices into T / t_x values)
  std::vector<std::uint32_t> row_T, row_tx;       // per row: position in its group's lists
  std::vector<double> row_w;
  std::vector<double> group_w;  // sum of the group's weights
  double total_weight = 0;
};

Compressed Compress(const RfmData& d) {
  Compressed c;
  const double dpu = DaysPerUnit(d.unit);
  c.T = IndexValues(d.T, dpu);
  c.t_x = IndexValues(d.t_x, dpu);
  std::vector<std::uint32_t> order(d.size());
  for (size_t i = 0; i < d.size(); ++i) order[i] = static_cast<std::uint32_t>(i);
  std::stable_sort(order.begin(), order.end(), [&d](std::uint32_t a, std::uint32_t b) { return d.x[a] < d.x[b]; });
  c.row_T.resize(d.size());
  c.row_tx.resize(d.size());
  c.row_w.resize(d.size());
  // Position of each distinct duration within the current group (a dense
  // map over the duration indices, reset per group through the lists).
  std::vector<std::int64_t> where_T(c.T.values.size(), -1), where_tx(c.t_x.values.size(), -1);
  size_t at = 0;
  while (at < order.size()) {
    const double x = d.x[order[at]];
    size_t end = at;
    while (end < order.size() && d.x[order[end]] == x) ++end;
    c.group_x.push_back(x);
    c.group_w.push_back(0);
    c.group_start.push_back(static_cast<std::uint32_t>(at));
    c.T_start.push_back(static_cast<std::uint32_t>(c.group_T.size()));
    c.tx_start.push_back(static_cast<std::uint32_t>(c.group_tx.size()));
    const size_t T_base = c.group_T.size(), tx_base = c.group_tx.size();
    for (size_t k = at; k < end; ++k) {
      const std::uint32_t i = order[k];
      const std::uint32_t iT = c.T.of_row[i], itx = c.t_x.of_row[i];
      if (where_T[iT] < 0) {
        where_T[iT] = static_cast<std::int64_t>(c.group_T.size() - T_base);
        c.group_T.push_back(iT);
      }
      if (where_tx[itx] < 0) {
        where_tx[itx] = static_cast<std::int64_t>(c.group_tx.size() - tx_base);
        c.group_tx.push_back(itx);
      }
      c.row_T[k] = static_cast<std::uint32_t>(where_T[iT]);
      c.row_tx[k] = static_cast<std::uint32_t>(where_tx[itx]);
      c.row_w[k] = d.Weight(i);
      c.group_w.back() += d.Weight(i);
      c.total_weight += d.Weight(i);
    }
    for (size_t k = T_base; k < c.group_T.size(); ++k) where_T[c.group_T[k]] = -1;
    for (size_t k = tx_base; k < c.group_tx.size(); ++k) where_tx[c.group_tx[k]] = -1;
    at = end;
  }
  c.group_start.push_back(static_cast<std::uint32_t>(order.size()));
  c.T_start.push_back(static_cast<std::uint32_t>(c.group_T.size()));
  c.tx_start.push_back(static_cast<std::uint32_t>(c.group_tx.size()));
  return c;
}

absl::StatusOr<double> CompressedLogLikelihood(const Compressed& c, const ParetoNbdParams& q) {
  double ll = 0;
  std::vector<double> t2, alive, t1;
  for (size_t g = 0; g < c.group_x.size(); ++g) {
    const double x = c.group_x[g];
    const std::uint32_t nT = c.T_start[g + 1] - c.T_start[g];
    const std::uint32_t ntx = c.tx_start[g + 1] - c.tx_start[g];
    t2.resize(nT);
    alive.resize(nT);
    t1.resize(ntx);
    for (std::uint32_t k = 0; k < nT; ++k) {
      const double T = c.T.values[c.group_T[c.T_start[g] + k]];
      auto term = LogTerm(q, x, T);
      if (!term.ok()) return term.status();
      t2[k] = *term;
      alive[k] = -(q.r + x) * std::log(q.alpha + T) - q.s * std::log(q.beta + T);
    }
    for (std::uint32_t k = 0; k < ntx; ++k) {
      auto term = LogTerm(q, x, c.t_x.values[c.group_tx[c.tx_start[g] + k]]);
      if (!term.ok()) return term.status();
      t1[k] = *term;
    }
    const double log_ratio = std::log(q.s / (q.r + q.s + x));
    const std::uint32_t begin = c.group_start[g], n = c.group_start[g + 1] - begin;
    const double sum = internal::ParetoNbdGroupSum(alive.data(), t1.data(), t2.data(), c.row_T.data() + begin,
                                                   c.row_tx.data() + begin, c.row_w.data() + begin, n, log_ratio);
    ll += c.group_w[g] * Constant(q, x) + sum;
  }
  return ll;
}

ParetoNbdParams FromTheta(const std::vector<double>& theta) {
  return {std::exp(theta[0]), std::exp(theta[1]), std::exp(theta[2]), std::exp(theta[3])};
}

}  // namespace

absl::StatusOr<ParetoNbd> ParetoNbd::Fit(const RfmData& data, const FitOptions& options) {
  if (absl::Status s = data.Validate(); !s.ok()) return s;
  if (data.size() == 0) return absl::InvalidArgumentError("fit: no customers");
  const Compressed c = Compress(data);
  // Many customers: start from the fit of a systematic 1-in-k sample, then
  // Newton's method on the full data with finite-difference derivatives (23
  // evaluations a step, two or three steps from there; the standard errors
  // come from the last Hessian), instead of a hundred derivative-free
  // evaluations and forty more for the standard errors.
  constexpr size_t kSample = 50000;
  if (options.initial.empty() && options.l2_penalty == 0 && data.size() > 4 * kSample) {
    const size_t step = data.size() / kSample;
    auto start = Fit(SystematicSample(data, step), options);
    if (start.ok() && start->fit_->converged) {
      int evaluations = 0;
      internal::NewtonObjective objective =
          internal::NumericNewtonObjective([&](const std::vector<double>& theta, std::vector<double>*) {
            ++evaluations;
            auto ll = CompressedLogLikelihood(c, FromTheta(theta));
            return ll.ok() ? *ll : kNegInf;
          });
      const std::vector<double> theta0 = {std::log(start->params_.r), std::log(start->params_.alpha),
                                          std::log(start->params_.s), std::log(start->params_.beta)};
      // Finite differences resolve the gradient to ~1e-11 |LL|: ask for 1e-8
      // (the verdict elsewhere is 1e-6).
      internal::NewtonOptions newton;
      newton.tight = 1e-8;
      newton.value_first = true;
      newton.max_decrement = 1e-4;  // the remaining step below 1/100 of a standard error
      if (auto n = internal::NewtonMaximize(objective, theta0, newton)) {
        ParetoNbd model(FromTheta(n->theta), data.unit);
        FitResult fit;
        fit.names = {"r", "alpha", "s", "beta"};
        fit.params = {model.params_.r, model.params_.alpha, model.params_.s, model.params_.beta};
        fit.std_errors = n->std_errors;
        fit.log_likelihood = n->ll;
        fit.n_customers = c.total_weight;
        fit.rows = c.row_w.size();
        fit.unit = data.unit;
        fit.converged = true;
        fit.reason = StrCat("converged: gradient norm ", n->gradient_norm, " below ", 1e-6 * (std::abs(n->ll) + 1),
                            " (Newton's method on finite differences from the fit of a 1-in-", step, " sample)");
        fit.evaluations = evaluations + start->fit_->evaluations;
        fit.gradient_norm = n->gradient_norm;
        model.fit_ = std::move(fit);
        return model;
      }
      FitOptions warm = options;
      warm.initial = {start->params_.r, start->params_.alpha, start->params_.s, start->params_.beta};
      return Fit(data, warm);
    }
  }
  double mean_T = 0;
  for (size_t i = 0; i < data.size(); ++i) mean_T += data.Weight(i) * data.T[i];
  mean_T /= c.total_weight;
  // Start with alpha and beta at the mean observation length: rates of the
  // order of one purchase and one death per customer.
  std::vector<double> theta0 = {0.0, std::log(std::max(mean_T, 1e-6)), 0.0, std::log(std::max(mean_T, 1e-6))};
  if (!options.initial.empty()) {
    if (options.initial.size() != 4) return absl::InvalidArgumentError("fit: initial takes 4 parameters (r, alpha, s, beta)");
    for (size_t k = 0; k < 4; ++k) {
      if (!(options.initial[k] > 0)) return absl::InvalidArgumentError("fit: initial parameters must be > 0");
      theta0[k] = std::log(options.initial[k]);
    }
  }
  const internal::Objective objective = internal::WithL2Penalty(
      [&](const std::vector<double>& theta, std::vector<double>*) {
        auto ll = CompressedLogLikelihood(c, FromTheta(theta));
        return ll.ok() ? *ll : kNegInf;  // e.g. no convergence far from the optimum: back off
      },
      options.l2_penalty);
  auto optimum = internal::MaximizeWithoutGradient(objective, theta0, options.max_evaluations);
  if (!optimum.ok()) return optimum.status();
  ParetoNbd model(FromTheta(optimum->theta), data.unit);
  auto ll = CompressedLogLikelihood(c, model.params_);
  if (!ll.ok()) return absl::Status(ll.status().code(), StrCat("fit: at the result: ", ll.status().message()));
  FitResult fit;
  fit.names = {"r", "alpha", "s", "beta"};
  fit.params = {model.params_.r, model.params_.alpha, model.params_.s, model.params_.beta};
  fit.std_errors = optimum->std_errors;
  fit.log_likelihood = *ll;
  fit.n_customers = c.total_weight;
  fit.rows = c.row_w.size();
  fit.unit = data.unit;
  fit.converged = optimum->converged;
  fit.reason = optimum->reason;
  fit.evaluations = optimum->evaluations;
  fit.gradient_norm = optimum->gradient_norm;
  model.fit_ = std::move(fit);
  return model;
}

absl::StatusOr<double> ParetoNbd::LogLikelihood(double x, double t_x, double T) const {
  auto t1 = LogTerm(params_, x, t_x);
  if (!t1.ok()) return t1.status();
  auto t2 = LogTerm(params_, x, T);
  if (!t2.ok()) return t2.status();
  const Parts p = PartsOf(params_, x, *t1, *t2, std::log(params_.alpha + T), std::log(params_.beta + T));
  return Constant(params_, x) + LogSumExp(p.alive, p.dead);
}

absl::StatusOr<double> ParetoNbd::PAlive(double x, double t_x, double T) const {
  auto t1 = LogTerm(params_, x, t_x);
  if (!t1.ok()) return t1.status();
  auto t2 = LogTerm(params_, x, T);
  if (!t2.ok()) return t2.status();
  const Parts p = PartsOf(params_, x, *t1, *t2, std::log(params_.alpha + T), std::log(params_.beta + T));
  // P(alive) = L_alive / (L_alive + L_dead).
  const double u = p.dead - p.alive;
  return u > 0 ? std::exp(-u) / (1 + std::exp(-u)) : 1 / (1 + std::exp(u));
}

absl::StatusOr<double> ParetoNbd::ConditionalExpectedPurchases(double t, double x, double t_x, double T) const {
  const auto& [r, alpha, s, beta] = params_;
  if (std::abs(s - 1) < 1e-12) return absl::FailedPreconditionError("expected purchases: s = 1 (limit not implemented)");
  if (t < 0) return absl::InvalidArgumentError("expected purchases: the horizon is negative");
  auto alive = PAlive(x, t_x, T);
  if (!alive.ok()) return alive.status();
  // (r + x)(beta + T) / ((alpha + T)(s - 1)) [1 - ((beta + T)/(beta + T + t))^(s - 1)] P(alive)
  const double bracket = -std::expm1((s - 1) * std::log((beta + T) / (beta + T + t)));
  return (r + x) * (beta + T) / ((alpha + T) * (s - 1)) * bracket * *alive;
}

absl::StatusOr<double> ParetoNbd::ExpectedPurchases(double t) const {
  const auto& [r, alpha, s, beta] = params_;
  if (std::abs(s - 1) < 1e-12) return absl::FailedPreconditionError("expected purchases: s = 1 (limit not implemented)");
  return r * beta / (alpha * (s - 1)) * -std::expm1((s - 1) * std::log(beta / (beta + t)));
}

absl::StatusOr<double> ParetoNbd::ProbabilityOfPurchases(int n, double t) const {
  // Plain copies, not a structured binding: the lambdas below capture them.
  const double r = params_.r, alpha = params_.alpha, s = params_.s, beta = params_.beta;
  if (n < 0) return absl::InvalidArgumentError("P(X(t) = n): n is negative");
  if (!(t >= 0) || !std::isfinite(t)) return absl::InvalidArgumentError("P(X(t) = n): t is not a duration >= 0");
  // log P_NBD(n; tau) = log Gamma(r + n) - log Gamma(r) - log n! + r log(alpha / (alpha + tau))
  //                     + n log(tau / (alpha + tau))
  const double log_coefficient = LogGamma(r + n) - LogGamma(r) - LogGamma(n + 1.0);
  auto log_nbd = [&](double tau) {
    const double count = n == 0 ? 0.0 : n * std::log(tau / (alpha + tau));
    return log_coefficient + r * std::log(alpha / (alpha + tau)) + count;
  };
  // Alive all through t: P_NBD(n; t) (beta / (beta + t))^s.
  const double alive = std::exp(log_nbd(t) + s * std::log(beta / (beta + t)));
  if (t == 0) return alive;
  // Died at tau < t (Lomax density s beta^s / (beta + tau)^(s + 1)) after n
  // purchases by then.
  auto integrand = [&](double tau) {
    if (tau <= 0) return n == 0 ? s / beta : 0.0;
    return std::exp(std::log(s / beta) - (s + 1) * std::log1p(tau / beta) + log_nbd(tau));
  };
  double error = 0;
  const double dead = boost::math::quadrature::gauss_kronrod<double, 31>::integrate(integrand, 0.0, t, 20, 1e-13,
                                                                                     &error);
  if (!std::isfinite(dead) || error > 1e-9 * std::max(dead, 1e-300) + 1e-15) {
    return absl::InternalError(StrCat("P(X(t) = n): the integral over the time of death did not converge (n = ", n,
                                      ", t = ", t, ", estimate ", dead, ", error ", error, ")"));
  }
  return std::min(1.0, alive + dead);
}

absl::Status ParetoNbd::PAlive(const RfmData& data, std::span<double> out) const {
  if (absl::Status s = data.Validate(); !s.ok()) return s;
  if (out.size() < data.size()) return absl::OutOfRangeError("p_alive: the output is shorter than the data");
  const double f = UnitFactor(data.unit, unit_);
  for (size_t i = 0; i < data.size(); ++i) {
    auto p = PAlive(data.x[i], data.t_x[i] * f, data.T[i] * f);
    if (!p.ok()) return absl::Status(p.status().code(), StrCat("customer row ", i, ": ", p.status().message()));
    out[i] = *p;
  }
  return absl::OkStatus();
}

absl::Status ParetoNbd::ConditionalExpectedPurchases(const RfmData& data, Duration horizon,
                                                     std::span<double> out) const {
  if (absl::Status s = data.Validate(); !s.ok()) return s;
  if (out.size() < data.size()) return absl::OutOfRangeError("expected purchases: the output is shorter than the data");
  const double f = UnitFactor(data.unit, unit_);
  const double t = horizon.In(unit_);
  for (size_t i = 0; i < data.size(); ++i) {
    auto e = ConditionalExpectedPurchases(t, data.x[i], data.t_x[i] * f, data.T[i] * f);
    if (!e.ok()) return absl::Status(e.status().code(), StrCat("customer row ", i, ": ", e.status().message()));
    out[i] = *e;
  }
  return absl::OkStatus();
}

absl::StatusOr<double> ParetoNbd::TotalLogLikelihood(const RfmData& data) const {
  if (absl::Status s = data.Validate(); !s.ok()) return s;
  return CompressedLogLikelihood(Compress(data.In(unit_)), params_);
}

}  // namespace carteira::models
