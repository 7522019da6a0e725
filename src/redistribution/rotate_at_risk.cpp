// rotate_at_risk (giro / oxigenação de carteira): at-risk customers their
// rep has neglected go to another rep of the territory (policy.h,
// docs/redistribution.md).
//
// Speed (benchmarks/redistribution_benchmark.cpp): the candidates' figures
// are gathered in one sequential pass into compact records, so that
// ordering them by value and explaining each does not chase a cache miss
// per field; reps are grouped once by territory and segment served.
#include <algorithm>
#include <cmath>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_format.h"
#include "carteira/core/strings.h"
#include "eligibility.h"

namespace carteira {
namespace {

using namespace redistribution_internal;

struct Candidate {
  MinorUnits value;
  CustomerIndex customer;
  RepIndex holder;
  std::int32_t territory, segment;
  std::int32_t days_since_last;
  std::int32_t silence;  // days; -1 = never touched nor held since a known day
  DayNumber touch;
  double threshold;
  double p_alive;  // NaN when the status table has none
  Status status;
  bool has_history;
  std::string_view id;
};

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

    const CustomerTable& customers = portfolio.customers();
    std::vector<Candidate> todo;
    std::vector<CustomerIndex> reactivated;
    for (CustomerIndex c = 0; c < in.customers(); ++c) {
      const RepIndex h = state.holder(c);
      if (h == kNoRep) continue;
      const Status status = in.status[c];
      if (status == Status::kReactivated) reactivated.push_back(c);
      if (state.fixed(c) || !wanted[static_cast<int>(status)]) continue;
      // Silent since the last sale or contact, or since it took the customer.
      const DayNumber touch = in.holder_last_touch[c];
      const DayNumber last = touch != kNoDay ? touch : in.holder_since[c];
      const std::int64_t silence = last == kNoDay ? INT32_MAX : std::int64_t{in.as_of} - last;
      if (silence <= options_.no_contact_days) continue;
      todo.push_back(Candidate{in.value[c], c, h, Territory(in, c), in.segment[c],
                               in.days_since_last[c], static_cast<std::int32_t>(silence), touch,
                               in.threshold_days[c],
                               in.p_alive.empty() ? std::nan("") : in.p_alive[c], status,
                               in.history_offset[c] != in.history_offset[c + 1], customers.id[c]});
    }
    // Most valuable first: they get the best reps while there is room.
    std::sort(todo.begin(), todo.end(), [](const Candidate& a, const Candidate& b) {
      if (a.value != b.value) return a.value > b.value;
      return a.id < b.id;
    });

    // Each rep's reactivation record by segment: customers it holds that
    // came back (status reactivated) on as_of. One dense row per segment
    // met, made on first use.
    absl::flat_hash_map<std::int32_t, std::vector<std::int32_t>> record;
    auto record_row = [&](std::int32_t segment) -> const std::vector<std::int32_t>& {
      auto [it, inserted] = record.try_emplace(segment);
      if (inserted) {
        it->second.assign(in.reps(), 0);
        for (CustomerIndex c : reactivated) {
          if (in.segment[c] == segment) ++it->second[in.holder[c]];
        }
      }
      return it->second;
    };

    // Available reps by territory, and by territory and segment served, in
    // id order; made on first use.
    const std::vector<RepIndex> available = AvailableRepsById(in);
    absl::flat_hash_map<std::int32_t, std::vector<RepIndex>> by_territory;
    absl::flat_hash_map<std::pair<std::int32_t, std::int32_t>, std::vector<RepIndex>> by_cell;
    auto territory_reps = [&](std::int32_t territory) -> const std::vector<RepIndex>& {
      auto [it, inserted] = by_territory.try_emplace(territory);
      if (inserted) {
        for (RepIndex r : available) {
          if (InTerritory(in, r, territory)) it->second.push_back(r);
        }
      }
      return it->second;
    };
    EligibilityFilter filter(state, EligibilityRules{true, options_.cooldown_days,
                                                     options_.max_moves_per_rep, kNoRep});
    const std::int32_t limit = options_.max_moves_per_rep;
    for (const Candidate& k : todo) {
      const CustomerIndex c = k.customer;
      const RepIndex h = k.holder;
      auto [cell, inserted] = by_cell.try_emplace({k.territory, k.segment});
      if (inserted) {
        for (RepIndex r : territory_reps(k.territory)) {
          if (in.Serves(r, k.segment)) cell->second.push_back(r);
        }
      }
      if (limit > 0 && state.moves_out(h) >= limit) {
        std::string why = Why(portfolio, k);
        StrAppend(&why, "; ", RepId(portfolio, h), " already gives ", limit,
                  " customers, the limit per rep");
        state.Unplace(c, name(), "move_limit", std::move(why));
        continue;
      }
      // The best eligible rep in one pass over the cell (territory and
      // segment hold there): record, then lightest book, then id.
      const std::vector<std::int32_t>& rec = record_row(k.segment);
      RepIndex to = kNoRep;
      size_t eligible = 0;
      for (RepIndex r : cell->second) {
        if (r == h || (limit > 0 && state.moves_in(r) >= limit) || !state.HasRoom(r, c) ||
            (k.has_history && in.InCooldown(c, r, options_.cooldown_days))) {
          continue;
        }
        ++eligible;
        if (to == kNoRep || rec[r] > rec[to] ||
            (rec[r] == rec[to] &&
             (state.count(r) < state.count(to) ||
              (state.count(r) == state.count(to) && in.rep_rank[r] < in.rep_rank[to])))) {
          to = r;
        }
      }
      if (to == kNoRep) {
        // Explain against every rep of the territory (segments included).
        filter.Eligible(c, territory_reps(k.territory));
        std::string why = Why(portfolio, k);
        StrAppend(&why, "; ", filter.Explain(portfolio, c));
        state.Unplace(c, name(), std::string(filter.constraint()), std::move(why));
        continue;
      }
      std::string explanation = Why(portfolio, k);
      StrAppend(&explanation, "; to ", RepId(portfolio, to), ": ", rec[to],
                " reactivated customers in segment ", SegmentName(in, k.segment), ", ",
                BookFigures(state, to), " (best of ", eligible, " eligible reps)");
      state.MoveCustomer(c, to, name(), "at_risk_no_contact", std::move(explanation));
    }
    return absl::OkStatus();
  }

 private:
  // The customer's status and its holder's silence, in words.
  std::string Why(const Portfolio& portfolio, const Candidate& k) const {
    std::string out;
    out.reserve(320);  // the whole explanation, tail included, without regrowing
    StrAppend(&out, StatusName(k.status));
    if (k.days_since_last >= 0) {
      StrAppend(&out, ": ", k.days_since_last, " days since the last purchase");
      if (!std::isnan(k.threshold)) StrAppend(&out, " (threshold ", std::lround(k.threshold), ")");
    }
    if (!std::isnan(k.p_alive)) StrAppend(&out, ", P(alive) ", absl::StrFormat("%.2f", k.p_alive));
    if (k.touch != kNoDay) {
      StrAppend(&out, "; ", RepId(portfolio, k.holder),
                " has neither sold to nor contacted it for ", k.silence, " days (limit ",
                options_.no_contact_days, ")");
    } else {
      StrAppend(&out, "; ", RepId(portfolio, k.holder), " never sold to nor contacted it in ",
                k.silence, " days holding it (limit ", options_.no_contact_days, ")");
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
