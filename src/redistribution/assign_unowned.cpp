// assign_unowned: customers without a rep, or whose rep is inactive, to an
// eligible rep (policy.h, docs/redistribution.md).
#include <algorithm>
#include <numeric>

#include "carteira/core/strings.h"
#include "absl/strings/str_cat.h"
#include "eligibility.h"
#include "rep_choice.h"

namespace carteira {
namespace {

using namespace redistribution_internal;

class AssignUnowned : public Policy {
 public:
  explicit AssignUnowned(AssignUnownedOptions options) : options_(std::move(options)) {}
  std::string_view name() const override { return "assign_unowned"; }

  absl::Status Run(const Portfolio& portfolio, PlanningState& state) const override {
    const PlanningInput& in = state.input();
    std::vector<CustomerIndex> todo;
    for (CustomerIndex c = 0; c < in.customers(); ++c) {
      const RepIndex h = state.holder(c);
      if (state.moved(c)) continue;
      if (h == kNoRep || !in.rep_active[h]) todo.push_back(c);
    }
    // Id order: the result does not depend on the order of the files.
    const CustomerTable& customers = portfolio.customers();
    std::sort(todo.begin(), todo.end(),
              [&](CustomerIndex a, CustomerIndex b) { return customers.id[a] < customers.id[b]; });
    const std::vector<RepIndex> reps = AvailableRepsById(in);
    RepChooser chooser(state, options_.method, options_.cursor, portfolio);
    EligibilityFilter filter(state, EligibilityRules{});
    const size_t unplaced_from = state.unplaced().size();
    for (CustomerIndex c : todo) {
      const RepIndex h = state.holder(c);
      const std::string was = h == kNoRep
                                  ? std::string("had no rep")
                                  : StrCat("rep ", RepId(portfolio, h), " is inactive");
      if (in.locked[c]) {
        state.Unplace(c, name(), "locked",
                      StrCat(was, "; the customer is locked (key account or pinned): ",
                                   "assign it by hand"));
        continue;
      }
      const std::vector<RepIndex>& eligible = filter.Eligible(c, reps);
      if (eligible.empty()) {
        state.Unplace(c, name(), std::string(filter.constraint()),
                      StrCat(was, "; ", filter.Explain(portfolio, c)));
        continue;
      }
      const RepIndex to = chooser.Choose(eligible);
      std::string explanation =
          StrCat(was, "; ", AssignMethodName(options_.method), " among ", eligible.size(),
                       " eligible reps chose ", RepId(portfolio, to), " (",
                       BookFigures(state, to), " before)");
      state.MoveCustomer(c, to, name(), h == kNoRep ? "unowned" : "rep_inactive",
                         std::move(explanation));
      chooser.Took(to);
    }
    ReportFullTerritories(state, unplaced_from, name());
    if (options_.method == AssignMethod::kRoundRobin) {
      state.set_round_robin_cursor(std::string(chooser.cursor()));
    }
    return absl::OkStatus();
  }

 private:
  AssignUnownedOptions options_;
};

}  // namespace

std::unique_ptr<Policy> MakeAssignUnowned(AssignUnownedOptions options) {
  return std::make_unique<AssignUnowned>(std::move(options));
}

std::string_view AssignMethodName(AssignMethod method) {
  switch (method) {
    case AssignMethod::kRoundRobin:
      return "round_robin";
    case AssignMethod::kLeastLoaded:
      return "least_loaded";
    case AssignMethod::kCapacityWeighted:
      return "capacity_weighted";
  }
  return "";
}

}  // namespace carteira
