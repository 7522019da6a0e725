// The ideal moment to call ("momento ideal de venda"): each customer's
// expected next purchase and the window around it, from the customer's own
// rhythm (docs/opportunities.md).
//
// From the customer's purchase-days on or before `as_of` (a purchase has
// amount >= 0; same-day purchases are one purchase-day, as in the summary),
// the gaps between consecutive purchase-days, the most recent
// `max_gaps` of them:
//   m  = median gap (mean of the two middle ones for an even count)
//   q1, q3 = quartiles of the gaps (linear interpolation between order
//        statistics, Hyndman and Fan type 7)
//   expected = last + round(m)
//   from     = last + max(1, round(min(q1, 0.8 m)))
//   to       = last + round(max(q3, 1.2 m))
// so the window is never narrower than m +- 20% (one or two gaps give no
// spread) and widens with an irregular rhythm. round() is half away from
// zero. A customer with no purchase, or a single purchase-day, has no
// rhythm and no window (basis kNoPurchase / kOnePurchase).
#ifndef CARTEIRA_OPPORTUNITIES_NEXT_PURCHASE_H_
#define CARTEIRA_OPPORTUNITIES_NEXT_PURCHASE_H_

#include <cstdint>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "carteira/core/date.h"
#include "carteira/models/model.h"
#include "carteira/portfolio/portfolio.h"
#include "carteira/summary/purchase_history.h"

namespace carteira {

enum class NextPurchaseBasis : std::uint8_t {
  kNoPurchase = 0,   // nothing bought by as_of
  kOnePurchase = 1,  // a single purchase-day: no rhythm yet
  kRhythm = 2,       // window from the customer's own gaps
};
std::string_view NextPurchaseBasisName(NextPurchaseBasis basis);  // "no_purchase", "one_purchase", "rhythm"

struct NextPurchaseOptions {
  DayNumber as_of = kNoDay;  // required
  std::int32_t max_gaps = 12;  // the rhythm of the latest gaps only (1..1000)
  absl::Status Validate() const;
};

// One entry per customer index; dates kNoDay without a rhythm.
struct NextPurchaseTable {
  DayNumber as_of = kNoDay;
  std::vector<NextPurchaseBasis> basis;
  std::vector<DayNumber> last, expected, from, to;
  std::vector<std::int32_t> gaps;  // gaps used
  std::vector<double> median_gap_days;  // NaN without a rhythm
  // From a fitted model (AddModelView); empty until then. NaN without a
  // purchase.
  std::vector<double> p_alive, expected_purchases;
  std::int32_t expected_horizon_days = 0;
  size_t size() const { return basis.size(); }
  // as_of - to when the window closed before as_of (overdue), else 0.
  std::int32_t overdue_days(CustomerIndex c) const {
    return basis[c] == NextPurchaseBasis::kRhythm && to[c] < as_of ? as_of - to[c] : 0;
  }
};

absl::StatusOr<NextPurchaseTable> EstimateNextPurchase(const PurchaseHistory& history,
                                                       const NextPurchaseOptions& options);
absl::StatusOr<NextPurchaseTable> EstimateNextPurchase(const Portfolio& portfolio,
                                                       const NextPurchaseOptions& options);

// The fitted model's view of the same customers: P(alive) as of the table's
// date and the expected purchases in the next `horizon_days`, from a
// transaction model (BG/NBD, MBG/NBD, Pareto/NBD; docs/models.md) fitted on
// this portfolio. The window says when the next order is due; P(alive)
// whether the customer is still there to place it (an overdue window with
// a low P(alive) is a customer slipping away, not one about to order).
// InvalidArgument for Gamma-Gamma or BG/BB, or a horizon outside 1..36500.
absl::Status AddModelView(const Portfolio& portfolio, const models::Model& model, std::int32_t horizon_days,
                          NextPurchaseTable* table);

// The customers whose window opens in the week [week_start, week_start + 6]
// (index order): whom the agenda should call that week.
std::vector<CustomerIndex> EnteringWindow(const NextPurchaseTable& table, DayNumber week_start);

}  // namespace carteira

#endif  // CARTEIRA_OPPORTUNITIES_NEXT_PURCHASE_H_
