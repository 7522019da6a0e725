// Redistribution policies, run in order as a pipeline (planner.h). Each
// reads the planning input and the state the earlier policies left, and
// proposes moves through PlanningState::MoveCustomer, which keeps counts, loads and
// per-rep move tallies current. A customer moves at most once per plan: a
// later policy sees it as fixed. docs/redistribution.md defines each one.
//
// Plugin authors subclass Policy (or, from C, pass a vtable through the C
// ABI) and put it in the pipeline like the built-in ones.
#ifndef CARTEIRA_REDISTRIBUTION_POLICY_H_
#define CARTEIRA_REDISTRIBUTION_POLICY_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "carteira/redistribution/plan.h"
#include "carteira/redistribution/planning_input.h"

namespace carteira {

class PlanningState {
 public:
  explicit PlanningState(const PlanningInput& input);

  const PlanningInput& input() const { return input_; }
  RepIndex holder(CustomerIndex c) const { return holder_[c]; }
  bool moved(CustomerIndex c) const { return moved_[c] != 0; }
  // Locked or already moved by this plan.
  bool fixed(CustomerIndex c) const { return input_.locked[c] || moved_[c]; }
  std::int64_t count(RepIndex r) const { return count_[r]; }
  std::int64_t load(RepIndex r) const { return load_[r]; }
  std::int32_t moves_in(RepIndex r) const { return moves_in_[r]; }
  std::int32_t moves_out(RepIndex r) const { return moves_out_[r]; }
  // Room for customer `c` at rep `r` under its count and load capacities.
  bool HasRoom(RepIndex r, CustomerIndex c) const {
    const std::int64_t capacity = input_.rep_capacity[r];
    const std::int64_t max_load = input_.rep_max_load[r];
    return (capacity <= 0 || count_[r] < capacity) &&
           (max_load <= 0 || load_[r] + input_.weight[c] <= max_load);
  }

  // Records a move of `c` from its holder to `to`. Refuses (returns false)
  // a move of a locked or already moved customer, or to its own holder.
  bool MoveCustomer(CustomerIndex c, RepIndex to, std::string_view policy, std::string reason,
            std::string explanation, DayNumber effective = kNoDay, DayNumber until = kNoDay);
  void Unplace(CustomerIndex c, std::string_view policy, std::string constraint,
               std::string explanation);
  void AddInfeasible(std::string text) { infeasible_.push_back(std::move(text)); }
  void set_round_robin_cursor(std::string id) { cursor_ = std::move(id); }

  const std::vector<Move>& moves() const { return moves_; }
  const std::vector<Unplaced>& unplaced() const { return unplaced_; }
  const std::vector<std::string>& infeasible() const { return infeasible_; }
  const std::string& round_robin_cursor() const { return cursor_; }
  // For the planner, once the policies have run.
  std::vector<Move> TakeMoves() { return std::move(moves_); }
  std::vector<Unplaced> TakeUnplaced() { return std::move(unplaced_); }

 private:
  const PlanningInput& input_;
  std::vector<RepIndex> holder_;
  std::vector<std::uint8_t> moved_;
  std::vector<std::int64_t> count_, load_;
  std::vector<std::int32_t> moves_in_, moves_out_;
  std::vector<Move> moves_;
  std::vector<Unplaced> unplaced_;
  std::vector<std::string> infeasible_;
  std::string cursor_;
};

class Policy {
 public:
  virtual ~Policy() = default;
  virtual std::string_view name() const = 0;
  // An error stops the pipeline; the plan is not made.
  virtual absl::Status Run(const Portfolio& portfolio, PlanningState& state) const = 0;
};

// assign_unowned: customers without a rep, or whose rep is inactive, go to
// an available rep of their territory who serves their segment and has
// room. Customers are taken in id order; reps tie by id.
enum class AssignMethod {
  kRoundRobin,         // the next eligible rep after the cursor, in id order
  kLeastLoaded,        // the eligible rep with the fewest customers
  kCapacityWeighted,   // the lowest (customers + 1) / capacity
};
struct AssignUnownedOptions {
  AssignMethod method = AssignMethod::kRoundRobin;
  std::string cursor;  // rep id that last received (a previous plan's cursor)
};

// rotate_at_risk (giro): customers in `statuses` whose holder has neither
// sold to them nor contacted them in more than `no_contact_days` go to
// another available rep of the same territory, best reactivation record in
// the customer's segment first, then the lightest book; never to a rep who
// held them in the last `cooldown_days`; at most `max_moves_per_rep` moves
// into and out of any rep. Most valuable customers are placed first.
struct RotateAtRiskOptions {
  std::vector<Status> statuses = {Status::kAtRisk};
  std::int32_t no_contact_days = 60;
  std::int32_t cooldown_days = 180;
  std::int32_t max_moves_per_rep = 0;  // 0 = no limit
};

// release_inactive: customers inactive or lost for more than `days` (days
// since the status's threshold was crossed) go to the house account
// `to_rep`, or to the least loaded available rep of team `to_team`.
struct ReleaseInactiveOptions {
  std::vector<Status> statuses = {Status::kInactive, Status::kLost};
  std::int32_t days = 180;
  std::string to_rep;
  std::string to_team;
};

// rebalance: within each region, brings every available rep's customer
// count within `tolerance` of the region's mean, with the fewest moves (or
// the least moved value), respecting capacity, segments, locks and the
// cooldown: an exact min-cost flow (LEMON's network simplex).
enum class RebalanceObjective { kFewestMoves, kLeastValue };
struct RebalanceOptions {
  double tolerance = 0.10;
  RebalanceObjective objective = RebalanceObjective::kFewestMoves;
  std::int32_t cooldown_days = 180;
};

// handover: the book of `rep` (leaving, or away until `until`) goes to the
// available reps of each customer's territory who serve its segment, the
// least loaded (or capacity weighted) first, most valuable customers first,
// effective on `effective` (the as-of date when kNoDay). With `until`, each
// move returns to `rep` on that day.
struct HandoverOptions {
  std::string rep;
  DayNumber effective = kNoDay;
  DayNumber until = kNoDay;
  AssignMethod method = AssignMethod::kLeastLoaded;
};

std::unique_ptr<Policy> MakeAssignUnowned(AssignUnownedOptions options);
std::unique_ptr<Policy> MakeRotateAtRisk(RotateAtRiskOptions options);
std::unique_ptr<Policy> MakeReleaseInactive(ReleaseInactiveOptions options);
std::unique_ptr<Policy> MakeRebalance(RebalanceOptions options);
std::unique_ptr<Policy> MakeHandover(HandoverOptions options);

std::string_view AssignMethodName(AssignMethod method);

}  // namespace carteira

#endif  // CARTEIRA_REDISTRIBUTION_POLICY_H_
