// A status rule from a fitted customer model: judges customers by their
// probability of still being alive instead of fixed day counts (at_risk
// below one probability, inactive below another), and says so with the
// figures: the probability, the model and its fit, and the purchases the
// model expects in the next days; both figures are also columns of the
// status table (FieldNames). Register it on a StatusEngine like any plugin
// rule (StatusEngine::AddRule).
#ifndef CARTEIRA_MODELS_P_ALIVE_RULE_H_
#define CARTEIRA_MODELS_P_ALIVE_RULE_H_

#include <string>
#include <vector>

#include "carteira/models/model.h"
#include "carteira/status/status_rule.h"

namespace carteira::models {

struct PAliveRuleOptions {
  double at_risk_below = 0.5;   // P(alive) under this: at_risk
  double inactive_below = 0.2;  // under this: inactive
  Duration horizon = Duration::Days(90);  // for the expected purchases in the reason
};

class PAliveRule : public StatusRule {
 public:
  // `model` must be a model of dated purchases (bgnbd, mbgnbd, paretonbd).
  static absl::StatusOr<std::unique_ptr<PAliveRule>> Create(Model model, PAliveRuleOptions options = {});

  std::string_view name() const override { return "p_alive"; }
  // Decides among active, at_risk and inactive for customers with at least
  // one purchase; prospect, new, reactivated and lost verdicts stand.
  absl::Status Apply(const Portfolio& portfolio, const StatusFacts& facts,
                     StatusDecision& decision) const override;
  // "p_alive" and "expected_purchases_<horizon>" ("expected_purchases_90d",
  // "_13w", "_3m"): set for every customer with a purchase (whatever the
  // verdict), NaN for prospects.
  std::vector<std::string> FieldNames() const override;

 private:
  PAliveRule(Model model, PAliveRuleOptions options, std::string description)
      : model_(std::move(model)), options_(options), description_(std::move(description)) {}
  Model model_;
  PAliveRuleOptions options_;
  std::string description_;  // "bgnbd fitted on 2357 customers, LL -9582.4"
};

}  // namespace carteira::models

#endif  // CARTEIRA_MODELS_P_ALIVE_RULE_H_
