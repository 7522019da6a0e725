// The average customer lifetime implied by a fitted "buy 'til you die"
// model (docs/kpi.md), for KpiOptions::model_lifetime_days:
//   Pareto/NBD  lifetime ~ exponential(mu), mu ~ gamma(s, beta):
//               E[1/mu] = beta / (s - 1)                       (s > 1)
//   BG/NBD      death after each repeat purchase with probability p,
//               purchases at rate lambda: E[lifetime] = E[1/lambda] E[1/p]
//               = alpha / (r - 1) * (a + b - 1) / (a - 1)      (r > 1, a > 1)
//   MBG/NBD     death also possible right after the first purchase:
//               alpha / (r - 1) * b / (a - 1)                  (r > 1, a > 1)
// converted from the model's time unit to days. The mean is infinite
// (heavy-tailed) outside those parameter ranges: FailedPrecondition then.
// BG/BB and Gamma-Gamma have no lifetime in time units: InvalidArgument.
#ifndef CARTEIRA_KPI_LIFETIME_H_
#define CARTEIRA_KPI_LIFETIME_H_

#include "absl/status/statusor.h"
#include "carteira/models/model.h"

namespace carteira {

absl::StatusOr<double> ExpectedLifetimeDays(const models::Model& model);

}  // namespace carteira

#endif  // CARTEIRA_KPI_LIFETIME_H_
