// One row per rep (carteira do representante) as of the end of a period
// (docs/kpi.md, "Rep dashboard"):
//   book            customers assigned to the rep on `to`
//   status counts   their lifecycle statuses on `to` (the status table given)
//   revenue         their net revenue in the period (whoever sold it)
//   buyers, positivacao  book customers with a purchase in the period / book
//   NPS             their latest answers in the period
//   last_contact    the rep's latest interaction on or before `to` (any
//                   customer), and days_since_last_contact = to - it
//   at_risk, at_risk_value  book customers at_risk on `to`, and what they
//                   bought in the period: the revenue about to stop
// Rows for every rep of the portfolio in rep order (empty books too), then
// one for the unassigned customers when there are any.
#ifndef CARTEIRA_KPI_REP_DASHBOARD_H_
#define CARTEIRA_KPI_REP_DASHBOARD_H_

#include <array>
#include <cstdint>
#include <optional>
#include <vector>

#include "absl/status/statusor.h"
#include "carteira/kpi/period_activity.h"
#include "carteira/portfolio/portfolio.h"
#include "carteira/status/status_table.h"

namespace carteira {

struct RepDashboardRow {
  RepIndex rep = kNoRep;  // kNoRep: the unassigned customers
  std::int64_t book = 0;
  std::array<std::int64_t, kStatusCount> status{};  // by Status value
  MinorUnits revenue = 0;
  std::int64_t buyers = 0;
  std::optional<double> positivacao;
  std::int64_t answers = 0, promoters = 0, passives = 0, detractors = 0;
  std::optional<double> nps;
  DayNumber last_contact = kNoDay;
  std::optional<std::int32_t> days_since_last_contact;
  std::int64_t at_risk = 0;
  MinorUnits at_risk_value = 0;
};

// `status` must be the portfolio's status table as of activity.to.
absl::StatusOr<std::vector<RepDashboardRow>> RepDashboard(const Portfolio& portfolio,
                                                          const PeriodActivity& activity,
                                                          const StatusTable& status);

}  // namespace carteira

#endif  // CARTEIRA_KPI_REP_DASHBOARD_H_
