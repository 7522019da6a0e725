#include "eligibility.h"

#include <algorithm>
#include <map>

#include "carteira/core/strings.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace carteira::redistribution_internal {

std::int32_t Territory(const PlanningInput& in, CustomerIndex c) {
  if (in.region[c] != Dictionary::kNone) return in.region[c];
  const RepIndex h = in.holder[c];
  return h == kNoRep ? Dictionary::kNone : in.rep_region[h];
}

bool InTerritory(const PlanningInput& in, RepIndex r, std::int32_t territory) {
  return territory == Dictionary::kNone || in.rep_region[r] == Dictionary::kNone ||
         in.rep_region[r] == territory;
}

const std::vector<RepIndex>& EligibilityFilter::Eligible(CustomerIndex c,
                                                         const std::vector<RepIndex>& candidates) {
  out_.clear();
  last_dropped_.clear();
  constraint_ = {};
  // One pass; a rep failing several filters counts against the first.
  std::int64_t failed_at[kStages] = {};
  for (RepIndex r : candidates) {
    const int stage = FirstFailure(c, r);
    if (stage < 0) {
      out_.push_back(r);
    } else if (stage < kStages) {
      ++failed_at[stage];
    }
  }
  if (!out_.empty()) return out_;
  // Nobody: the last filter that removed someone emptied the list. A
  // second pass collects a few of the reps it removed, for the explanation.
  static constexpr std::string_view kCodes[kStages] = {"territory", "segment", "cooldown",
                                                       "move_limit", "capacity"};
  constraint_ = "no_rep";
  for (int stage = kStages - 1; stage >= 0; --stage) {
    if (failed_at[stage] == 0) continue;
    constraint_ = kCodes[stage];
    for (RepIndex r : candidates) {
      if (last_dropped_.size() < 5 && FirstFailure(c, r) == stage) last_dropped_.push_back(r);
    }
    break;
  }
  return out_;
}

int EligibilityFilter::FirstFailure(CustomerIndex c, RepIndex r) const {
  const PlanningInput& in = state_.input();
  if (r == rules_.exclude || r == state_.holder(c)) return kStages;  // not a candidate
  if (rules_.territory && !InTerritory(in, r, Territory(in, c))) return 0;
  if (!in.Serves(r, in.segment[c])) return 1;
  if (in.InCooldown(c, r, rules_.cooldown_days)) return 2;
  if (rules_.max_moves_per_rep > 0 && state_.moves_in(r) >= rules_.max_moves_per_rep) return 3;
  if (!state_.HasRoom(r, c)) return 4;
  return -1;
}

std::string EligibilityFilter::Explain(const Portfolio& portfolio, CustomerIndex c) const {
  const PlanningInput& in = state_.input();
  const std::string territory(RegionName(in, Territory(in, c)));
  const std::string segment(SegmentName(in, in.segment[c]));
  auto ids = [&] {
    std::vector<std::string> parts;
    for (RepIndex r : last_dropped_) parts.push_back(std::string(RepId(portfolio, r)));
    return absl::StrJoin(parts, ", ");
  };
  if (constraint_ == "no_rep") return "no other available rep";
  if (constraint_ == "territory") {
    return StrCat("no available rep covers region ", territory.empty() ? "(none)" : territory);
  }
  if (constraint_ == "segment") {
    return StrCat("no available rep of region ", territory.empty() ? "(any)" : territory,
                        " serves segment ", segment);
  }
  if (constraint_ == "cooldown") {
    return StrCat("the eligible reps (", ids(), ") held the customer in the last ",
                        rules_.cooldown_days, " days");
  }
  if (constraint_ == "move_limit") {
    return StrCat("the eligible reps (", ids(), ") already take ", rules_.max_moves_per_rep,
                        " moves, the limit per rep");
  }
  std::vector<std::string> full;
  for (RepIndex r : last_dropped_) {
    full.push_back(StrCat(RepId(portfolio, r), " ", BookFigures(state_, r)));
  }
  return StrCat("the eligible reps are full: ", absl::StrJoin(full, ", "));
}

void ReportFullTerritories(PlanningState& state, size_t unplaced_from, std::string_view policy) {
  const PlanningInput& in = state.input();
  std::map<std::string, std::pair<std::int32_t, std::int64_t>> blocked;  // name -> (code, count)
  for (size_t i = unplaced_from; i < state.unplaced().size(); ++i) {
    const Unplaced& u = state.unplaced()[i];
    if (u.constraint != "capacity") continue;
    const std::int32_t territory = Territory(in, u.customer);
    auto& entry = blocked[std::string(RegionName(in, territory))];
    entry.first = territory;
    ++entry.second;
  }
  for (const auto& [name, entry] : blocked) {
    std::int64_t reps = 0, held = 0, capacity = 0;
    bool limited = true;
    for (RepIndex r = 0; r < static_cast<RepIndex>(in.reps()); ++r) {
      if (!in.Available(r) || !InTerritory(in, r, entry.first)) continue;
      ++reps;
      held += state.count(r);
      if (in.rep_capacity[r] > 0) {
        capacity += in.rep_capacity[r];
      } else {
        limited = false;
      }
    }
    state.AddInfeasible(StrCat(
        "region ", name.empty() ? "(none)" : name, ": ", Thousands(entry.second), " customers could not be placed by ",
        policy, " for lack of room; its ", reps, " available reps hold ", Thousands(held), " customers",
        limited ? StrCat(", capacity ", Thousands(capacity)) : std::string(" (some limited by load)")));
  }
}

std::vector<RepIndex> AvailableRepsById(const PlanningInput& in) {
  std::vector<RepIndex> out;
  for (RepIndex r : in.reps_by_id) {
    if (in.Available(r)) out.push_back(r);
  }
  return out;
}

std::string_view RepId(const Portfolio& portfolio, RepIndex r) {
  return r == kNoRep ? std::string_view() : portfolio.reps().id[r];
}

std::string_view RegionName(const PlanningInput& in, std::int32_t code) { return in.regions[code]; }

std::string_view SegmentName(const PlanningInput& in, std::int32_t code) {
  return code == Dictionary::kNone ? std::string_view("(none)") : in.segments[code];
}

std::string BookFigures(const PlanningState& state, RepIndex r) {
  const PlanningInput& in = state.input();
  std::string out = StrCat(Thousands(state.count(r)));
  if (in.rep_capacity[r] > 0) StrAppend(&out, "/", Thousands(in.rep_capacity[r]));
  StrAppend(&out, " customers");
  if (in.rep_max_load[r] > 0) {
    StrAppend(&out, ", load ", Thousands(state.load(r)), "/", Thousands(in.rep_max_load[r]));
  }
  return out;
}

std::string Thousands(std::int64_t value) {
  std::string digits = StrCat(value < 0 ? -value : value);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return value < 0 ? "-" + out : out;
}

}  // namespace carteira::redistribution_internal
