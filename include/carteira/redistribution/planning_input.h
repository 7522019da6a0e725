// What the redistribution policies read, gathered once from a Portfolio and
// its status table as of a date (docs/redistribution.md, "Inputs"):
// every customer's holder on that date, territory, segment, load weight,
// value, lock, status and how long its holder has been silent; every rep's
// territory, segments served, capacities, availability and team; and who
// held each customer before (for cooldowns).
//
// Rep fields beyond reps.csv's own columns come from rep attributes (extra
// columns of reps.csv): `max_load` (a whole number, the weighted-load
// capacity; empty = not limited) and `away_until` (a date: the rep takes no
// customers on or before it). Customer attributes: `pinned` (sim/yes/true/1
// lock the customer like a key account) and the one named by
// PlanningInputOptions::weight_attribute (a whole number >= 0).
#ifndef CARTEIRA_REDISTRIBUTION_PLANNING_INPUT_H_
#define CARTEIRA_REDISTRIBUTION_PLANNING_INPUT_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "carteira/core/date.h"
#include "carteira/core/money.h"
#include "carteira/portfolio/dictionary.h"
#include "carteira/portfolio/portfolio.h"
#include "carteira/status/status_table.h"

namespace carteira {

struct PlanningInputOptions {
  // A customer's value: its net revenue in the `value_window_days` days
  // ending on the as-of date (inclusive). Orders giro candidates, prices
  // moves for a least-value rebalance, and sums to the at-risk value.
  std::int32_t value_window_days = 365;
  // Customer attribute holding the load weight; empty = every customer
  // weighs 1 (load = count).
  std::string weight_attribute;
  // Customer ids locked in place in addition to key accounts and the
  // `pinned` attribute. Unknown ids are an error.
  std::vector<std::string> pinned;
};

// One past holding of a customer: `rep` held it until `until` (the day the
// next holder took over), for the cooldown rule.
struct PastHolding {
  RepIndex rep = kNoRep;
  DayNumber until = kNoDay;
};

struct PlanningInput {
  DayNumber as_of = kNoDay;
  std::int32_t value_window_days = 365;
  Dictionary regions, segments, teams;  // codes used below; kNone = empty

  // Per customer, by customer index.
  std::vector<RepIndex> holder;          // on as_of; kNoRep = unassigned
  std::vector<DayNumber> holder_since;   // kNoDay when unassigned
  std::vector<std::int32_t> region, segment;
  std::vector<std::int64_t> weight;
  std::vector<MinorUnits> value;
  std::vector<std::uint8_t> locked;      // key account or pinned
  std::vector<Status> status;
  std::vector<std::int32_t> days_since_last;  // -1 without a purchase
  std::vector<double> threshold_days;         // the status rule's threshold (NaN none)
  // P(alive) when the status table carries the P(alive) rule's figure
  // (models/p_alive_rule.h); empty otherwise, NaN where not computed.
  std::vector<double> p_alive;
  // The holder's latest sale to or interaction with the customer on or
  // before as_of, in any of its holdings (kNoDay: none).
  std::vector<DayNumber> holder_last_touch;
  // Past holdings, customer c's in [history_offset[c], history_offset[c+1]).
  std::vector<std::uint32_t> history_offset;
  std::vector<PastHolding> history;

  // Per rep, by rep index.
  std::vector<std::int32_t> rep_region, rep_team;
  std::vector<std::vector<std::int32_t>> rep_segments;  // sorted; empty = all
  std::vector<std::int64_t> rep_capacity;  // customers; 0 = not limited
  std::vector<std::int64_t> rep_max_load;  // load units; 0 = not limited
  std::vector<std::uint8_t> rep_active;
  std::vector<DayNumber> rep_away_until;   // kNoDay = not away
  // Rep indices in ascending id order: ties between reps break by id, so
  // no rep gains from the order of the reps file.
  std::vector<RepIndex> reps_by_id;
  std::vector<std::int32_t> rep_rank;      // position in reps_by_id

  size_t customers() const { return holder.size(); }
  size_t reps() const { return rep_region.size(); }
  // Active and not away on as_of.
  bool Available(RepIndex r) const {
    return rep_active[r] && (rep_away_until[r] == kNoDay || rep_away_until[r] < as_of);
  }
  bool Serves(RepIndex r, std::int32_t segment_code) const;
  // Whether `r` held customer `c` at any time in the `cooldown_days` days
  // before as_of (its holding ended on or after as_of - cooldown_days).
  bool InCooldown(CustomerIndex c, RepIndex r, std::int32_t cooldown_days) const;
};

// `status` must be the portfolio's status table; its as_of is the plan's.
// Errors name the customer or rep and the attribute at fault.
absl::StatusOr<PlanningInput> MakePlanningInput(const Portfolio& portfolio,
                                                const StatusTable& status,
                                                const PlanningInputOptions& options = {});

}  // namespace carteira

#endif  // CARTEIRA_REDISTRIBUTION_PLANNING_INPUT_H_
