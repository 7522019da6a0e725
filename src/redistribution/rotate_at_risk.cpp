// rotate_at_risk (giro / oxigenação de carteira): at-risk customers their
// rep has neglected go to another rep of the territory (policy.h,
// docs/redistribution.md).
#include <algorithm>
#include <cmath>

#include "carteira/core/strings.h"
#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "eligibility.h"

namespace carteira {
namespace {

using namespace redistribution_internal;

class RotateAtRisk : public Policy {
 public:
  explicit RotateAtRisk(RotateAtRiskOptions options) : options_(std::move(options)) {}
  std::string_view name() const override { return "rotate_at_risk"; }

  absl::Status Run(const Portfolio& portfolio, PlanningState& state) const override {
    if (options_.no_contact_days < 0 || options_.cooldown_days < 0 ||
        options_.max_moves_per_rep < 0) {
      return absl::InvalidArgumentError(
          "no_contact_days, cooldown_days and max_moves_per_rep must be >= 0");
    }
    const PlanningInput& in = state.input();
    bool wanted[kStatusCount] = {};
    for (Status s : options_.statuses) wanted[static_cast<int>(s)] = true;

    std::vector<CustomerIndex> todo;
    for (CustomerIndex c = 0; c < in.customers(); ++c) {
      const RepIndex h = state.holder(c);
      if (h == kNoRep || state.fixed(c) || !wanted[static_cast<int>(in.status[c])]) continue;
      if (Silence(in, c) > options_.no_contact_days) todo.push_back(c);
    }
    // Most valuable first: they get the best reps while there is room.
    const CustomerTable& customers = portfolio.customers();
    std::sort(todo.begin(), todo.end(), [&](CustomerIndex a, CustomerIndex b) {
      if (in.value[a] != in.value[b]) return in.value[a] > in.value[b];
      return customers.id[a] < customers.id[b];
    });

    // Each rep's reactivation record by segment: customers it holds that
    // came back (status reactivated) on as_of.
    absl::flat_hash_map<std::uint64_t, std::int32_t> record;
    for (CustomerIndex c = 0; c < in.customers(); ++c) {
      if (in.holder[c] != kNoRep && in.status[c] == Status::kReactivated) {
        ++record[Key(in.holder[c], in.segment[c])];
      }
    }
    auto record_of = [&](RepIndex r, std::int32_t segment) {
      auto it = record.find(Key(r, segment));
      return it == record.end() ? 0 : it->second;
    };

    // Available reps by territory, in id order.
    const std::vector<RepIndex> available = AvailableRepsById(in);
    absl::flat_hash_map<std::int32_t, std::vector<RepIndex>> by_territory;
    EligibilityFilter filter(state, EligibilityRules{true, options_.cooldown_days,
                                                     options_.max_moves_per_rep, kNoRep});
    for (CustomerIndex c : todo) {
      const RepIndex h = state.holder(c);
      const std::int32_t territory = Territory(in, c);
      auto [it, inserted] = by_territory.try_emplace(territory);
      if (inserted) {
        for (RepIndex r : available) {
          if (InTerritory(in, r, territory)) it->second.push_back(r);
        }
      }
      const std::string why = Why(portfolio, in, c, h);
      if (options_.max_moves_per_rep > 0 && state.moves_out(h) >= options_.max_moves_per_rep) {
        state.Unplace(c, name(), "move_limit",
                      StrCat(why, "; ", RepId(portfolio, h), " already gives ",
                                   options_.max_moves_per_rep, " customers, the limit per rep"));
        continue;
      }
      const std::vector<RepIndex>& eligible = filter.Eligible(c, it->second);
      if (eligible.empty()) {
        state.Unplace(c, name(), std::string(filter.constraint()),
                      StrCat(why, "; ", filter.Explain(portfolio, c)));
        continue;
      }
      const std::int32_t segment = in.segment[c];
      const RepIndex to = *std::min_element(
          eligible.begin(), eligible.end(), [&](RepIndex a, RepIndex b) {
            const std::int32_t ra = record_of(a, segment), rb = record_of(b, segment);
            if (ra != rb) return ra > rb;
            if (state.count(a) != state.count(b)) return state.count(a) < state.count(b);
            return in.rep_rank[a] < in.rep_rank[b];
          });
      std::string explanation = StrCat(
          why, "; to ", RepId(portfolio, to), ": ", record_of(to, segment),
          " reactivated customers in segment ", SegmentName(in, segment), ", ",
          BookFigures(state, to), " (best of ", eligible.size(), " eligible reps)");
      state.MoveCustomer(c, to, name(), "at_risk_no_contact", std::move(explanation));
    }
    return absl::OkStatus();
  }

 private:
  static std::uint64_t Key(RepIndex r, std::int32_t segment) {
    return (static_cast<std::uint64_t>(static_cast<std::uint32_t>(r)) << 32) |
           static_cast<std::uint32_t>(segment);
  }
  // Days the holder has been silent: since its last sale or contact, or
  // since it took the customer when it never touched it.
  static std::int64_t Silence(const PlanningInput& in, CustomerIndex c) {
    DayNumber last = in.holder_last_touch[c];
    if (last == kNoDay) last = in.holder_since[c];
    return last == kNoDay ? INT64_MAX : static_cast<std::int64_t>(in.as_of) - last;
  }
  std::string Why(const Portfolio& portfolio, const PlanningInput& in, CustomerIndex c,
                  RepIndex h) const {
    std::string out(StatusName(in.status[c]));
    if (in.days_since_last[c] >= 0) {
      StrAppend(&out, ": ", in.days_since_last[c], " days since the last purchase");
      if (!std::isnan(in.threshold_days[c])) {
        StrAppend(&out, " (threshold ", std::lround(in.threshold_days[c]), ")");
      }
    }
    const DayNumber touch = in.holder_last_touch[c];
    if (touch != kNoDay) {
      StrAppend(&out, "; ", RepId(portfolio, h), " has neither sold to nor contacted it for ",
                      in.as_of - touch, " days (limit ", options_.no_contact_days, ")");
    } else {
      StrAppend(&out, "; ", RepId(portfolio, h),
                      " never sold to nor contacted it in ", Silence(in, c),
                      " days holding it (limit ", options_.no_contact_days, ")");
    }
    return out;
  }

  RotateAtRiskOptions options_;
};

}  // namespace

std::unique_ptr<Policy> MakeRotateAtRisk(RotateAtRiskOptions options) {
  return std::make_unique<RotateAtRisk>(std::move(options));
}

}  // namespace carteira
