// Maximum likelihood over log-parameters with NLopt: L-BFGS on exact
// gradients, a Nelder-Mead restart when it stalls, and the verdict on
// convergence from the gradient at the result (not from the optimiser's
// return code alone). Shared by every model.
#ifndef CARTEIRA_SRC_MODELS_OPTIMIZER_H_
#define CARTEIRA_SRC_MODELS_OPTIMIZER_H_

#include <functional>
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

// `has_gradient` false: the gradient is taken by central differences.
absl::StatusOr<Optimum> Maximize(const Objective& objective, std::vector<double> theta0,
                                 bool has_gradient, int max_evaluations);

// For objectives whose gradient is costly (Pareto/NBD): BOBYQA, a
// derivative-free method on quadratic models, with a Nelder-Mead restart;
// the convergence verdict still comes from a numerical gradient.
absl::StatusOr<Optimum> MaximizeWithoutGradient(const Objective& objective, std::vector<double> theta0,
                                                int max_evaluations);

}  // namespace carteira::models::internal

#endif  // CARTEIRA_SRC_MODELS_OPTIMIZER_H_
