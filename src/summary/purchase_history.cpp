#include "carteira/summary/purchase_history.h"

#include <algorithm>

namespace carteira {

PurchaseHistory PurchaseHistory::Build(const Portfolio& portfolio) {
  const TransactionTable& t = portfolio.transactions();
  const size_t n_customers = portfolio.customers().size();
  PurchaseHistory h;
  // Counting sort of the purchases by customer, then each customer's days
  // sorted and deduplicated in place and the array compacted.
  std::vector<std::uint64_t> start(n_customers + 1, 0);
  for (size_t i = 0; i < t.size(); ++i) start[t.customer[i] + 1] += t.amount[i] >= 0 ? 1 : 0;
  for (size_t c = 0; c < n_customers; ++c) start[c + 1] += start[c];
  std::vector<DayNumber> days(start[n_customers]);
  {
    std::vector<std::uint64_t> next(start.begin(), start.end() - 1);
    for (size_t i = 0; i < t.size(); ++i) {
      if (t.amount[i] >= 0) days[next[t.customer[i]]++] = t.date[i];
    }
  }
  h.offsets_.resize(n_customers + 1);
  size_t out = 0;
  for (size_t c = 0; c < n_customers; ++c) {
    h.offsets_[c] = out;
    DayNumber* first = days.data() + start[c];
    DayNumber* last = days.data() + start[c + 1];
    std::sort(first, last);
    last = std::unique(first, last);
    // Compact towards the front (out <= start[c], so this never overlaps
    // ahead of the read).
    out = static_cast<size_t>(std::copy(first, last, days.data() + out) - days.data());
  }
  h.offsets_[n_customers] = out;
  days.resize(out);
  days.shrink_to_fit();
  h.days_ = std::move(days);
  return h;
}

std::span<const DayNumber> PurchaseHistory::days_until(CustomerIndex customer,
                                                       DayNumber as_of) const {
  const std::span<const DayNumber> all = days(customer);
  const auto end = std::upper_bound(all.begin(), all.end(), as_of);
  return all.first(static_cast<size_t>(end - all.begin()));
}

}  // namespace carteira
