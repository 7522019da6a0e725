#include "carteira/kpi/lifetime.h"

#include "carteira/core/strings.h"

namespace carteira {

absl::StatusOr<double> ExpectedLifetimeDays(const models::Model& model) {
  const std::vector<double> p = model.Params();
  const double days = DaysPerUnit(model.unit());
  auto infinite = [&model](std::string_view why) {
    return absl::FailedPreconditionError(StrCat("the ", models::ModelKindName(model.kind()),
                                                " fit implies an infinite mean lifetime (", why, ")"));
  };
  switch (model.kind()) {
    case models::ModelKind::kParetoNbd: {
      const double s = p[2], beta = p[3];
      if (s <= 1) return infinite(StrCat("s = ", s, " <= 1"));
      return beta / (s - 1) * days;
    }
    case models::ModelKind::kBgNbd:
    case models::ModelKind::kMbgNbd: {
      const double r = p[0], alpha = p[1], a = p[2], b = p[3];
      if (r <= 1) return infinite(StrCat("r = ", r, " <= 1"));
      if (a <= 1) return infinite(StrCat("a = ", a, " <= 1"));
      const double deaths = model.kind() == models::ModelKind::kBgNbd ? (a + b - 1) / (a - 1) : b / (a - 1);
      return alpha / (r - 1) * deaths * days;
    }
    default:
      return absl::InvalidArgumentError(StrCat(models::ModelKindName(model.kind()),
                                               " has no lifetime in time units (use bgnbd, mbgnbd or paretonbd)"));
  }
}

}  // namespace carteira
