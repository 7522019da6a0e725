#include "src/models/optimizer.h"

#include <nlopt.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <utility>

#include "carteira/core/strings.h"

namespace carteira::models::internal {
namespace {

// Log-parameters beyond +-30 (parameters outside [1e-13, 1e13]) are not
// meaningful for these models and would overflow their expressions.
constexpr double kBound = 30.0;

struct Context {
  const Objective* objective;
  bool has_gradient;
  int evaluations = 0;
  std::vector<double> best_theta;
  double best_value = -std::numeric_limits<double>::infinity();
};

std::vector<double> NumericGradient(const Objective& f, const std::vector<double>& theta) {
  std::vector<double> g(theta.size());
  std::vector<double> t = theta;
  for (size_t k = 0; k < theta.size(); ++k) {
    const double h = 1e-6 * std::max(1.0, std::abs(theta[k]));
    t[k] = theta[k] + h;
    const double up = f(t, nullptr);
    t[k] = theta[k] - h;
    const double down = f(t, nullptr);
    t[k] = theta[k];
    g[k] = (up - down) / (2 * h);
  }
  return g;
}

std::vector<double> Gradient(const Objective& f, const std::vector<double>& theta, bool exact) {
  if (!exact) return NumericGradient(f, theta);
  std::vector<double> g(theta.size());
  f(theta, &g);
  return g;
}

double Callback(unsigned n, const double* x, double* grad, void* data) {
  auto* ctx = static_cast<Context*>(data);
  ++ctx->evaluations;
  const std::vector<double> theta(x, x + n);
  double value;
  if (grad != nullptr) {
    std::vector<double> g(n, 0.0);
    if (ctx->has_gradient) {
      value = (*ctx->objective)(theta, &g);
    } else {
      value = (*ctx->objective)(theta, nullptr);
      g = NumericGradient(*ctx->objective, theta);
    }
    for (unsigned k = 0; k < n; ++k) grad[k] = std::isfinite(g[k]) ? g[k] : 0.0;
  } else {
    value = (*ctx->objective)(theta, nullptr);
  }
  // A non-finite value (overflow far from the optimum) is the worst value
  // there is, not a crash: the optimiser backs off.
  if (!std::isfinite(value)) return -1e300;
  if (value > ctx->best_value) {
    ctx->best_value = value;
    ctx->best_theta = theta;
  }
  return value;
}

nlopt_result Run(nlopt_algorithm algorithm, Context& ctx, std::vector<double>& theta, double* value,
                 int max_evaluations) {
  nlopt_opt opt = nlopt_create(algorithm, static_cast<unsigned>(theta.size()));
  nlopt_set_max_objective(opt, Callback, &ctx);
  nlopt_set_lower_bounds1(opt, -kBound);
  nlopt_set_upper_bounds1(opt, kBound);
  nlopt_set_ftol_rel(opt, 1e-12);
  nlopt_set_xtol_rel(opt, 1e-10);
  nlopt_set_maxeval(opt, std::max(1, max_evaluations));
  // Derivative-free methods start from a trust region or simplex of this
  // size in log-parameters (NLopt's default, from the bounds, is huge).
  if (algorithm == NLOPT_LN_NELDERMEAD) nlopt_set_initial_step1(opt, 0.1);
  if (algorithm == NLOPT_LN_BOBYQA) nlopt_set_initial_step1(opt, 0.5);
  const nlopt_result r = nlopt_optimize(opt, theta.data(), value);
  nlopt_destroy(opt);
  return r;
}

std::string Describe(nlopt_result r) {
  switch (r) {
    case NLOPT_SUCCESS: return "success";
    case NLOPT_STOPVAL_REACHED: return "stop value reached";
    case NLOPT_FTOL_REACHED: return "relative change of the log-likelihood below 1e-12";
    case NLOPT_XTOL_REACHED: return "relative change of the parameters below 1e-10";
    case NLOPT_MAXEVAL_REACHED: return "maximum number of evaluations reached";
    case NLOPT_MAXTIME_REACHED: return "time limit reached";
    case NLOPT_ROUNDOFF_LIMITED: return "limited by round-off";
    case NLOPT_FAILURE: return "optimiser failure";
    case NLOPT_INVALID_ARGS: return "invalid arguments";
    case NLOPT_OUT_OF_MEMORY: return "out of memory";
    case NLOPT_FORCED_STOP: return "stopped";
    default: return StrCat("NLopt code ", static_cast<int>(r));
  }
}

double InfNorm(const std::vector<double>& g) {
  double m = 0;
  for (double v : g) m = std::max(m, std::isfinite(v) ? std::abs(v) : std::numeric_limits<double>::infinity());
  return m;
}

// The inverse of an n x n matrix (row-major) by Gauss-Jordan with partial
// pivoting; nullopt when it is singular. n is the number of parameters (<= 4).
std::optional<std::vector<double>> Inverse(std::vector<double> m, size_t n) {
  std::vector<double> inv(n * n, 0.0);
  for (size_t i = 0; i < n; ++i) inv[i * n + i] = 1;
  for (size_t col = 0; col < n; ++col) {
    size_t pivot = col;
    for (size_t r = col + 1; r < n; ++r) {
      if (std::abs(m[r * n + col]) > std::abs(m[pivot * n + col])) pivot = r;
    }
    if (!(std::abs(m[pivot * n + col]) > 1e-300)) return std::nullopt;
    for (size_t k = 0; k < n; ++k) {
      std::swap(m[col * n + k], m[pivot * n + k]);
      std::swap(inv[col * n + k], inv[pivot * n + k]);
    }
    const double d = m[col * n + col];
    for (size_t k = 0; k < n; ++k) {
      m[col * n + k] /= d;
      inv[col * n + k] /= d;
    }
    for (size_t r = 0; r < n; ++r) {
      if (r == col) continue;
      const double factor = m[r * n + col];
      for (size_t k = 0; k < n; ++k) {
        m[r * n + k] -= factor * m[col * n + k];
        inv[r * n + k] -= factor * inv[col * n + k];
      }
    }
  }
  return inv;
}

// Standard errors of exp(theta) from the observed information -H (n x n,
// symmetric) in theta space, by the delta method:
// se(p_k) = p_k sqrt([(-H)^-1]_kk); NaN where the information is singular.
std::vector<double> StdErrorsFromInformation(const std::vector<double>& theta, std::vector<double> information) {
  const size_t n = theta.size();
  const std::optional<std::vector<double>> inverse = Inverse(std::move(information), n);
  if (!inverse) return std::vector<double>(n, std::numeric_limits<double>::quiet_NaN());
  const std::vector<double>& inv = *inverse;
  std::vector<double> se(n);
  for (size_t k = 0; k < n; ++k) {
    const double var = inv[k * n + k];
    se[k] = var > 0 ? std::exp(theta[k]) * std::sqrt(var) : std::numeric_limits<double>::quiet_NaN();
  }
  return se;
}

// The same with the Hessian by forward differences of the gradient.
std::vector<double> StdErrors(const Objective& f, const std::vector<double>& theta, bool exact) {
  const size_t n = theta.size();
  std::vector<double> h(n * n);
  std::vector<double> t = theta;
  // Forward differences of the gradient (n gradients, not 2n: standard
  // errors need a few digits, not twelve).
  const std::vector<double> at = Gradient(f, theta, exact);
  for (size_t j = 0; j < n; ++j) {
    const double step = 1e-5;
    t[j] = theta[j] + step;
    const std::vector<double> up = Gradient(f, t, exact);
    t[j] = theta[j];
    for (size_t k = 0; k < n; ++k) h[j * n + k] = -(up[k] - at[k]) / step;
  }
  // Symmetrise, then invert -H.
  for (size_t j = 0; j < n; ++j) {
    for (size_t k = j + 1; k < n; ++k) h[j * n + k] = h[k * n + j] = 0.5 * (h[j * n + k] + h[k * n + j]);
  }
  return StdErrorsFromInformation(theta, std::move(h));
}

absl::StatusOr<Optimum> Finish(const Objective& objective, const Context& ctx, nlopt_result r,
                               bool has_gradient, int max_evaluations);

}  // namespace

Objective WithL2Penalty(Objective objective, double penalty) {
  if (!(penalty > 0)) return objective;
  return [objective = std::move(objective), penalty](const std::vector<double>& theta, std::vector<double>* gradient) {
    double value = objective(theta, gradient);
    for (size_t k = 0; k < theta.size(); ++k) {
      const double p2 = std::exp(2 * theta[k]);  // p^2 for p = exp(theta)
      value -= penalty * p2;
      if (gradient != nullptr) (*gradient)[k] -= 2 * penalty * p2;
    }
    return value;
  };
}

absl::StatusOr<Optimum> MaximizeWithoutGradient(const Objective& objective, std::vector<double> theta0,
                                                int max_evaluations) {
  Context ctx{&objective, false, 0, {}, -std::numeric_limits<double>::infinity()};
  for (double& t : theta0) t = std::clamp(t, -kBound, kBound);
  if (!std::isfinite(objective(theta0, nullptr))) {
    return absl::InvalidArgumentError("fit: the log-likelihood is not finite at the starting point");
  }
  std::vector<double> theta = theta0;
  double value = 0;
  nlopt_result r = Run(NLOPT_LN_BOBYQA, ctx, theta, &value, max_evaluations);
  auto tolerance = [](double v) { return 1e-6 * (std::abs(v) + 1.0); };
  // The gradient's norm at the best point, taken once per point.
  std::vector<double> norm_at;
  double norm = 0;
  auto gradient_norm_at_best = [&] {
    if (norm_at != ctx.best_theta) {
      norm_at = ctx.best_theta;
      norm = InfNorm(NumericGradient(objective, ctx.best_theta));
    }
    return norm;
  };
  if (!ctx.best_theta.empty() && gradient_norm_at_best() > tolerance(ctx.best_value)) {
    theta = ctx.best_theta;
    if (max_evaluations > ctx.evaluations) Run(NLOPT_LN_NELDERMEAD, ctx, theta, &value, max_evaluations - ctx.evaluations);
    theta = ctx.best_theta;
    if (max_evaluations > ctx.evaluations) r = Run(NLOPT_LN_BOBYQA, ctx, theta, &value, max_evaluations - ctx.evaluations);
  }
  // Quadratic models stop a little short on large, flat likelihoods: polish
  // with L-BFGS on a numerical gradient when the gradient is still too big.
  if (!ctx.best_theta.empty() && gradient_norm_at_best() > tolerance(ctx.best_value) &&
      max_evaluations > ctx.evaluations) {
    theta = ctx.best_theta;
    r = Run(NLOPT_LD_LBFGS, ctx, theta, &value, max_evaluations - ctx.evaluations);
  }
  return Finish(objective, ctx, r, false, max_evaluations);
}

absl::StatusOr<Optimum> Maximize(const Objective& objective, std::vector<double> theta0,
                                 bool has_gradient, int max_evaluations) {
  Context ctx{&objective, has_gradient, 0, {}, -std::numeric_limits<double>::infinity()};
  for (double& t : theta0) t = std::clamp(t, -kBound, kBound);
  const double start_value = objective(theta0, nullptr);
  if (!std::isfinite(start_value)) {
    return absl::InvalidArgumentError("fit: the log-likelihood is not finite at the starting point");
  }
  std::vector<double> theta = theta0;
  double value = start_value;
  nlopt_result r = Run(NLOPT_LD_LBFGS, ctx, theta, &value, max_evaluations);
  auto tolerance = [](double v) { return 1e-6 * (std::abs(v) + 1.0); };
  std::vector<double> g = Gradient(objective, ctx.best_theta.empty() ? theta : ctx.best_theta, has_gradient);
  // L-BFGS stalls on round-off or a curved ridge now and then: restart from
  // the best point with Nelder-Mead, then polish with L-BFGS again.
  if (r < 0 || InfNorm(g) > tolerance(ctx.best_value)) {
    theta = ctx.best_theta.empty() ? theta0 : ctx.best_theta;
    const int left = max_evaluations - ctx.evaluations;
    if (left > 0) Run(NLOPT_LN_NELDERMEAD, ctx, theta, &value, left);
    theta = ctx.best_theta;
    const int rest = max_evaluations - ctx.evaluations;
    if (rest > 0) r = Run(NLOPT_LD_LBFGS, ctx, theta, &value, rest);
  }
  return Finish(objective, ctx, r, has_gradient, max_evaluations);
}

namespace {

absl::StatusOr<Optimum> Finish(const Objective& objective, const Context& ctx, nlopt_result r,
                               bool has_gradient, int max_evaluations) {
  auto tolerance = [](double v) { return 1e-6 * (std::abs(v) + 1.0); };
  if (ctx.best_theta.empty()) {
    return absl::InternalError(StrCat("fit: the optimiser made no progress (", Describe(r), ")"));
  }
  Optimum out;
  out.theta = ctx.best_theta;
  out.value = ctx.best_value;
  out.evaluations = ctx.evaluations;
  // Without a gradient, one set of finite differences of the value gives
  // both the gradient for the verdict and the Hessian for the standard
  // errors (23 evaluations for four parameters, not 8 + 40 by differences
  // of numerical gradients).
  std::vector<double> hessian;
  if (has_gradient) {
    out.gradient_norm = InfNorm(Gradient(objective, out.theta, has_gradient));
  } else {
    std::vector<double> g;
    NumericNewtonObjective(objective)(out.theta, &g, &hessian);
    out.gradient_norm = InfNorm(g);
  }
  const bool at_bound = std::any_of(out.theta.begin(), out.theta.end(),
                                    [](double t) { return std::abs(t) >= kBound - 1e-9; });
  out.converged = out.gradient_norm <= tolerance(out.value) && !at_bound &&
                  ctx.evaluations < max_evaluations;
  if (out.converged) {
    out.reason = StrCat("converged: gradient norm ", out.gradient_norm, " below ", tolerance(out.value),
                        " (the optimiser's last word: ", Describe(r), ")");
  } else if (at_bound) {
    out.reason = "a parameter ran to the edge of [1e-13, 1e13]: the data do not identify the model";
  } else if (ctx.evaluations >= max_evaluations) {
    out.reason = StrCat("maximum number of evaluations (", max_evaluations, ") reached; gradient norm ",
                        out.gradient_norm);
  } else {
    out.reason = StrCat(Describe(r), "; gradient norm ", out.gradient_norm, " above the tolerance ",
                        tolerance(out.value));
  }
  if (hessian.empty()) {
    out.std_errors = StdErrors(objective, out.theta, has_gradient);
  } else {
    for (double& v : hessian) v = -v;
    out.std_errors = StdErrorsFromInformation(out.theta, std::move(hessian));
  }
  if (std::any_of(out.std_errors.begin(), out.std_errors.end(), [](double se) { return std::isnan(se); })) {
    out.reason += "; the observed information is singular here: the data do not identify every parameter "
                  "(a ridge; standard errors NaN)";
  }
  return out;
}

}  // namespace

std::optional<NewtonResult> NewtonMaximize(const NewtonObjective& f, std::vector<double> theta,
                                           const NewtonOptions& options) {
  const int n = static_cast<int>(theta.size());
  std::vector<double> g(n), h(n * n), g2(n), h2(n * n);
  NewtonResult out;
  double ll = f(theta, &g, &h);
  ++out.evaluations;
  // Newton converges quadratically: ask for far less than the verdict's
  // tolerance (1e-6 |LL|), which a step or two more reaches; accept the
  // tolerance itself only if the steps stop improving.
  for (int iteration = 0; iteration < 25; ++iteration) {
    double norm = 0;
    for (double v : g) norm = std::max(norm, std::abs(v));
    if (!std::isfinite(ll) || !std::isfinite(norm)) return std::nullopt;
    const bool tight = norm <= options.tight * (std::abs(ll) + 1);
    auto converged = [&]() -> std::optional<NewtonResult> {
      // Converged: standard errors from the same Hessian (the gradient is
      // ~0, so the log-parameter Hessian is the information's).
      std::vector<double> m(n * n);
      for (int i = 0; i < n * n; ++i) m[i] = -h[i];
      const std::optional<std::vector<double>> inverse = Inverse(std::move(m), static_cast<size_t>(n));
      if (!inverse) return std::nullopt;
      const std::vector<double>& inv = *inverse;
      out.std_errors.resize(n);
      for (int k = 0; k < n; ++k) {
        const double var = inv[k * n + k];
        if (!(var > 0)) return std::nullopt;
        out.std_errors[k] = std::exp(theta[k]) * std::sqrt(var);
      }
      out.theta = theta;
      out.ll = ll;
      out.gradient_norm = norm;
      return out;
    };
    const bool last_chance = iteration == 24 && norm <= 1e-6 * (std::abs(ll) + 1);
    if (tight || last_chance) return converged();
    // Solve (-H) step = g by Cholesky: -H must be positive definite.
    std::vector<double> l(n * n, 0.0);
    for (int i = 0; i < n; ++i) {
      for (int j = 0; j <= i; ++j) {
        double sum = -h[i * n + j];
        for (int k = 0; k < j; ++k) sum -= l[i * n + k] * l[j * n + k];
        if (i == j) {
          if (!(sum > 0)) return std::nullopt;
          l[i * n + i] = std::sqrt(sum);
        } else {
          l[i * n + j] = sum / l[j * n + j];
        }
      }
    }
    std::vector<double> y(n), step(n);
    for (int i = 0; i < n; ++i) {
      double sum = g[i];
      for (int k = 0; k < i; ++k) sum -= l[i * n + k] * y[k];
      y[i] = sum / l[i * n + i];
    }
    // The Newton decrement: y.y = g' (-H)^-1 g, twice the log-likelihood the
    // step would still gain; a step of d standard errors gains d^2 / 2.
    double decrement = 0;
    for (double v : y) decrement += v * v;
    if (decrement <= options.max_decrement && norm <= 1e-6 * (std::abs(ll) + 1)) return converged();
    for (int i = n - 1; i >= 0; --i) {
      double sum = y[i];
      for (int k = i + 1; k < n; ++k) sum -= l[k * n + i] * step[k];
      step[i] = sum / l[i * n + i];
    }
    // Backtracking: the full step near the optimum, shorter ones before.
    double t = 1.0;
    bool improved = false;
    for (int tries = 0; tries < 20; ++tries) {
      std::vector<double> next(n);
      for (int i = 0; i < n; ++i) next[i] = theta[i] + t * step[i];
      double ll2 = f(next, options.value_first ? nullptr : &g2, options.value_first ? nullptr : &h2);
      ++out.evaluations;
      if (std::isfinite(ll2) && ll2 >= ll - 1e-12 * std::abs(ll)) {
        if (options.value_first) {
          ll2 = f(next, &g2, &h2);
          ++out.evaluations;
        }
        theta = next;
        ll = ll2;
        g = g2;
        h = h2;
        improved = true;
        break;
      }
      t *= 0.5;
    }
    if (!improved) {
      // No step helps any more: at the optimum to round-off, if within the
      // tolerance (the next iteration then takes the converged branch).
      double now = 0;
      for (double v : g) now = std::max(now, std::abs(v));
      if (now > 1e-6 * (std::abs(ll) + 1)) return std::nullopt;
      iteration = 23;
    }
  }
  return std::nullopt;
}

NewtonObjective NumericNewtonObjective(Objective objective) {
  return [f = std::move(objective)](const std::vector<double>& theta, std::vector<double>* g,
                                    std::vector<double>* hess) -> double {
    const double f0 = f(theta, nullptr);
    if (g == nullptr && hess == nullptr) return f0;
    const size_t n = theta.size();
    // The gradient by central differences with a small step (1e-5: its
    // error, truncation h^2 and round-off eps |f| / h, near 1e-11 |f|); the
    // Hessian with a larger one (1e-3: round-off eps |f| / h^2 would swamp
    // it at 1e-5), its diagonal central, its cross terms forward.
    std::vector<double> grad(n), h(n * n), up(n);
    std::vector<double> t = theta;
    for (size_t k = 0; k < n; ++k) {
      const double small = 1e-5 * std::max(1.0, std::abs(theta[k]));
      t[k] = theta[k] + small;
      const double fu = f(t, nullptr);
      t[k] = theta[k] - small;
      const double fd = f(t, nullptr);
      t[k] = theta[k];
      grad[k] = (fu - fd) / (2 * small);
    }
    std::vector<double> step(n);
    for (size_t k = 0; k < n; ++k) {
      step[k] = 1e-3 * std::max(1.0, std::abs(theta[k]));
      t[k] = theta[k] + step[k];
      up[k] = f(t, nullptr);
      t[k] = theta[k] - step[k];
      const double down = f(t, nullptr);
      t[k] = theta[k];
      h[k * n + k] = (up[k] - 2 * f0 + down) / (step[k] * step[k]);
    }
    for (size_t j = 0; j < n; ++j) {
      for (size_t k = j + 1; k < n; ++k) {
        t[j] = theta[j] + step[j];
        t[k] = theta[k] + step[k];
        const double both = f(t, nullptr);
        t[j] = theta[j];
        t[k] = theta[k];
        h[j * n + k] = h[k * n + j] = (both - up[j] - up[k] + f0) / (step[j] * step[k]);
      }
    }
    if (g != nullptr) *g = std::move(grad);
    if (hess != nullptr) *hess = std::move(h);
    return f0;
  };
}

}  // namespace carteira::models::internal
