// Maximum likelihood over log-parameters with NLopt: L-BFGS on exact
// gradients, a Nelder-Mead restart when it stalls, and the verdict on
// convergence from the gradient at the result (not from the optimiser's
// return code alone). Shared by every model.
#ifndef CARTEIRA_SRC_MODELS_OPTIMIZER_H_
#define CARTEIRA_SRC_MODELS_OPTIMIZER_H_

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace carteira::models::internal {

// Returns the objective at theta; fills *gradient (same size) when given.
using Objective = std::function<double(const std::vector<double>& theta, std::vector<double>* gradient)>;

struct Optimum {
  std::vector<double> theta;
  double value = 0;
  int evaluations = 0;
  bool converged = false;
  std::string reason;
  double gradient_norm = 0;
  std::vector<double> std_errors;  // of exp(theta), by the delta method
};

// The objective minus l2_penalty * sum(p^2) over the parameters p =
// exp(theta) (FitOptions::l2_penalty), gradient included; `objective`
// itself when the penalty is 0.
Objective WithL2Penalty(Objective objective, double penalty);

// `has_gradient` false: the gradient is taken by central differences.
absl::StatusOr<Optimum> Maximize(const Objective& objective, std::vector<double> theta0,
                                 bool has_gradient, int max_evaluations);

// For objectives whose gradient is costly (Pareto/NBD): BOBYQA, a
// derivative-free method on quadratic models, with a Nelder-Mead restart;
// the convergence verdict still comes from a numerical gradient.
absl::StatusOr<Optimum> MaximizeWithoutGradient(const Objective& objective, std::vector<double> theta0,
                                                int max_evaluations);

// Newton's method on an exact Hessian, from a good start (the fit of a
// sample): the objective fills the gradient and the Hessian (row-major) in
// log-parameter space. Steps back when a step does not help; nullopt when
// the Hessian stops being negative definite or no step helps, so that the
// caller falls back to Maximize. Converges to a gradient of 1e-10 |LL|;
// standard errors from the final Hessian.
using NewtonObjective =
    std::function<double(const std::vector<double>& theta, std::vector<double>* gradient, std::vector<double>* hessian)>;
struct NewtonResult {
  std::vector<double> theta, std_errors;
  double ll = 0, gradient_norm = 0;
  int evaluations = 0;
};
struct NewtonOptions {
  // The gradient norm, relative to |LL| + 1, that ends the iterations.
  double tight = 1e-10;
  // Try each step on the value alone (f(theta, nullptr, nullptr)) and ask
  // for the derivatives only once a step is taken: for objectives whose
  // derivatives cost many evaluations (NumericNewtonObjective).
  bool value_first = false;
  // Also stop where the Newton decrement g' (-H)^-1 g is at most this (the
  // remaining step is then below sqrt(max_decrement) standard errors), the
  // gradient being within the verdict's 1e-6 |LL|: for objectives whose
  // gradient carries noise (finite differences), where `tight` may be out
  // of reach. 0: off.
  double max_decrement = 0;
};
std::optional<NewtonResult> NewtonMaximize(const NewtonObjective& objective, std::vector<double> theta,
                                           const NewtonOptions& options = {});

// Newton's derivatives by finite differences of the value, for a
// likelihood without analytic ones (Pareto/NBD): the gradient by central
// differences, the Hessian by central (diagonal) and forward (cross)
// differences on a larger step, 1 + 4n + n(n - 1)/2 evaluations (23 for
// four parameters).
// With gradient and hessian null it is the value alone.
NewtonObjective NumericNewtonObjective(Objective objective);

}  // namespace carteira::models::internal

#endif  // CARTEIRA_SRC_MODELS_OPTIMIZER_H_
