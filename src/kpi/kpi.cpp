#include "carteira/kpi/kpi.h"

#include <algorithm>
#include "absl/container/flat_hash_map.h"

#include "carteira/core/strings.h"
#include "src/core/radix_sort.h"
#include "src/kpi/kpi_internal.h"

namespace carteira {
namespace {

using internal::MoneyRatio;
using internal::Ratio;

constexpr std::uint32_t kNoGroup = 0xFFFFFFFFu;

bool ActiveStatus(Status s) {
  return s == Status::kNew || s == Status::kActive || s == Status::kAtRisk || s == Status::kReactivated;
}
bool LapsedStatus(Status s) { return s == Status::kInactive || s == Status::kLost; }

// Counters of one row before the ratios.
struct Tally {
  std::int64_t customers = 0, active_start = 0, active = 0, new_customers = 0, new_active = 0;
  std::int64_t retained = 0, churned = 0, lapsed_start = 0, reactivated = 0, buyers = 0, purchases = 0;
  MinorUnits revenue = 0;
  std::int64_t completed = 0, completed_days = 0;
  internal::NpsCounts nps;
  std::int64_t book_at_start = 0, moved = 0;
};

// Top-20% share and Gini of one group's positive revenues, given largest
// first. Sums are exact (128-bit) so that the result is the same on every
// machine and for every order of tied customers.
void Concentration(std::span<const MinorUnits> desc, KpiRow* row) {
  const size_t n = desc.size();
  if (n == 0) return;
  __int128 total = 0, weighted = 0;
  const size_t top = (n + 4) / 5;  // ceil(20% of n)
  __int128 top_sum = 0;
  for (size_t j = 0; j < n; ++j) {
    total += desc[j];
    if (j < top) top_sum += desc[j];
    // Ascending rank i = n - j (1-based).
    weighted += static_cast<__int128>(n - j) * desc[j];
  }
  const double t = static_cast<double>(total);
  row->top20_share = static_cast<double>(top_sum) / t;
  const double nd = static_cast<double>(n);
  row->gini = 2.0 * static_cast<double>(weighted) / (nd * t) - (nd + 1.0) / nd;
}

KpiRow Finish(const Tally& t, const PeriodActivity& a, const KpiOptions& options) {
  KpiRow r;
  r.customers = t.customers;
  r.active_start = t.active_start;
  r.active = t.active;
  r.new_customers = t.new_customers;
  r.new_active = t.new_active;
  r.retained = t.retained;
  r.churned = t.churned;
  r.lapsed_start = t.lapsed_start;
  r.reactivated = t.reactivated;
  r.buyers = t.buyers;
  r.purchases = t.purchases;
  r.revenue = t.revenue;
  r.retention_rate = Ratio(t.active - t.new_active, t.active_start);
  r.churn_rate = Ratio(t.churned, t.active_start);
  r.reactivation_rate = Ratio(t.reactivated, t.lapsed_start);
  r.average_ticket = MoneyRatio(t.revenue, t.purchases);
  r.revenue_per_customer = MoneyRatio(t.revenue, t.buyers);
  r.purchase_frequency = Ratio(t.purchases, t.buyers);
  r.lifetime_observed_days = Ratio(t.completed_days, t.completed);
  if (r.churn_rate && *r.churn_rate > 0) r.lifetime_from_churn_days = a.days() / *r.churn_rate;
  r.lifetime_model_days = options.model_lifetime_days;
  r.answers = t.nps.answers;
  r.promoters = t.nps.promoters;
  r.passives = t.nps.passives;
  r.detractors = t.nps.detractors;
  r.nps = t.nps.Nps();
  r.positivacao = Ratio(t.buyers, t.customers);
  r.book_at_start = t.book_at_start;
  r.moved = t.moved;
  r.giro = Ratio(t.moved, t.book_at_start);
  return r;
}

}  // namespace

std::string_view KpiGroupingName(KpiGrouping by) {
  switch (by) {
    case KpiGrouping::kRep:
      return "rep";
    case KpiGrouping::kSegment:
      return "segment";
    case KpiGrouping::kRegion:
      return "region";
    default:
      return "";
  }
}

std::optional<KpiGrouping> ParseKpiGrouping(std::string_view name) {
  for (KpiGrouping by : {KpiGrouping::kRep, KpiGrouping::kSegment, KpiGrouping::kRegion}) {
    if (KpiGroupingName(by) == name) return by;
  }
  return std::nullopt;
}

std::vector<RepIndex> RepsOn(const Portfolio& portfolio, DayNumber day) {
  const AssignmentTable& t = portfolio.assignments();
  std::vector<RepIndex> rep(portfolio.customers().size(), kNoRep);
  std::vector<DayNumber> since(rep.size(), kNoDay);
  for (size_t i = 0; i < t.size(); ++i) {
    const CustomerIndex c = t.customer[i];
    if (t.since[i] <= day && t.since[i] >= since[c]) {
      since[c] = t.since[i];
      rep[c] = t.rep[i];
    }
  }
  return rep;
}

absl::StatusOr<KpiReport> ComputeKpis(const Portfolio& portfolio, const PeriodActivity& a,
                                      const KpiOptions& options, KpiGrouping by) {
  const KpiGrouping one[] = {by};
  auto reports = ComputeKpis(portfolio, a, options, one);
  if (!reports.ok()) return reports.status();
  return std::move(reports->front());
}

absl::StatusOr<std::vector<KpiReport>> ComputeKpis(const Portfolio& portfolio, const PeriodActivity& a,
                                                   const KpiOptions& options,
                                                   std::span<const KpiGrouping> groupings) {
  const size_t n = portfolio.customers().size();
  if (a.customers.size() != n) {
    return absl::FailedPreconditionError(
        "the period activity was scanned from another portfolio (customer counts differ)");
  }
  if (groupings.empty()) return absl::InvalidArgumentError("no grouping asked for");
  const bool by_status = options.status_at_start != nullptr || options.status_at_end != nullptr;
  if (by_status) {
    if (options.status_at_start == nullptr || options.status_at_end == nullptr) {
      return absl::InvalidArgumentError("give both status tables (start and end) or neither");
    }
    if (options.status_at_start->size() != n || options.status_at_end->size() != n) {
      return absl::FailedPreconditionError("the status tables do not match the portfolio's customers");
    }
    if (options.status_at_start->as_of != a.from - 1 || options.status_at_end->as_of != a.to) {
      return absl::InvalidArgumentError(StrCat("the status tables must be as of ", FormatDate(a.from - 1),
                                               " (the eve of the period) and ", FormatDate(a.to)));
    }
  } else if (options.active_window_days < 0) {
    return absl::InvalidArgumentError(
        StrCat("the active window must not be negative, got ", options.active_window_days));
  }
  const std::vector<RepIndex> rep_start = RepsOn(portfolio, a.from - 1);
  const std::vector<RepIndex> rep_end = RepsOn(portfolio, a.to);

  // Per grouping: each customer's group, the labels, and the tallies (the
  // last slot of each is "no group").
  struct Grouping {
    KpiGrouping by;
    std::vector<std::uint32_t> group;
    std::vector<std::string> labels;
    std::vector<Tally> tally;
    size_t slots() const { return labels.size() + 1; }
    size_t Slot(std::uint32_t g) const { return g == kNoGroup ? labels.size() : g; }
  };
  std::vector<Grouping> grouped;
  for (KpiGrouping by : groupings) {
    if (by == KpiGrouping::kNone) continue;
    Grouping g{by, std::vector<std::uint32_t>(n, kNoGroup), {}, {}};
    if (by == KpiGrouping::kRep) {
      const RepTable& reps = portfolio.reps();
      for (size_t r = 0; r < reps.size(); ++r) g.labels.emplace_back(reps.id[r]);
      for (size_t c = 0; c < n; ++c) {
        if (rep_end[c] != kNoRep) g.group[c] = static_cast<std::uint32_t>(rep_end[c]);
      }
    } else {
      const StringColumn& field =
          by == KpiGrouping::kSegment ? portfolio.customers().segment : portfolio.customers().region;
      // Ids in order of appearance, then renumbered in byte order.
      absl::flat_hash_map<absl::string_view, std::uint32_t> ids;
      std::vector<std::string_view> values;
      for (size_t c = 0; c < n; ++c) {
        const std::string_view v = field[c];
        if (v.empty()) continue;
        const auto [it, inserted] = ids.try_emplace(AsAbsl(v), static_cast<std::uint32_t>(values.size()));
        if (inserted) values.push_back(v);
        g.group[c] = it->second;
      }
      std::vector<std::uint32_t> order(values.size());
      for (size_t k = 0; k < order.size(); ++k) order[k] = static_cast<std::uint32_t>(k);
      std::sort(order.begin(), order.end(), [&values](auto x, auto y) { return values[x] < values[y]; });
      std::vector<std::uint32_t> rank(values.size());
      for (size_t k = 0; k < order.size(); ++k) {
        rank[order[k]] = static_cast<std::uint32_t>(k);
        g.labels.emplace_back(values[order[k]]);
      }
      for (auto& x : g.group) {
        if (x != kNoGroup) x = rank[x];
      }
    }
    g.tally.resize(g.slots());
    grouped.push_back(std::move(g));
  }

  Tally all;
  const std::vector<std::int8_t> scores = internal::LatestScores(portfolio, a.from, a.to);
  const DayNumber eve = a.from - 1;
  const std::int32_t window = options.active_window_days;
  for (size_t c = 0; c < n; ++c) {
    const CustomerPeriod& s = a.customers[c];
    if (!internal::Exists(portfolio, c, a.to, s.first_purchase)) continue;
    bool active_start, active_end, lapsed_start;
    if (by_status) {
      active_start = ActiveStatus(options.status_at_start->status[c]);
      lapsed_start = LapsedStatus(options.status_at_start->status[c]);
      active_end = ActiveStatus(options.status_at_end->status[c]);
    } else {
      const bool had_before = s.last_before != kNoDay;
      active_start = had_before && eve - s.last_before <= window;
      lapsed_start = had_before && !active_start;
      active_end = s.last_by_end != kNoDay && a.to - s.last_by_end <= window;
    }
    const bool is_new = s.first_purchase != kNoDay && s.first_purchase >= a.from;
    const bool bought = s.purchases > 0;
    const bool completed = s.first_purchase != kNoDay && !active_end;
    const int score = scores.empty() ? -1 : scores[c];
    const bool had_rep = rep_start[c] != kNoRep;
    const bool moved = had_rep && rep_end[c] != rep_start[c];
    auto add = [&](Tally& t) {
      ++t.customers;
      t.active_start += active_start;
      t.active += active_end;
      t.new_customers += is_new;
      t.new_active += is_new && active_end;
      t.retained += active_start && active_end;
      t.churned += active_start && !active_end;
      t.lapsed_start += lapsed_start;
      t.reactivated += lapsed_start && bought;
      t.buyers += bought;
      t.purchases += s.purchases;
      t.revenue += s.revenue;
      if (completed) {
        ++t.completed;
        t.completed_days += s.last_by_end - s.first_purchase;
      }
      if (score >= 0) t.nps.Add(score);
    };
    add(all);
    all.book_at_start += had_rep;
    all.moved += moved;
    for (Grouping& g : grouped) {
      add(g.tally[g.Slot(g.group[c])]);
      if (!had_rep) continue;
      // Giro of a rep: its book on the eve of the period, and who left it;
      // of a segment or region: its customers who had a rep then.
      Tally& t = g.by == KpiGrouping::kRep ? g.tally[static_cast<size_t>(rep_start[c])] : g.tally[g.Slot(g.group[c])];
      ++t.book_at_start;
      t.moved += moved;
    }
  }

  // Revenue concentration: positive revenues largest first, sorted once;
  // each grouping then partitions them stably, so each group's slice is in
  // order too.
  std::vector<std::uint64_t> keys;
  std::vector<std::uint32_t> who;
  for (size_t c = 0; c < n; ++c) {
    if (a.customers[c].revenue > 0) {
      keys.push_back(~static_cast<std::uint64_t>(a.customers[c].revenue));
      who.push_back(static_cast<std::uint32_t>(c));
    }
  }
  std::vector<std::uint32_t> order;
  internal::SortRowsByKey(keys, order);
  std::vector<std::uint32_t> customer_of(order.size());
  std::vector<MinorUnits> sorted(order.size());
  for (size_t i = 0; i < order.size(); ++i) {
    customer_of[i] = who[order[i]];
    sorted[i] = a.customers[customer_of[i]].revenue;
  }
  KpiRow overall = Finish(all, a, options);
  Concentration(sorted, &overall);
  std::vector<KpiReport> reports;
  size_t next = 0;
  for (KpiGrouping by : groupings) {
    KpiReport report;
    report.from = a.from;
    report.to = a.to;
    report.by = by;
    report.active_by_status = by_status;
    report.active_window_days = options.active_window_days;
    report.overall = overall;
    if (by != KpiGrouping::kNone) {
      const Grouping& g = grouped[next++];
      std::vector<size_t> start(g.slots() + 1, 0);
      for (size_t i = 0; i < sorted.size(); ++i) ++start[g.Slot(g.group[customer_of[i]]) + 1];
      for (size_t k = 0; k < g.slots(); ++k) start[k + 1] += start[k];
      std::vector<MinorUnits> part(sorted.size());
      std::vector<size_t> at(start.begin(), start.end() - 1);
      for (size_t i = 0; i < sorted.size(); ++i) part[at[g.Slot(g.group[customer_of[i]])]++] = sorted[i];
      for (size_t k = 0; k < g.slots(); ++k) {
        const Tally& t = g.tally[k];
        const bool none = k + 1 == g.slots();
        if (none && t.customers == 0 && t.book_at_start == 0) continue;
        KpiRow row = Finish(t, a, options);
        if (none) {
          row.unassigned = true;
        } else {
          row.group = g.labels[k];
        }
        Concentration(std::span<const MinorUnits>(part).subspan(start[k], start[k + 1] - start[k]), &row);
        report.groups.push_back(std::move(row));
      }
    }
    reports.push_back(std::move(report));
  }
  return reports;
}

namespace internal {

std::vector<std::int8_t> LatestScores(const Portfolio& portfolio, DayNumber from, DayNumber to) {
  const SurveyTable& s = portfolio.surveys();
  std::vector<std::int8_t> score;
  std::vector<DayNumber> when;
  for (size_t i = 0; i < s.size(); ++i) {
    const DayNumber d = s.date[i];
    if (d < from || d > to) continue;
    if (score.empty()) {
      score.assign(portfolio.customers().size(), -1);
      when.assign(score.size(), kNoDay);
    }
    const CustomerIndex c = s.customer[i];
    if (d > when[c] || (d == when[c] && s.score[i] < score[c])) {
      when[c] = d;
      score[c] = s.score[i];
    }
  }
  return score;
}

}  // namespace internal
}  // namespace carteira
