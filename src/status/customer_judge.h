// One customer judged from its purchase-days, flags, segment and contracts
// alone, by the built-in rules exactly as StatusEngine judges it, but
// without a Portfolio: the store's incremental refresh holds a digest per
// customer (src/store/customer_state.h) and would otherwise build a
// portfolio of them only to have the engine take it apart again. Plugin
// rules, which read the portfolio, are not run (the store has none).
#ifndef CARTEIRA_SRC_STATUS_CUSTOMER_JUDGE_H_
#define CARTEIRA_SRC_STATUS_CUSTOMER_JUDGE_H_

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "carteira/core/date.h"
#include "carteira/status/status_policy.h"
#include "src/status/decide.h"

namespace carteira::status_internal {

struct Judgement {
  Verdict verdict;  // as of the date judged
  // The first day in (as_of, until] on which the status changes with no
  // new purchase; kNever when none.
  DayNumber first_change = kNever;
};

class CustomerJudge {
 public:
  // `policy` must be valid (StatusPolicy::Validate) and outlive the judge.
  explicit CustomerJudge(const StatusPolicy& policy);

  // The rules of a customer in `segment` (the policy's segment of that
  // name, else its defaults).
  const StatusRules& RulesFor(std::string_view segment) const;

  // `days`: every purchase-day, ascending, distinct, none after as_of.
  // `contracts`: the customer's, in SortContracts order. Thread-safe.
  Judgement Judge(DayNumber as_of, DayNumber until, std::span<const DayNumber> days,
                  std::uint8_t customer_flags, const StatusRules& rules,
                  std::span<const ContractRef> contracts) const;

 private:
  const StatusPolicy* policy_;
  absl::flat_hash_map<std::string, const StatusRules*> segment_rules_;
};

}  // namespace carteira::status_internal

#endif  // CARTEIRA_SRC_STATUS_CUSTOMER_JUDGE_H_
