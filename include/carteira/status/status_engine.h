// The lifecycle status engine: classifies every customer as of a date by
// the policy's rules and the registered plugin rules, gives a status
// history over many dates in one pass, and the transitions between two
// dates. The order of the rules is in status_policy.h; the definitions and
// the JSON policy file in docs/status.md.
//
// The engine reads the portfolio's customers, purchases and contracts when
// it is created (an index of purchase-days, 4 bytes each): create a new one
// after appending to the portfolio. The portfolio must outlive the engine.
// Transactions dated after the as-of date are ignored, as the summary does.
#ifndef CARTEIRA_STATUS_STATUS_ENGINE_H_
#define CARTEIRA_STATUS_STATUS_ENGINE_H_

#include <memory>
#include <span>
#include <vector>

#include "absl/status/statusor.h"
#include "carteira/portfolio/portfolio.h"
#include "carteira/status/status_policy.h"
#include "carteira/status/status_rule.h"
#include "carteira/status/status_table.h"
#include "carteira/summary/customer_summary.h"

namespace carteira {

class StatusEngine {
 public:
  // Fails when the policy is invalid or names a segment no customer has.
  static absl::StatusOr<StatusEngine> Create(const Portfolio& portfolio, StatusPolicy policy);

  StatusEngine(StatusEngine&&) noexcept;
  StatusEngine& operator=(StatusEngine&&) noexcept;
  ~StatusEngine();

  // Registers a plugin rule after the built-ins and earlier plugins. The
  // name must be non-empty and unique.
  absl::Status AddRule(std::unique_ptr<StatusRule> rule);

  const StatusPolicy& policy() const;
  const Portfolio& portfolio() const;
  // Customers in the engine's snapshot (rows of every table it makes).
  size_t customers() const;
  // Transaction rows the portfolio had when the engine was made: a caller
  // that also reads the portfolio's rows can tell whether some came after.
  size_t transactions() const;

  // Every customer's status as of a date.
  absl::StatusOr<StatusTable> Classify(DayNumber as_of) const;
  // The same into an existing table, reusing its memory. On error `out` is
  // left empty.
  absl::Status ClassifyInto(DayNumber as_of, StatusTable* out) const;
  // The fast path for a host that has the summary as of the date already:
  // its median gaps and purchase counts are used instead of recomputed.
  // The result is identical to ClassifyInto(summary.as_of, out).
  absl::Status ClassifyInto(const CustomerSummary& summary, StatusTable* out) const;

  // Statuses at each of `dates` (any order, duplicates merged), computed
  // in one pass over the customers.
  absl::StatusOr<StatusHistory> History(std::span<const DayNumber> dates) const;

  // Every status change in (from, to], in customer then date order: the
  // status as of `from` is the starting point, and each change is dated
  // the first day the new status holds. Built-in rules change only on
  // purchase-days, threshold crossings and contract dates, so those are the
  // days evaluated (plugin rules are consulted on those days too).
  absl::StatusOr<std::vector<StatusTransition>> Transitions(DayNumber from, DayNumber to) const;
  // Only each customer's first change in (from, to], if any: what a host
  // that re-checks a customer on the day its status changes needs (the
  // store's refresh), at about half the cost of every change.
  absl::StatusOr<std::vector<StatusTransition>> FirstTransitions(DayNumber from, DayNumber to) const;
  // The same for `customers` only (ascending indices; an index beyond the
  // portfolio is an error): what the agenda asks, for the customers now in
  // a status that calls for reactivation.
  absl::StatusOr<std::vector<StatusTransition>> Transitions(DayNumber from, DayNumber to,
                                                            std::span<const CustomerIndex> customers) const;

  struct Impl;

 private:
  explicit StatusEngine(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace carteira

#endif  // CARTEIRA_STATUS_STATUS_ENGINE_H_
