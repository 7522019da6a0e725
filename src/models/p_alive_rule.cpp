#include "carteira/models/p_alive_rule.h"

#include <cstdio>

#include "carteira/core/strings.h"

namespace carteira::models {
namespace {

std::string Fixed(double v, int digits) {
  char text[64];
  std::snprintf(text, sizeof text, "%.*f", digits, v);
  return text;
}

}  // namespace

absl::StatusOr<std::unique_ptr<PAliveRule>> PAliveRule::Create(Model model, PAliveRuleOptions options) {
  if (model.kind() == ModelKind::kBgBb || model.kind() == ModelKind::kGammaGamma) {
    return absl::InvalidArgumentError(StrCat("p_alive rule: ", ModelKindName(model.kind()),
                                             " is not a model of dated purchases (bgnbd, mbgnbd, paretonbd)"));
  }
  if (!(options.inactive_below >= 0 && options.inactive_below <= options.at_risk_below &&
        options.at_risk_below <= 1)) {
    return absl::InvalidArgumentError(StrCat("p_alive rule: need 0 <= inactive_below (", options.inactive_below,
                                             ") <= at_risk_below (", options.at_risk_below, ") <= 1"));
  }
  std::string description(ModelKindName(model.kind()));
  if (const auto& fit = model.fit()) {
    StrAppend(&description, " fitted on ", static_cast<long long>(fit->n_customers), " customers, LL ",
              Fixed(fit->log_likelihood, 1));
  } else {
    StrAppend(&description, " with given parameters");
  }
  return std::unique_ptr<PAliveRule>(new PAliveRule(std::move(model), options, std::move(description)));
}

std::vector<std::string> PAliveRule::FieldNames() const {
  const char unit = options_.horizon.unit == TimeUnit::kDays    ? 'd'
                    : options_.horizon.unit == TimeUnit::kWeeks ? 'w'
                                                                 : 'm';
  char horizon[32];
  std::snprintf(horizon, sizeof horizon, "%g%c", options_.horizon.value, unit);
  return {"p_alive", StrCat("expected_purchases_", horizon)};
}

absl::Status PAliveRule::Apply(const Portfolio&, const StatusFacts& facts, StatusDecision& decision) const {
  if (facts.purchase_days.empty()) return absl::OkStatus();
  // The customer in the model's terms, in days (converted by the model).
  RfmData d;
  d.unit = TimeUnit::kDays;
  d.x = {static_cast<double>(facts.purchase_days.size() - 1)};
  d.t_x = {static_cast<double>(facts.purchase_days.back() - facts.purchase_days.front())};
  d.T = {static_cast<double>(facts.as_of - facts.purchase_days.front())};
  double p = 0, expected = 0;
  if (absl::Status s = model_.PAliveAndExpectedPurchases(d, options_.horizon, std::span<double>(&p, 1),
                                                         std::span<double>(&expected, 1));
      !s.ok()) {
    return s;
  }
  if (absl::Status s = decision.SetField(0, p); !s.ok()) return s;
  if (absl::Status s = decision.SetField(1, expected); !s.ok()) return s;
  const Status current = decision.status();
  if (current == Status::kProspect || current == Status::kNew || current == Status::kReactivated ||
      current == Status::kLost) {
    return absl::OkStatus();
  }
  Status target = Status::kActive;
  std::string comparison;
  if (p < options_.inactive_below) {
    target = Status::kInactive;
    comparison = StrCat(" < ", Fixed(options_.inactive_below, 2));
  } else if (p < options_.at_risk_below) {
    target = Status::kAtRisk;
    comparison = StrCat(" < ", Fixed(options_.at_risk_below, 2));
  } else {
    comparison = StrCat(" >= ", Fixed(options_.at_risk_below, 2));
  }
  const std::string reason =
      StrCat("P(alive) ", Fixed(p, 2), comparison, " (", description_, "); expected ", Fixed(expected, 2),
             " purchases in the next ", Fixed(options_.horizon.value, 0), " ", TimeUnitName(options_.horizon.unit));
  if (target != current) return decision.Override(target, reason);
  decision.AddReason(reason);
  return absl::OkStatus();
}

}  // namespace carteira::models
