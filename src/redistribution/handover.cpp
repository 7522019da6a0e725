// handover: a leaving (or absent) rep's book goes to the reps of each
// customer's territory (policy.h, docs/redistribution.md).
#include <algorithm>

#include "carteira/core/strings.h"
#include "absl/strings/str_cat.h"
#include "eligibility.h"
#include "rep_choice.h"

namespace carteira {
namespace {

using namespace redistribution_internal;

class Handover : public Policy {
 public:
  explicit Handover(HandoverOptions options) : options_(std::move(options)) {}
  std::string_view name() const override { return "handover"; }

  absl::Status Run(const Portfolio& portfolio, PlanningState& state) const override {
    const PlanningInput& in = state.input();
    auto leaving = portfolio.FindRep(options_.rep);
    if (!leaving) {
      return absl::NotFoundError(StrCat("rep ", options_.rep, " is not a rep"));
    }
    const DayNumber effective = options_.effective == kNoDay ? in.as_of : options_.effective;
    if (effective < in.as_of) {
      return absl::InvalidArgumentError(StrCat("effective date ",
                                                     FormatDate(effective),
                                                     " is before the as-of date ",
                                                     FormatDate(in.as_of)));
    }
    if (options_.until != kNoDay && options_.until <= effective) {
      return absl::InvalidArgumentError(StrCat("until ", FormatDate(options_.until),
                                                     " is not after the effective date ",
                                                     FormatDate(effective)));
    }
    const CustomerTable& customers = portfolio.customers();
    std::vector<CustomerIndex> book;
    for (CustomerIndex c = 0; c < in.customers(); ++c) {
      if (state.holder(c) == *leaving && !state.moved(c)) book.push_back(c);
    }
    // Most valuable first: they get the lightest books.
    std::sort(book.begin(), book.end(), [&](CustomerIndex a, CustomerIndex b) {
      if (in.value[a] != in.value[b]) return in.value[a] > in.value[b];
      return customers.id[a] < customers.id[b];
    });
    const std::vector<RepIndex> reps = AvailableRepsById(in);
    RepChooser chooser(state, options_.method, {}, portfolio);
    EligibilityFilter filter(state, EligibilityRules{true, 0, 0, *leaving});
    const size_t unplaced_from = state.unplaced().size();
    const std::string kind =
        options_.until == kNoDay
            ? StrCat(options_.rep, " hands over the book from ", FormatDate(effective))
            : StrCat(options_.rep, " is away from ", FormatDate(effective), " until ",
                           FormatDate(options_.until));
    for (CustomerIndex c : book) {
      if (in.locked[c]) {
        state.Unplace(c, name(), "locked",
                      StrCat(kind, "; the customer is locked (key account or pinned): ",
                                   "reassign it by hand"));
        continue;
      }
      const std::vector<RepIndex>& eligible = filter.Eligible(c, reps);
      if (eligible.empty()) {
        state.Unplace(c, name(), std::string(filter.constraint()),
                      StrCat(kind, "; ", filter.Explain(portfolio, c)));
        continue;
      }
      const RepIndex to = chooser.Choose(eligible);
      std::string explanation =
          StrCat(kind, "; ", AssignMethodName(options_.method), " among ", eligible.size(),
                       " eligible reps chose ", RepId(portfolio, to), " (", BookFigures(state, to),
                       " before)");
      state.MoveCustomer(c, to, name(), options_.until == kNoDay ? "handover" : "temporary_handover",
                         std::move(explanation), effective, options_.until);
      chooser.Took(to);
    }
    ReportFullTerritories(state, unplaced_from, name());
    return absl::OkStatus();
  }

 private:
  HandoverOptions options_;
};

}  // namespace

std::unique_ptr<Policy> MakeHandover(HandoverOptions options) {
  return std::make_unique<Handover>(std::move(options));
}

}  // namespace carteira
