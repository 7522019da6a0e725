#include "carteira/models/bg_nbd.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <vector>

#include <boost/math/special_functions/digamma.hpp>
#include <boost/math/special_functions/gamma.hpp>
#include <boost/math/special_functions/trigamma.hpp>

#include "carteira/core/strings.h"
#include "carteira/models/special_functions.h"
#include "src/models/likelihood_kernels.h"
#include "src/models/prediction_kernels.h"
#include "src/models/optimizer.h"
#include "src/models/value_index.h"

namespace carteira::models {
namespace {

using internal::IndexValues;
using internal::ValueIndex;

double Digamma(double v) { return boost::math::digamma(v); }
double LogGamma(double v) { return boost::math::lgamma(v); }

// log(1 + e^u) and 1 / (1 + e^-u), without overflow.
double Softplus(double u) { return u > 0 ? u + std::log1p(std::exp(-u)) : std::log1p(std::exp(u)); }
double Sigmoid(double u) {
  if (u >= 0) return 1.0 / (1.0 + std::exp(-u));
  const double e = std::exp(u);
  return e / (1.0 + e);
}


// The data compressed for the likelihood: customers without repeat
// purchases reduce to a weight per distinct T; the others are grouped by x
// so that everything that depends on x alone is computed once per group.
struct Compressed {
  ValueIndex T, t_x;
  std::vector<double> w0_by_T;  // x = 0
  std::vector<double> group_x;  // distinct x > 0, ascending
  std::vector<std::uint32_t> group_start;  // rows of group g: [start[g], start[g+1])
  std::vector<std::uint32_t> row_T, row_tx;
  std::vector<double> row_w;
  double total_weight = 0;
  size_t distinct_rows = 0;
};

Compressed Compress(const RfmData& d) {
  Compressed c;
  const double dpu = DaysPerUnit(d.unit);
  c.T = IndexValues(d.T, dpu);
  c.t_x = IndexValues(d.t_x, dpu);
  c.w0_by_T.assign(c.T.values.size(), 0.0);
  // Counting sort of the x > 0 rows by x. The distinct x come from a
  // presence table when x is moderate (a sort of every row's x cost more
  // than a likelihood evaluation), else from a sort.
  double max_x = 0;
  for (double x : d.x) max_x = std::max(max_x, x);
  std::vector<double> xs;
  constexpr double kDenseX = 1 << 20;
  if (max_x < kDenseX) {
    std::vector<std::uint8_t> present(static_cast<size_t>(max_x) + 1, 0);
    for (double x : d.x) present[static_cast<size_t>(x)] = 1;
    for (size_t v = 1; v < present.size(); ++v) {
      if (present[v]) xs.push_back(static_cast<double>(v));
    }
  } else {
    for (double x : d.x) {
      if (x > 0) xs.push_back(x);
    }
    std::sort(xs.begin(), xs.end());
    xs.erase(std::unique(xs.begin(), xs.end()), xs.end());
  }
  c.group_x = xs;
  c.group_start.assign(xs.size() + 1, 0);
  std::vector<std::uint32_t> dense_group;
  if (max_x < kDenseX) {
    dense_group.assign(static_cast<size_t>(max_x) + 1, 0);
    for (size_t g = 0; g < xs.size(); ++g) dense_group[static_cast<size_t>(xs[g])] = static_cast<std::uint32_t>(g);
  }
  auto group_of = [&xs, &dense_group](double x) {
    if (!dense_group.empty()) return static_cast<size_t>(dense_group[static_cast<size_t>(x)]);
    return static_cast<size_t>(std::lower_bound(xs.begin(), xs.end(), x) - xs.begin());
  };
  std::vector<std::uint32_t> group(d.size(), 0);
  for (size_t i = 0; i < d.size(); ++i) {
    c.total_weight += d.Weight(i);
    if (d.x[i] == 0) {
      c.w0_by_T[c.T.of_row[i]] += d.Weight(i);
      continue;
    }
    group[i] = static_cast<std::uint32_t>(group_of(d.x[i]));
    ++c.group_start[group[i] + 1];
  }
  for (size_t g = 0; g < xs.size(); ++g) c.group_start[g + 1] += c.group_start[g];
  const size_t n = c.group_start.back();
  c.row_T.resize(n);
  c.row_tx.resize(n);
  c.row_w.resize(n);
  std::vector<std::uint32_t> next(c.group_start.begin(), c.group_start.end() - 1);
  for (size_t i = 0; i < d.size(); ++i) {
    if (d.x[i] == 0) continue;
    const std::uint32_t at = next[group[i]]++;
    c.row_T[at] = c.T.of_row[i];
    c.row_tx[at] = c.t_x.of_row[i];
    c.row_w[at] = d.Weight(i);
  }
  for (double w : c.w0_by_T) c.distinct_rows += w > 0;
  c.distinct_rows += n;
  return c;
}

// The log-likelihood and its gradient with respect to log(r, alpha, a, b).
double CompressedLogLikelihood(const Compressed& c, bool modified, const std::vector<double>& theta,
                     std::vector<double>* gradient) {
  const double r = std::exp(theta[0]), alpha = std::exp(theta[1]), a = std::exp(theta[2]),
               b = std::exp(theta[3]);
  const size_t nT = c.T.values.size(), ntx = c.t_x.values.size();
  std::vector<double> lT(nT), iT(nT), ltx(ntx), itx(ntx);
  for (size_t k = 0; k < nT; ++k) {
    lT[k] = std::log(alpha + c.T.values[k]);
    iT[k] = 1.0 / (alpha + c.T.values[k]);
  }
  for (size_t k = 0; k < ntx; ++k) {
    ltx[k] = std::log(alpha + c.t_x.values[k]);
    itx[k] = 1.0 / (alpha + c.t_x.values[k]);
  }
  const double log_alpha = std::log(alpha);
  const double psi_ab = Digamma(a + b), psi_b = Digamma(b);
  double ll = 0, dr = 0, dalpha = 0, da = 0, db = 0;

  // x = 0. BG/NBD: r log alpha - r log(alpha + T). MBG/NBD adds the chance
  // of having dropped out at the first purchase.
  {
    double sw = 0, swl = 0, swi = 0, ssp = 0, ssd = 0, ss = 0, ssi = 0;
    const double lc0 = std::log(a) - std::log(b);
    for (size_t k = 0; k < nT; ++k) {
      const double w = c.w0_by_T[k];
      if (w == 0) continue;
      sw += w;
      swl += w * lT[k];
      swi += w * iT[k];
      if (modified) {
        const double d = lT[k] - log_alpha;
        const double u = lc0 + r * d;
        const double s = Sigmoid(u);
        ssp += w * Softplus(u);
        ssd += w * s * d;
        ss += w * s;
        ssi += w * s * (iT[k] - 1.0 / alpha);
      }
    }
    if (sw > 0) {
      double k0 = r * log_alpha;
      if (modified) k0 += std::log(b) - std::log(a + b);  // lB(a, b + 1) - lB(a, b)
      ll += k0 * sw - r * swl + ssp;
      dr += log_alpha * sw - swl + ssd;
      dalpha += (r / alpha) * sw - r * swi + r * ssi;
      if (modified) {
        da += (psi_ab - Digamma(a + b + 1)) * sw + ss / a;
        db += (Digamma(b + 1) - Digamma(a + b + 1) - psi_b + psi_ab) * sw - ss / b;
      }
    }
  }

  // x > 0, a group per distinct x.
  const double lgamma_r = LogGamma(r), psi_r = Digamma(r);
  const double lbeta_ab = LogBeta(a, b);
  for (size_t g = 0; g < c.group_x.size(); ++g) {
    const double x = c.group_x[g];
    const double rx = r + x;
    const double bx = modified ? b + x : b + x - 1;  // the second term's b
    double k = LogGamma(rx) - lgamma_r + r * log_alpha +
               (modified ? LogBeta(a, b + x + 1) : LogBeta(a, b + x)) - lbeta_ab;
    const double lc = std::log(a) - std::log(bx);
    const std::uint32_t begin = c.group_start[g];
    const internal::BgGroupSums sums =
        internal::BgNbdGroupSums(lT.data(), iT.data(), ltx.data(), itx.data(), c.row_T.data() + begin,
                                 c.row_tx.data() + begin, c.row_w.data() + begin, c.group_start[g + 1] - begin, lc, rx);
    const double sw = sums.sw, swl = sums.swl, swi = sums.swi, ssp = sums.ssp, ssd = sums.ssd, ss = sums.ss,
                 ssi = sums.ssi;
    ll += k * sw - rx * swl + ssp;
    if (gradient == nullptr) continue;
    const double psi_abx = modified ? Digamma(a + b + x + 1) : Digamma(a + b + x);
    const double psi_bx = modified ? Digamma(b + x + 1) : Digamma(b + x);
    dr += (Digamma(rx) - psi_r + log_alpha) * sw - swl + ssd;
    dalpha += (r / alpha) * sw - rx * swi + rx * ssi;
    da += (psi_ab - psi_abx) * sw + ss / a;
    db += (psi_bx - psi_abx - psi_b + psi_ab) * sw - ss / bx;
  }
  if (gradient != nullptr) {
    (*gradient)[0] = dr * r;
    (*gradient)[1] = dalpha * alpha;
    (*gradient)[2] = da * a;
    (*gradient)[3] = db * b;
  }
  return ll;
}

// The log-likelihood with its gradient and Hessian in log-parameter space
// (the analytic second derivatives: a Newton step then needs one pass over
// the customers). `hessian` receives 16 values, row-major.
double LogLikelihoodAndHessian(const Compressed& c, bool modified, const std::vector<double>& theta,
                               std::vector<double>* gradient, std::vector<double>* hessian) {
  const double p[4] = {std::exp(theta[0]), std::exp(theta[1]), std::exp(theta[2]), std::exp(theta[3])};
  const double r = p[0], alpha = p[1], a = p[2], b = p[3];
  const size_t nT = c.T.values.size(), ntx = c.t_x.values.size();
  std::vector<double> lT(nT), iT(nT), ltx(ntx), itx(ntx);
  for (size_t k = 0; k < nT; ++k) {
    lT[k] = std::log(alpha + c.T.values[k]);
    iT[k] = 1.0 / (alpha + c.T.values[k]);
  }
  for (size_t k = 0; k < ntx; ++k) {
    ltx[k] = std::log(alpha + c.t_x.values[k]);
    itx[k] = 1.0 / (alpha + c.t_x.values[k]);
  }
  const double log_alpha = std::log(alpha);
  const double psi_r = Digamma(r), psi1_r = boost::math::trigamma(r);
  const double psi_ab = Digamma(a + b), psi1_ab = boost::math::trigamma(a + b);
  const double psi_b = Digamma(b), psi1_b = boost::math::trigamma(b);
  double ll = 0, g[4] = {0, 0, 0, 0}, h[4][4] = {};
  // One group of customers with the same x (x' = x, or x + 1 for MBG/NBD,
  // in the beta functions), from its sums.
  auto add_group = [&](double x, const internal::BgGroupHessianSums& hs, bool has_second_term) {
    const internal::BgGroupSums& f = hs.first;
    const double rx = r + x;
    const double xp = modified ? x + 1 : x;
    const double bx = modified ? b + x : b + x - 1;
    const double k = LogGamma(rx) - LogGamma(r) + r * log_alpha + LogBeta(a, b + xp) - LogBeta(a, b);
    ll += k * f.sw - rx * f.swl + (has_second_term ? f.ssp : 0.0);
    const double psi_abx = Digamma(a + b + xp), psi1_abx = boost::math::trigamma(a + b + xp);
    const double kaa = psi1_ab - psi1_abx;
    g[0] += (Digamma(rx) - psi_r + log_alpha) * f.sw - f.swl + f.ssd;
    g[1] += (r / alpha) * f.sw - rx * f.swi + rx * f.ssi;
    g[2] += (psi_ab - psi_abx) * f.sw + f.ss / a;
    g[3] += (Digamma(b + xp) - psi_abx - psi_b + psi_ab) * f.sw - f.ss / bx;
    h[0][0] += (boost::math::trigamma(rx) - psi1_r) * f.sw + hs.qd2;
    h[0][1] += f.sw / alpha - f.swi + rx * hs.qdd + f.ssi;
    h[1][1] += (-r / (alpha * alpha)) * f.sw + rx * hs.swi2 + rx * rx * hs.qD2 + rx * hs.ssq;
    h[0][2] += hs.qd / a;
    h[0][3] += -hs.qd / bx;
    h[1][2] += rx * hs.qD / a;
    h[1][3] += -rx * hs.qD / bx;
    h[2][2] += kaa * f.sw + (hs.q - f.ss) / (a * a);
    h[2][3] += kaa * f.sw - hs.q / (a * bx);
    h[3][3] += (boost::math::trigamma(b + xp) - psi1_abx - psi1_b + psi1_ab) * f.sw + (hs.q + f.ss) / (bx * bx);
  };
  // x = 0: per distinct T, with t_x = 0 (log(alpha + 0), 1 / alpha).
  {
    internal::BgGroupHessianSums hs;
    const double lc0 = std::log(a) - std::log(b);
    for (size_t k = 0; k < nT; ++k) {
      const double w = c.w0_by_T[k];
      if (w == 0) continue;
      hs.first.sw += w;
      hs.first.swl += w * lT[k];
      hs.first.swi += w * iT[k];
      hs.swi2 += w * iT[k] * iT[k];
      if (!modified) continue;
      const double d = lT[k] - log_alpha, D = iT[k] - 1.0 / alpha;
      const double u = lc0 + r * d;
      const double sg = Sigmoid(u), sd = sg * (1 - sg);
      hs.first.ssp += w * Softplus(u);
      hs.first.ssd += w * sg * d;
      hs.first.ss += w * sg;
      hs.first.ssi += w * sg * D;
      hs.ssq += w * sg * (1.0 / (alpha * alpha) - iT[k] * iT[k]);
      hs.qd2 += w * sd * d * d;
      hs.qdd += w * sd * d * D;
      hs.qD2 += w * sd * D * D;
      hs.qd += w * sd * d;
      hs.qD += w * sd * D;
      hs.q += w * sd;
    }
    if (hs.first.sw > 0) add_group(0, hs, modified);
  }
  for (size_t grp = 0; grp < c.group_x.size(); ++grp) {
    const double x = c.group_x[grp];
    const double bx = modified ? b + x : b + x - 1;
    const std::uint32_t begin = c.group_start[grp];
    const internal::BgGroupHessianSums hs = internal::BgNbdGroupHessianSums(
        lT.data(), iT.data(), ltx.data(), itx.data(), c.row_T.data() + begin, c.row_tx.data() + begin,
        c.row_w.data() + begin, c.group_start[grp + 1] - begin, std::log(a) - std::log(bx), r + x);
    add_group(x, hs, true);
  }
  // To log-parameters: g_t = p g, H_t = diag(p) H diag(p) + diag(p g).
  for (int i = 0; i < 4; ++i) {
    (*gradient)[i] = p[i] * g[i];
    for (int j = i; j < 4; ++j) {
      const double v = p[i] * p[j] * h[i][j] + (i == j ? p[i] * g[i] : 0.0);
      (*hessian)[i * 4 + j] = (*hessian)[j * 4 + i] = v;
    }
  }
  return ll;
}


double LogNegBinomial(int j, double r, double alpha, double t) {
  // log of Gamma(r + j) / (Gamma(r) j!) (alpha / (alpha + t))^r (t / (alpha + t))^j
  const double lp = std::log(alpha / (alpha + t)), lq = t > 0 ? std::log(t / (alpha + t)) : -INFINITY;
  return LogGamma(r + j) - LogGamma(r) - std::lgamma(j + 1.0) + r * lp + (j > 0 ? j * lq : 0.0);
}

// E[X(T, T + t) | x, T, alive at T]: the conditional expectation before
// its division by 1 + the odds of having dropped out (the only part that
// depends on t_x). Hypergeometric, so computed once per distinct (x, T).
absl::StatusOr<double> ExpectationIfAlive(const BgNbdParams& params, bool modified, double t, double x, double T) {
  const auto& [r, alpha, a, b] = params;
  if (std::abs(a - 1.0) < 1e-12) {
    return absl::FailedPreconditionError("expected purchases: a = 1 (the expectation's limit is not implemented)");
  }
  if (t < 0) return absl::InvalidArgumentError("expected purchases: the horizon is negative");
  if (t == 0) return 0.0;
  const double rx = r + x;
  const double z = t / (alpha + T + t);
  const double log_ratio = rx * std::log((alpha + T) / (alpha + T + t));
  absl::StatusOr<SignedLog> f = modified ? LogHyp2F1(rx, b + x + 1, a + b + x, z)
                                         : LogHyp2F1(rx, b + x, a + b + x - 1, z);
  if (!f.ok()) return f.status();
  // 1 - ratio * F without cancellation when the product is near 1.
  const double lp = log_ratio + f->log_abs;
  const double bracket = f->sign > 0 ? -std::expm1(lp) : (f->sign < 0 ? 1.0 + std::exp(lp) : 1.0);
  return (modified ? a + b + x : a + b + x - 1) / (a - 1) * bracket;
}

internal::BgOddsParams OddsParams(const BgNbdParams& p, bool modified, double f) {
  internal::BgOddsParams o;
  o.r = p.r;
  o.alpha = p.alpha;
  o.log_a = std::log(p.a);
  o.b_shift = modified ? p.b : p.b - 1;
  o.f = f;
  o.zero_x_alive = !modified;
  return o;
}

}  // namespace

std::string_view BgNbdVariantName(BgNbdVariant variant) {
  return variant == BgNbdVariant::kMbgNbd ? "mbgnbd" : "bgnbd";
}

BgNbd::BgNbd(BgNbdVariant variant, BgNbdParams params, TimeUnit unit)
    : variant_(variant), params_(params), unit_(unit) {}

absl::StatusOr<BgNbd> BgNbd::Fit(BgNbdVariant variant, const RfmData& data, const FitOptions& options) {
  if (absl::Status s = data.Validate(); !s.ok()) return s;
  if (data.size() == 0) return absl::InvalidArgumentError("fit: no customers");
  // Many customers: start from the fit of a systematic 1-in-k sample, so
  // that the full data need a handful of evaluations instead of dozens.
  constexpr size_t kSample = 50000;
  if (options.initial.empty() && data.size() > 4 * kSample) {
    const size_t step = data.size() / kSample;
    const RfmData sample = SystematicSample(data, step);
    FitOptions warm = options;
    auto start = Fit(variant, sample, warm);
    if (start.ok() && start->fit_->converged) {
      const std::vector<double> theta0 = {std::log(start->params_.r), std::log(start->params_.alpha),
                                          std::log(start->params_.a), std::log(start->params_.b)};
      // Newton from there (analytic Hessian: one pass a step), unless a
      // penalty changes the objective; L-BFGS if Newton gives up.
      if (options.l2_penalty == 0) {
        const Compressed c = Compress(data);
        const bool modified = variant == BgNbdVariant::kMbgNbd;
        internal::NewtonObjective objective = [&c, modified](const std::vector<double>& theta,
                                                             std::vector<double>* g, std::vector<double>* h) {
          return LogLikelihoodAndHessian(c, modified, theta, g, h);
        };
        if (auto n = internal::NewtonMaximize(objective, theta0)) {
          BgNbd model(variant, {std::exp(n->theta[0]), std::exp(n->theta[1]), std::exp(n->theta[2]),
                                std::exp(n->theta[3])},
                      data.unit);
          FitResult fit;
          fit.names = {"r", "alpha", "a", "b"};
          fit.params = {model.params_.r, model.params_.alpha, model.params_.a, model.params_.b};
          fit.std_errors = n->std_errors;
          fit.log_likelihood = n->ll;
          fit.n_customers = c.total_weight;
          fit.rows = c.distinct_rows;
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
      warm.initial = {start->params_.r, start->params_.alpha, start->params_.a, start->params_.b};
      return Fit(variant, data, warm);
    }
  }
  const bool modified = variant == BgNbdVariant::kMbgNbd;
  const Compressed c = Compress(data);
  double mean_T = 0;
  for (size_t i = 0; i < data.size(); ++i) mean_T += data.Weight(i) * data.T[i];
  mean_T /= c.total_weight;
  std::vector<double> theta0 = {0.0, std::log(std::max(mean_T, 1e-6)), 0.0, 0.0};
  if (!options.initial.empty()) {
    if (options.initial.size() != 4) {
      return absl::InvalidArgumentError("fit: initial takes 4 parameters (r, alpha, a, b)");
    }
    for (size_t k = 0; k < 4; ++k) {
      if (!(options.initial[k] > 0)) return absl::InvalidArgumentError("fit: initial parameters must be > 0");
      theta0[k] = std::log(options.initial[k]);
    }
  }
  const internal::Objective objective = internal::WithL2Penalty(
      [&](const std::vector<double>& theta, std::vector<double>* grad) {
        return CompressedLogLikelihood(c, modified, theta, grad);
      },
      options.l2_penalty);
  auto optimum = internal::Maximize(objective, theta0, /*has_gradient=*/true, options.max_evaluations);
  if (!optimum.ok()) return optimum.status();
  BgNbd model(variant, {std::exp(optimum->theta[0]), std::exp(optimum->theta[1]),
                        std::exp(optimum->theta[2]), std::exp(optimum->theta[3])},
              data.unit);
  FitResult fit;
  fit.names = {"r", "alpha", "a", "b"};
  fit.params = {model.params_.r, model.params_.alpha, model.params_.a, model.params_.b};
  fit.std_errors = optimum->std_errors;
  fit.log_likelihood = CompressedLogLikelihood(c, modified, optimum->theta, nullptr);
  fit.n_customers = c.total_weight;
  fit.rows = c.distinct_rows;
  fit.unit = data.unit;
  fit.converged = optimum->converged;
  fit.reason = optimum->reason;
  fit.evaluations = optimum->evaluations;
  fit.gradient_norm = optimum->gradient_norm;
  model.fit_ = std::move(fit);
  return model;
}

double BgNbd::LogLikelihood(double x, double t_x, double T) const {
  const auto& [r, alpha, a, b] = params_;
  const bool modified = variant_ == BgNbdVariant::kMbgNbd;
  const double rx = r + x;
  double ll = LogGamma(rx) - LogGamma(r) + r * std::log(alpha) +
              (modified ? LogBeta(a, b + x + 1) : LogBeta(a, b + x)) - LogBeta(a, b) -
              rx * std::log(alpha + T);
  if (modified || x > 0) {
    const double bx = modified ? b + x : b + x - 1;
    ll += Softplus(std::log(a) - std::log(bx) + rx * (std::log(alpha + T) - std::log(alpha + t_x)));
  }
  return ll;
}

double BgNbd::PAlive(double x, double t_x, double T) const {
  const auto& [r, alpha, a, b] = params_;
  const bool modified = variant_ == BgNbdVariant::kMbgNbd;
  if (!modified && x == 0) return 1.0;
  const double bx = modified ? b + x : b + x - 1;
  return Sigmoid(-(std::log(a) - std::log(bx) + (r + x) * (std::log(alpha + T) - std::log(alpha + t_x))));
}

absl::StatusOr<double> BgNbd::ConditionalExpectedPurchases(double t, double x, double t_x, double T) const {
  const auto& [r, alpha, a, b] = params_;
  const bool modified = variant_ == BgNbdVariant::kMbgNbd;
  absl::StatusOr<double> if_alive = ExpectationIfAlive(params_, modified, t, x, T);
  if (!if_alive.ok() || *if_alive == 0) return if_alive;
  const double p_alive_odds =
      (modified || x > 0)
          ? std::exp(std::log(a) - std::log(modified ? b + x : b + x - 1) +
                     (r + x) * (std::log(alpha + T) - std::log(alpha + t_x)))
          : 0.0;
  return *if_alive / (1.0 + p_alive_odds);
}

absl::StatusOr<double> BgNbd::ExpectedPurchases(double t) const {
  const auto& [r, alpha, a, b] = params_;
  if (std::abs(a - 1.0) < 1e-12) {
    return absl::FailedPreconditionError("expected purchases: a = 1 (the expectation's limit is not implemented)");
  }
  if (t < 0) return absl::InvalidArgumentError("expected purchases: the horizon is negative");
  if (t == 0) return 0.0;
  const bool modified = variant_ == BgNbdVariant::kMbgNbd;
  const double z = t / (alpha + t);
  absl::StatusOr<SignedLog> f = modified ? LogHyp2F1(r, b + 1, a + b, z) : LogHyp2F1(r, b, a + b - 1, z);
  if (!f.ok()) return f.status();
  const double lp = r * std::log(alpha / (alpha + t)) + f->log_abs;
  const double bracket = f->sign > 0 ? -std::expm1(lp) : (f->sign < 0 ? 1.0 + std::exp(lp) : 1.0);
  return (modified ? b : a + b - 1) / (a - 1) * bracket;
}

double BgNbd::ProbabilityOfPurchases(int n, double t) const {
  const auto& [r, alpha, a, b] = params_;
  if (n < 0) return 0.0;
  const bool modified = variant_ == BgNbdVariant::kMbgNbd;
  const double lbeta_ab = LogBeta(a, b);
  // Alive after n purchases and exactly n events...
  double p = std::exp((modified ? LogBeta(a, b + n + 1) : LogBeta(a, b + n)) - lbeta_ab +
                      LogNegBinomial(n, r, alpha, t));
  // ... or dropped out right after the n-th purchase with >= n events due.
  if (modified || n > 0) {
    // sum_{j < n} NB(j), by the recurrence NB(j+1) = NB(j) (r+j)/(j+1) q.
    double below = 0;
    double log_nb = r * std::log(alpha / (alpha + t));
    const double log_q = t > 0 ? std::log(t / (alpha + t)) : -INFINITY;
    for (int j = 0; j < n; ++j) {
      below += std::exp(log_nb);
      log_nb += std::log((r + j) / (j + 1.0)) + log_q;
    }
    const double drop = std::exp((modified ? LogBeta(a + 1, b + n) : LogBeta(a + 1, b + n - 1)) - lbeta_ab);
    p += drop * std::max(0.0, 1.0 - below);
  }
  return p;
}

absl::Status BgNbd::PAlive(const RfmData& data, std::span<double> out) const {
  if (absl::Status s = data.Validate(); !s.ok()) return s;
  if (out.size() < data.size()) return absl::OutOfRangeError("p_alive: the output is shorter than the data");
  const bool modified = variant_ == BgNbdVariant::kMbgNbd;
  internal::BgNbdPAlive(OddsParams(params_, modified, UnitFactor(data.unit, unit_)), data.x.data(),
                        data.t_x.data(), data.T.data(), data.size(), out.data());
  return absl::OkStatus();
}

absl::Status BgNbd::ConditionalExpectedPurchases(const RfmData& data, Duration horizon,
                                                 std::span<double> out) const {
  if (out.size() < data.size()) {
    return absl::OutOfRangeError("expected purchases: the output is shorter than the data");
  }
  // P(alive) lands in out first, then is multiplied in place.
  return PAliveAndExpectedPurchases(data, horizon, out, out);
}

absl::Status BgNbd::PAliveAndExpectedPurchases(const RfmData& data, Duration horizon, std::span<double> p_alive,
                                               std::span<double> expected) const {
  if (absl::Status s = data.Validate(); !s.ok()) return s;
  if (p_alive.size() < data.size() || expected.size() < data.size()) {
    return absl::OutOfRangeError("predictions: an output is shorter than the data");
  }
  const bool modified = variant_ == BgNbdVariant::kMbgNbd;
  const double f = UnitFactor(data.unit, unit_);
  const double t = horizon.In(unit_);
  internal::BgNbdPAlive(OddsParams(params_, modified, f), data.x.data(), data.t_x.data(), data.T.data(),
                        data.size(), p_alive.data());
  // E = P(alive) E_alive(x, T): E_alive (a 2F1) depends on x and T only;
  // for the usual small x it is computed once per (x, whole day of T) and
  // looked up.
  const double dpu = DaysPerUnit(data.unit);
  constexpr size_t kCachedX = 64;
  constexpr double kMaxDays = 1 << 16;  // 179 years: longer T is computed, not cached
  double max_days = 0;
  for (double T : data.T) max_days = std::max(max_days, T * dpu);
  const size_t n_days = static_cast<size_t>(std::min(max_days, kMaxDays)) + 2;
  // The table costs 64 x (days of the longest T) cells to fill: half a
  // megabyte for three years. Only a batch with customers to fill it pays
  // for it; a call for one customer (the P(alive) status rule makes one a
  // customer) computes directly, and each value is the same either way.
  const bool use_cache = data.size() * 8 >= kCachedX * n_days;
  std::vector<double> cache(use_cache ? kCachedX * n_days : 0, std::numeric_limits<double>::quiet_NaN());
  for (size_t i = 0; i < data.size(); ++i) {
    const double x = data.x[i], T = data.T[i];
    const double days = T * dpu;
    double* slot = nullptr;
    if (use_cache && x < kCachedX && days < kMaxDays) {
      const auto day = static_cast<size_t>(days + 0.5);
      if (std::abs(days - static_cast<double>(day)) <= 1e-9 * std::max(1.0, days)) {
        slot = &cache[static_cast<size_t>(x) * n_days + day];
        if (!std::isnan(*slot)) {
          expected[i] = p_alive[i] * *slot;
          continue;
        }
      }
    }
    absl::StatusOr<double> e = ExpectationIfAlive(params_, modified, t, x, T * f);
    if (!e.ok()) return absl::Status(e.status().code(), StrCat("customer row ", i, ": ", e.status().message()));
    expected[i] = p_alive[i] * *e;
    if (slot != nullptr) *slot = *e;
  }
  return absl::OkStatus();
}

absl::StatusOr<double> BgNbd::TotalLogLikelihood(const RfmData& data) const {
  if (absl::Status s = data.Validate(); !s.ok()) return s;
  const RfmData d = data.In(unit_);
  const Compressed c = Compress(d);
  return CompressedLogLikelihood(c, variant_ == BgNbdVariant::kMbgNbd,
                       {std::log(params_.r), std::log(params_.alpha), std::log(params_.a), std::log(params_.b)},
                       nullptr);
}

}  // namespace carteira::models
