// The product mix of a period [from, to] (docs/opportunities.md):
//  - per customer, the categories bought (purchase transactions and net
//    revenue by category; breadth = categories with a purchase);
//  - per group (the portfolio, each rep's book at `to` or each segment),
//    "positivação de mix": buyers (customers with a purchase in the
//    period), the average breadth of the buyers, and for each category
//    the share of the buyers that bought it;
//  - the category-by-segment matrix (buyers and revenue).
// A purchase has amount >= 0; a return lowers its category's revenue but
// is not a purchase. Transactions without a category count for the buyers
// but in no category.
#ifndef CARTEIRA_OPPORTUNITIES_MIX_H_
#define CARTEIRA_OPPORTUNITIES_MIX_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "carteira/core/date.h"
#include "carteira/core/money.h"
#include "carteira/opportunities/category_set.h"
#include "carteira/portfolio/portfolio.h"

namespace carteira {

enum class MixGrouping : std::uint8_t { kNone, kRep, kSegment };
std::optional<MixGrouping> ParseMixGrouping(std::string_view name);  // "rep", "segment"

// One row per (customer, category) with a transaction in the period,
// customers in index order, categories in name order.
struct CustomerMixRows {
  std::vector<CustomerIndex> customer;
  std::vector<std::int32_t> category;  // dictionary code
  std::vector<std::int32_t> purchases;
  std::vector<MinorUnits> revenue;
  size_t size() const { return customer.size(); }
};

struct MixGroup {
  std::string group;        // rep id or segment; "" for the portfolio row
  bool unassigned = false;  // customers without a rep / segment
  std::int64_t customers = 0;  // in the group
  std::int64_t buyers = 0;
  std::optional<double> average_breadth;  // categories per buyer; none without buyers
  std::vector<std::int64_t> category_buyers;  // by slot
  std::vector<MinorUnits> category_revenue;   // by slot
  // category_buyers / buyers, by slot; none without buyers.
  std::optional<double> share(size_t slot) const {
    if (buyers == 0) return std::nullopt;
    return static_cast<double>(category_buyers[slot]) / static_cast<double>(buyers);
  }
};

struct MixReport {
  DayNumber from = kNoDay, to = kNoDay;
  MixGrouping by = MixGrouping::kNone;
  CategoryOrder order;
  std::vector<std::int32_t> breadth;  // per customer index
  CustomerMixRows rows;
  MixGroup overall;
  // kRep: every rep in rep order, then the unassigned if any; kSegment:
  // segments in byte order, then the customers without one if any.
  std::vector<MixGroup> groups;
  // The category-by-segment matrix: one group per segment (byte order, the
  // customers without a segment last), whatever `by` is.
  std::vector<MixGroup> by_segment;
};

// FailedPrecondition when no transaction has a category; InvalidArgument
// when to < from.
absl::StatusOr<MixReport> ComputeMix(const Portfolio& portfolio, DayNumber from, DayNumber to,
                                     MixGrouping by = MixGrouping::kNone);

}  // namespace carteira

#endif  // CARTEIRA_OPPORTUNITIES_MIX_H_
