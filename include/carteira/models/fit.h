// Maximum-likelihood fitting shared by the models: options, and a result
// that states whether (and how) the optimiser converged.
#ifndef CARTEIRA_MODELS_FIT_H_
#define CARTEIRA_MODELS_FIT_H_

#include <string>
#include <vector>

#include "carteira/summary/customer_summary.h"

namespace carteira::models {

struct FitOptions {
  // Optional L2 penalty on the (natural) parameters: the objective is
  // LL - l2_penalty * sum(p^2), which keeps ill-determined fits finite.
  double l2_penalty = 0;
  int max_evaluations = 5000;
  // Starting parameters in the model's order; empty = the model's default.
  std::vector<double> initial;
};

struct FitResult {
  std::vector<std::string> names;  // r, alpha, a, b ...
  std::vector<double> params;
  std::vector<double> std_errors;  // from the observed information; NaN if singular
  double log_likelihood = 0;       // total over customers, in the data's own unit
  double n_customers = 0;          // sum of weights
  size_t rows = 0;                 // distinct rows the likelihood summed over
  TimeUnit unit = TimeUnit::kWeeks;
  bool converged = false;
  std::string reason;  // why the optimiser stopped, in words
  int evaluations = 0;
  double gradient_norm = 0;  // of the log-likelihood in log-parameter space, at the result

  double Aic() const { return 2.0 * static_cast<double>(params.size()) - 2.0 * log_likelihood; }
  double Bic() const;
};

}  // namespace carteira::models

#endif  // CARTEIRA_MODELS_FIT_H_
