// The period's customers ranked by revenue (PeriodActivity::by_revenue),
// shared by the scan, the KPIs and the ABC classes.
#ifndef CARTEIRA_SRC_KPI_REVENUE_RANKING_H_
#define CARTEIRA_SRC_KPI_REVENUE_RANKING_H_

#include <vector>

#include "carteira/kpi/period_activity.h"
#include "src/core/radix_sort.h"

namespace carteira::internal {

// Sorts `ranked`, given in customer order, largest revenue first; ties
// keep customer order.
inline void RankByRevenue(std::vector<RankedRevenue>& ranked) {
  SortDescendingByValue(
      ranked, [](const RankedRevenue& r) { return r.customer; }, [](const RankedRevenue& r) { return r.revenue; },
      [](std::uint64_t customer, std::int64_t revenue) {
        return RankedRevenue{static_cast<CustomerIndex>(customer), revenue};
      });
}

}  // namespace carteira::internal

#endif  // CARTEIRA_SRC_KPI_REVENUE_RANKING_H_
