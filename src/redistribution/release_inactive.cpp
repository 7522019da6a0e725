// release_inactive: long-inactive and lost customers go to a reactivation
// team or a house account (policy.h, docs/redistribution.md).
#include <algorithm>
#include <cmath>

#include "carteira/core/strings.h"
#include "absl/strings/str_cat.h"
#include "eligibility.h"

namespace carteira {
namespace {

using namespace redistribution_internal;

class ReleaseInactive : public Policy {
 public:
  explicit ReleaseInactive(ReleaseInactiveOptions options) : options_(std::move(options)) {}
  std::string_view name() const override { return "release_inactive"; }

  absl::Status Run(const Portfolio& portfolio, PlanningState& state) const override {
    const PlanningInput& in = state.input();
    if (options_.days < 0) return absl::InvalidArgumentError("days must be >= 0");
    if (options_.to_rep.empty() == options_.to_team.empty()) {
      return absl::InvalidArgumentError("give exactly one of to_rep and to_team");
    }
    std::vector<RepIndex> targets;
    if (!options_.to_rep.empty()) {
      auto r = portfolio.FindRep(options_.to_rep);
      if (!r) {
        return absl::NotFoundError(
            StrCat("to_rep ", options_.to_rep, " is not a rep"));
      }
      targets.push_back(*r);
    } else {
      const std::int32_t team = in.teams.Find(options_.to_team);
      for (RepIndex r : in.reps_by_id) {
        if (team != Dictionary::kNone && in.rep_team[r] == team && in.Available(r)) {
          targets.push_back(r);
        }
      }
      if (targets.empty()) {
        return absl::NotFoundError(StrCat("team ", options_.to_team,
                                                " has no available rep"));
      }
    }
    bool wanted[kStatusCount] = {};
    for (Status s : options_.statuses) wanted[static_cast<int>(s)] = true;

    const CustomerTable& customers = portfolio.customers();
    std::vector<CustomerIndex> todo;
    for (CustomerIndex c = 0; c < in.customers(); ++c) {
      const RepIndex h = state.holder(c);
      if (h == kNoRep || state.fixed(c) || !wanted[static_cast<int>(in.status[c])]) continue;
      if (std::find(targets.begin(), targets.end(), h) != targets.end()) continue;
      if (DaysInStatus(in, c) > options_.days) todo.push_back(c);
    }
    std::sort(todo.begin(), todo.end(),
              [&](CustomerIndex a, CustomerIndex b) { return customers.id[a] < customers.id[b]; });
    for (CustomerIndex c : todo) {
      // The house account takes everyone; a team shares by load.
      RepIndex to = kNoRep;
      for (RepIndex r : targets) {
        if (!state.HasRoom(r, c)) continue;
        if (to == kNoRep || state.count(r) < state.count(to)) to = r;
      }
      const std::string why = StrCat(StatusName(in.status[c]), " for ", DaysInStatus(in, c),
                                           " days (", in.days_since_last[c],
                                           " since the last purchase; limit ", options_.days, ")");
      if (to == kNoRep) {
        state.Unplace(c, name(), "capacity",
                      StrCat(why, "; ",
                                   options_.to_rep.empty() ? "team " + options_.to_team
                                                           : "rep " + options_.to_rep,
                                   " is full"));
        continue;
      }
      state.MoveCustomer(c, to, name(), "long_inactive",
                         StrCat(why, "; released to ", RepId(portfolio, to),
                                      options_.to_team.empty() ? "" : " of team " + options_.to_team,
                                      " (", BookFigures(state, to), " before)"));
    }
    return absl::OkStatus();
  }

 private:
  // Days since the status's threshold was crossed: days since the last
  // purchase minus the threshold; customers without a threshold count
  // from their last purchase.
  static std::int64_t DaysInStatus(const PlanningInput& in, CustomerIndex c) {
    const std::int64_t since_last = in.days_since_last[c];
    if (since_last < 0) return 0;
    const double threshold = in.threshold_days[c];
    if (std::isnan(threshold)) return since_last;
    return std::max<std::int64_t>(0, since_last - static_cast<std::int64_t>(std::ceil(threshold)));
  }

  ReleaseInactiveOptions options_;
};

}  // namespace

std::unique_ptr<Policy> MakeReleaseInactive(ReleaseInactiveOptions options) {
  return std::make_unique<ReleaseInactive>(std::move(options));
}

}  // namespace carteira
