// BG/BB (Fader, Hardie & Shang 2010): discrete transaction opportunities
// (annual donations, monthly renewals). While alive, a customer transacts
// at each opportunity with probability p ~ beta(alpha, beta), and dies
// before each opportunity with probability theta ~ beta(gamma, delta).
// Data per customer or pattern: x transactions in n opportunities, the last
// at opportunity t_x (0 if none), with a weight (number of customers).
#ifndef CARTEIRA_MODELS_BG_BB_H_
#define CARTEIRA_MODELS_BG_BB_H_

#include <optional>
#include <span>
#include <vector>

#include "absl/status/statusor.h"
#include "carteira/models/fit.h"

namespace carteira::models {

struct BgBbData {
  std::vector<double> x, t_x, n, weight;  // weight empty = 1 each
  size_t size() const { return x.size(); }
  double Weight(size_t i) const { return weight.empty() ? 1.0 : weight[i]; }
  absl::Status Validate() const;
};

struct BgBbParams {
  double alpha = 1, beta = 1, gamma = 1, delta = 1;
};

class BgBb {
 public:
  explicit BgBb(BgBbParams params) : params_(params) {}
  static absl::StatusOr<BgBb> Fit(const BgBbData& data, const FitOptions& options = {});

  const BgBbParams& params() const { return params_; }
  const std::optional<FitResult>& fit() const { return fit_; }

  double LogLikelihood(double x, double t_x, double n) const;
  // P(alive at opportunity n + 1 | x, t_x, n).
  double PAlive(double x, double t_x, double n) const;
  // Transactions expected in the next `future` opportunities.
  double ConditionalExpectedTransactions(double future, double x, double t_x, double n) const;
  // E[X(n)] for a customer just acquired.
  double ExpectedTransactions(double n) const;

 private:
  BgBbParams params_;
  std::optional<FitResult> fit_;
};

}  // namespace carteira::models

#endif  // CARTEIRA_MODELS_BG_BB_H_
