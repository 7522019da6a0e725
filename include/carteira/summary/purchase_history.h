// Every customer's purchase-days, ascending and distinct, in one compressed
// array (offsets per customer): what the status engine needs to judge a
// customer as of any date (the last purchase-day before it, the gaps up to
// it, a comeback after a long gap) without re-reading the transactions.
// Same definitions as the summary: a purchase has amount >= 0; returns are
// not purchase-days. 4 bytes a purchase-day plus 8 a customer.
#ifndef CARTEIRA_SUMMARY_PURCHASE_HISTORY_H_
#define CARTEIRA_SUMMARY_PURCHASE_HISTORY_H_

#include <cstdint>
#include <span>
#include <vector>

#include "carteira/core/date.h"
#include "carteira/portfolio/portfolio.h"

namespace carteira {

class PurchaseHistory {
 public:
  PurchaseHistory() = default;
  // Reads the portfolio's transactions once (a counting sort by customer).
  static PurchaseHistory Build(const Portfolio& portfolio);

  size_t customers() const { return offsets_.empty() ? 0 : offsets_.size() - 1; }
  // All purchase-days of a customer, ascending.
  std::span<const DayNumber> days(CustomerIndex customer) const {
    return {days_.data() + offsets_[customer], offsets_[customer + 1] - offsets_[customer]};
  }
  // The purchase-days on or before `as_of`.
  std::span<const DayNumber> days_until(CustomerIndex customer, DayNumber as_of) const;

  size_t MemoryBytes() const {
    return days_.capacity() * sizeof(DayNumber) + offsets_.capacity() * sizeof(std::uint64_t);
  }

 private:
  std::vector<DayNumber> days_;
  std::vector<std::uint64_t> offsets_;
};

}  // namespace carteira

#endif  // CARTEIRA_SUMMARY_PURCHASE_HISTORY_H_
