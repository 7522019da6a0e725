#include "carteira/kpi/rep_dashboard.h"

#include "carteira/core/strings.h"
#include "carteira/kpi/kpi.h"
#include "src/kpi/kpi_internal.h"

namespace carteira {

absl::StatusOr<std::vector<RepDashboardRow>> RepDashboard(const Portfolio& portfolio,
                                                          const PeriodActivity& a,
                                                          const StatusTable& status) {
  const size_t n = portfolio.customers().size();
  if (a.customers.size() != n || status.size() != n) {
    return absl::FailedPreconditionError("the period activity or status table is of another portfolio");
  }
  if (status.as_of != a.to) {
    return absl::InvalidArgumentError(StrCat("the status table is as of ", FormatDate(status.as_of),
                                             ", the period ends on ", FormatDate(a.to)));
  }
  const size_t reps = portfolio.reps().size();
  std::vector<RepDashboardRow> rows(reps + 1);
  for (size_t r = 0; r < reps; ++r) rows[r].rep = static_cast<RepIndex>(r);
  std::vector<internal::NpsCounts> nps(reps + 1);
  const std::vector<RepIndex> rep = RepsOn(portfolio, a.to);
  const std::vector<std::int8_t> scores = internal::LatestScores(portfolio, a.from, a.to);
  for (size_t c = 0; c < n; ++c) {
    const CustomerPeriod& s = a.customers[c];
    if (!internal::Exists(portfolio, c, a.to, s.first_purchase)) continue;
    const size_t slot = rep[c] == kNoRep ? reps : static_cast<size_t>(rep[c]);
    RepDashboardRow& row = rows[slot];
    ++row.book;
    ++row.status[static_cast<size_t>(status.status[c])];
    row.revenue += s.revenue;
    row.buyers += s.purchases > 0;
    if (status.status[c] == Status::kAtRisk) {
      ++row.at_risk;
      row.at_risk_value += s.revenue;
    }
    if (!scores.empty() && scores[c] >= 0) nps[slot].Add(scores[c]);
  }
  const InteractionTable& it = portfolio.interactions();
  for (size_t i = 0; i < it.size(); ++i) {
    const std::int32_t r = it.rep[i];
    if (r < 0 || static_cast<size_t>(r) >= reps || it.date[i] > a.to) continue;
    rows[r].last_contact = std::max(rows[r].last_contact, it.date[i]);
  }
  for (size_t r = 0; r <= reps; ++r) {
    RepDashboardRow& row = rows[r];
    row.positivacao = internal::Ratio(row.buyers, row.book);
    row.answers = nps[r].answers;
    row.promoters = nps[r].promoters;
    row.passives = nps[r].passives;
    row.detractors = nps[r].detractors;
    row.nps = nps[r].Nps();
    if (row.last_contact != kNoDay) row.days_since_last_contact = a.to - row.last_contact;
  }
  if (rows.back().book == 0) rows.pop_back();
  return rows;
}

}  // namespace carteira
