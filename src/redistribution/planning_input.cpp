#include "carteira/redistribution/planning_input.h"

#include <algorithm>
#include <numeric>
#include <string_view>

#include "carteira/core/strings.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "carteira/kpi/kpi.h"

namespace carteira {
namespace {

// The attribute column named `name`, or null.
const StringColumn* Attribute(const AttributeColumns& columns, std::string_view name) {
  for (size_t i = 0; i < columns.names().size(); ++i) {
    if (columns.names()[i] == name) return &columns.column(i);
  }
  return nullptr;
}

bool Truthy(std::string_view text) {
  const std::string lower = absl::AsciiStrToLower(absl::StripAsciiWhitespace(AsAbsl(text)));
  return lower == "1" || lower == "sim" || lower == "s" || lower == "yes" || lower == "y" ||
         lower == "true";
}

absl::Status ReadReps(const Portfolio& portfolio, PlanningInput& in) {
  const RepTable& reps = portfolio.reps();
  const size_t n = reps.size();
  in.rep_region.resize(n);
  in.rep_team.resize(n);
  in.rep_segments.resize(n);
  in.rep_capacity.resize(n);
  in.rep_max_load.assign(n, 0);
  in.rep_active.resize(n);
  in.rep_away_until.assign(n, kNoDay);
  const StringColumn* max_load = Attribute(reps.attributes, "max_load");
  const StringColumn* away = Attribute(reps.attributes, "away_until");
  for (size_t r = 0; r < n; ++r) {
    in.rep_region[r] = in.regions.Intern(reps.region[r]);
    in.rep_team[r] = in.teams.Intern(reps.team[r]);
    for (const std::string& s : reps.segments[r]) in.rep_segments[r].push_back(in.segments.Intern(s));
    std::sort(in.rep_segments[r].begin(), in.rep_segments[r].end());
    in.rep_segments[r].erase(std::unique(in.rep_segments[r].begin(), in.rep_segments[r].end()),
                             in.rep_segments[r].end());
    in.rep_capacity[r] = reps.capacity[r];
    in.rep_active[r] = reps.active[r];
    if (max_load != nullptr && !(*max_load)[r].empty()) {
      const std::string_view text = (*max_load)[r];
      if (!absl::SimpleAtoi(AsAbsl(text), &in.rep_max_load[r]) || in.rep_max_load[r] < 0) {
        return absl::InvalidArgumentError(StrCat("rep ", reps.id[r], ": attribute max_load '",
                                                       text, "' is not a whole number >= 0"));
      }
    }
    if (away != nullptr && !(*away)[r].empty()) {
      auto day = ParseDate((*away)[r]);
      if (!day.ok()) {
        return absl::InvalidArgumentError(StrCat("rep ", reps.id[r], ": attribute away_until '",
                                                       (*away)[r], "': ", day.status().message()));
      }
      in.rep_away_until[r] = *day;
    }
  }
  in.reps_by_id.resize(n);
  std::iota(in.reps_by_id.begin(), in.reps_by_id.end(), 0);
  std::sort(in.reps_by_id.begin(), in.reps_by_id.end(),
            [&](RepIndex a, RepIndex b) { return reps.id[a] < reps.id[b]; });
  in.rep_rank.resize(n);
  for (size_t i = 0; i < n; ++i) in.rep_rank[in.reps_by_id[i]] = static_cast<std::int32_t>(i);
  return absl::OkStatus();
}

absl::Status ReadCustomers(const Portfolio& portfolio, const PlanningInputOptions& options,
                           PlanningInput& in) {
  const CustomerTable& customers = portfolio.customers();
  const size_t n = customers.size();
  in.region.resize(n);
  in.segment.resize(n);
  in.weight.assign(n, 1);
  in.locked.resize(n);
  for (size_t c = 0; c < n; ++c) {
    in.region[c] = in.regions.Intern(customers.region[c]);
    in.segment[c] = in.segments.Intern(customers.segment[c]);
    in.locked[c] = customers.key_account[c];
  }
  if (const StringColumn* pinned = Attribute(customers.attributes, "pinned")) {
    for (size_t c = 0; c < n; ++c) {
      if (Truthy((*pinned)[c])) in.locked[c] = 1;
    }
  }
  for (const std::string& id : options.pinned) {
    auto c = portfolio.FindCustomer(id);
    if (!c) return absl::NotFoundError(StrCat("pinned customer ", id, ": not in the portfolio"));
    in.locked[*c] = 1;
  }
  if (!options.weight_attribute.empty()) {
    const StringColumn* weight = Attribute(customers.attributes, options.weight_attribute);
    if (weight == nullptr) {
      return absl::InvalidArgumentError(StrCat("weight attribute '", options.weight_attribute,
                                                     "': no customer has it"));
    }
    for (size_t c = 0; c < n; ++c) {
      const std::string_view text = (*weight)[c];
      if (text.empty()) continue;  // weighs 1, as without the attribute
      if (!absl::SimpleAtoi(AsAbsl(text), &in.weight[c]) || in.weight[c] < 0) {
        return absl::InvalidArgumentError(StrCat("customer ", customers.id[c], ": attribute ",
                                                       options.weight_attribute, " '", text,
                                                       "' is not a whole number >= 0"));
      }
    }
  }
  return absl::OkStatus();
}

// Holder on as_of, since when, and the past holdings, from the history.
void ReadAssignments(const Portfolio& portfolio, PlanningInput& in) {
  const AssignmentTable& t = portfolio.assignments();
  const size_t n = portfolio.customers().size();
  // Rows on or before as_of, by customer then since then recording order.
  std::vector<std::uint32_t> rows;
  rows.reserve(t.size());
  for (size_t i = 0; i < t.size(); ++i) {
    if (t.since[i] <= in.as_of) rows.push_back(static_cast<std::uint32_t>(i));
  }
  std::sort(rows.begin(), rows.end(), [&](std::uint32_t a, std::uint32_t b) {
    if (t.customer[a] != t.customer[b]) return t.customer[a] < t.customer[b];
    if (t.since[a] != t.since[b]) return t.since[a] < t.since[b];
    return a < b;
  });
  in.holder.assign(n, kNoRep);
  in.holder_since.assign(n, kNoDay);
  in.history_offset.assign(n + 1, 0);
  in.history.clear();
  size_t i = 0;
  for (size_t c = 0; c < n; ++c) {
    in.history_offset[c] = static_cast<std::uint32_t>(in.history.size());
    size_t end = i;
    while (end < rows.size() && t.customer[rows[end]] == c) ++end;
    for (size_t k = i; k < end; ++k) {
      const std::uint32_t row = rows[k];
      if (k + 1 < end) {
        // A holding ends when the next one starts (same-day rows: the later
        // recorded wins, the earlier one held the customer for no day).
        const DayNumber until = t.since[rows[k + 1]];
        if (t.rep[row] != kNoRep && t.rep[row] != t.rep[rows[k + 1]]) {
          in.history.push_back({t.rep[row], until});
        }
      } else {
        in.holder[c] = t.rep[row];
        in.holder_since[c] = t.since[row];
      }
    }
    // holder_since: when the current holder's unbroken holding began.
    for (size_t k = end; k > i + 1 && t.rep[rows[k - 2]] == in.holder[c]; --k) {
      in.holder_since[c] = t.since[rows[k - 2]];
    }
    i = end;
  }
  in.history_offset[n] = static_cast<std::uint32_t>(in.history.size());
}

// Value in the window, and the holder's last sale or contact.
void ReadActivity(const Portfolio& portfolio, PlanningInput& in) {
  const size_t n = in.holder.size();
  in.value.assign(n, 0);
  in.holder_last_touch.assign(n, kNoDay);
  const DayNumber window_start = in.as_of - in.value_window_days + 1;
  const TransactionTable& tx = portfolio.transactions();
  const bool has_rep = !tx.rep.all_none();
  for (size_t i = 0; i < tx.size(); ++i) {
    const DayNumber d = tx.date[i];
    if (d > in.as_of) continue;
    const CustomerIndex c = tx.customer[i];
    if (d >= window_start) in.value[c] += tx.amount[i];
    if (has_rep && in.holder[c] != kNoRep && tx.rep[i] == in.holder[c] &&
        d > in.holder_last_touch[c]) {
      in.holder_last_touch[c] = d;
    }
  }
  const InteractionTable& it = portfolio.interactions();
  if (!it.rep.all_none()) {
    for (size_t i = 0; i < it.size(); ++i) {
      const CustomerIndex c = it.customer[i];
      const DayNumber d = it.date[i];
      if (d <= in.as_of && in.holder[c] != kNoRep && it.rep[i] == in.holder[c] &&
          d > in.holder_last_touch[c]) {
        in.holder_last_touch[c] = d;
      }
    }
  }
}

}  // namespace

bool PlanningInput::Serves(RepIndex r, std::int32_t segment_code) const {
  const std::vector<std::int32_t>& s = rep_segments[r];
  return s.empty() || segment_code == Dictionary::kNone ||
         std::binary_search(s.begin(), s.end(), segment_code);
}

bool PlanningInput::InCooldown(CustomerIndex c, RepIndex r, std::int32_t cooldown_days) const {
  if (cooldown_days <= 0) return false;
  for (std::uint32_t i = history_offset[c]; i < history_offset[c + 1]; ++i) {
    if (history[i].rep == r && history[i].until >= as_of - cooldown_days) return true;
  }
  return false;
}

absl::StatusOr<PlanningInput> MakePlanningInput(const Portfolio& portfolio,
                                                const StatusTable& status,
                                                const PlanningInputOptions& options) {
  if (status.size() != portfolio.customers().size()) {
    return absl::InvalidArgumentError(StrCat("status table has ", status.size(),
                                                   " customers, the portfolio ",
                                                   portfolio.customers().size()));
  }
  if (status.as_of == kNoDay) return absl::InvalidArgumentError("status table has no as-of date");
  if (options.value_window_days < 1) {
    return absl::InvalidArgumentError("value_window_days must be >= 1");
  }
  PlanningInput in;
  in.as_of = status.as_of;
  in.value_window_days = options.value_window_days;
  if (auto s = ReadReps(portfolio, in); !s.ok()) return s;
  if (auto s = ReadCustomers(portfolio, options, in); !s.ok()) return s;
  ReadAssignments(portfolio, in);
  ReadActivity(portfolio, in);
  in.status = status.status;
  in.days_since_last = status.days_since_last;
  in.threshold_days = status.threshold_days;
  if (const std::vector<double>* p_alive = status.Field("p_alive")) in.p_alive = *p_alive;
  return in;
}

}  // namespace carteira
