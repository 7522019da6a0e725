#include "carteira/kpi/kpi.h"

#include <algorithm>

#include "carteira/core/strings.h"
#include "src/kpi/revenue_ranking.h"
#include "src/core/huge_pages.h"
#include "src/kpi/kpi_internal.h"
#include "src/portfolio/string_codes.h"

namespace carteira {
namespace {

using internal::MoneyRatio;
using internal::Ratio;

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

// What the counters need of a customer, as the bits of one small code: a
// group's counts are then a histogram of codes, one increment a customer
// (instead of a dozen counters), decoded once per group and code.
constexpr std::uint32_t kActiveStart = 1u << 0;
constexpr std::uint32_t kActiveEnd = 1u << 1;
constexpr std::uint32_t kLapsedStart = 1u << 2;
constexpr std::uint32_t kNew = 1u << 3;
constexpr std::uint32_t kBought = 1u << 4;
constexpr std::uint32_t kCompleted = 1u << 5;
constexpr int kNpsShift = 6;  // 2 bits: 0 no answer, 1 promoter, 2 passive, 3 detractor
constexpr std::uint32_t kHadRep = 1u << 8;
constexpr std::uint32_t kMoved = 1u << 9;
constexpr std::uint32_t kCodes = 1u << 10;

// Adds `count` customers of code `code` to t; the book figures too unless
// the grouping keeps them apart (by rep: the book on the eve).
void AddCode(Tally& t, std::uint32_t code, std::int64_t count, bool with_book) {
  const auto has = [code, count](std::uint32_t bit) { return (code & bit) != 0 ? count : 0; };
  t.customers += count;
  t.active_start += has(kActiveStart);
  t.active += has(kActiveEnd);
  t.new_customers += has(kNew);
  t.new_active += (code & kNew) && (code & kActiveEnd) ? count : 0;
  t.retained += (code & kActiveStart) && (code & kActiveEnd) ? count : 0;
  t.churned += (code & kActiveStart) && !(code & kActiveEnd) ? count : 0;
  t.lapsed_start += has(kLapsedStart);
  t.reactivated += (code & kLapsedStart) && (code & kBought) ? count : 0;
  t.buyers += has(kBought);
  t.completed += has(kCompleted);
  switch ((code >> kNpsShift) & 3) {
    case 1:
      t.nps.promoters += count;
      t.nps.answers += count;
      break;
    case 2:
      t.nps.passives += count;
      t.nps.answers += count;
      break;
    case 3:
      t.nps.detractors += count;
      t.nps.answers += count;
      break;
    default:
      break;
  }
  if (with_book) {
    t.book_at_start += has(kHadRep);
    t.moved += has(kMoved);
  }
}

// The money and day sums of a group, and its customers with positive revenue.
struct Sums {
  std::int64_t purchases = 0;
  MinorUnits revenue = 0;
  std::int64_t completed_days = 0;
  std::int64_t positive = 0;
};

// Top-20% share and Gini of one group, accumulated over its positive
// revenues taken largest first (the scan's ranking): with j the 0-based
// rank within the group, sum_i i x_(i) over the ascending order is
// n * sum x - sum j x. Sums are exact (128-bit), so the result is the same
// on every machine and for every order of tied customers.
struct Concentration {
  std::int64_t n = 0, seen = 0;
  __int128 total = 0, top_sum = 0, ranked = 0;  // ranked = sum j x_j
  void Add(MinorUnits x) {
    const std::int64_t j = seen++;
    total += x;
    ranked += static_cast<__int128>(j) * x;
    if (j < (n + 4) / 5) top_sum += x;  // ceil(20% of n)
  }
  void Finish(KpiRow* row) const {
    if (n == 0) return;
    const __int128 weighted = static_cast<__int128>(n) * total - ranked;
    const double t = static_cast<double>(total);
    row->top20_share = static_cast<double>(top_sum) / t;
    const double nd = static_cast<double>(n);
    row->gini = 2.0 * static_cast<double>(weighted) / (nd * t) - (nd + 1.0) / nd;
  }
};

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

namespace {

// Each customer's rep on the eve of the period and on its last day (as
// RepsOn), from one pass over the assignment rows; a customer's four
// fields share a cache line.
struct RepsAtBothEnds {
  DayNumber since_start = kNoDay;
  RepIndex start = kNoRep;
  DayNumber since_end = kNoDay;
  RepIndex end = kNoRep;
};

std::vector<RepsAtBothEnds> RepsOnBothEnds(const Portfolio& portfolio, DayNumber eve, DayNumber to) {
  const AssignmentTable& t = portfolio.assignments();
  std::vector<RepsAtBothEnds> reps;
  internal::ReserveOnHugePages(reps, portfolio.customers().size());
  reps.resize(portfolio.customers().size());
  for (size_t i = 0; i < t.size(); ++i) {
    RepsAtBothEnds& r = reps[t.customer[i]];
    const DayNumber since = t.since[i];
    if (since <= to && since >= r.since_end) {
      r.since_end = since;
      r.end = t.rep[i];
    }
    if (since <= eve && since >= r.since_start) {
      r.since_start = since;
      r.start = t.rep[i];
    }
  }
  return reps;
}

// One grouping's groups ("slots") and their counters.
struct Grouping {
  KpiGrouping by = KpiGrouping::kNone;
  std::vector<std::string> label;   // per slot
  std::uint32_t none = 0;           // the slot of the customers without a group
  std::vector<std::uint32_t> order;  // slots in report order, `none` last
  // The code histogram when it is small (slots x kCodes counters); with
  // many groups each customer is added to its tally directly instead.
  bool use_histogram = false;
  std::vector<std::uint32_t> histogram;
  std::vector<Tally> tally;
  std::vector<Sums> sums;
  std::vector<Concentration> concentration;
  // By rep, giro reads the book on the eve: counted apart, by that rep.
  std::vector<std::int64_t> book_at_start, moved;

  size_t slots() const { return label.size(); }
};

constexpr size_t kMaxHistogramSlots = 256;

// Each writes every customer's slot to slot[c * stride].
Grouping RepGrouping(const Portfolio& portfolio, const std::vector<RepsAtBothEnds>& reps, std::uint32_t* slot,
                     size_t stride) {
  Grouping g;
  g.by = KpiGrouping::kRep;
  const RepTable& table = portfolio.reps();
  for (size_t r = 0; r < table.size(); ++r) g.label.emplace_back(table.id[r]);
  g.none = static_cast<std::uint32_t>(table.size());
  g.label.emplace_back();
  for (size_t c = 0; c < reps.size(); ++c) {
    slot[c * stride] = reps[c].end == kNoRep ? g.none : static_cast<std::uint32_t>(reps[c].end);
  }
  for (std::uint32_t k = 0; k < g.slots(); ++k) g.order.push_back(k);
  g.book_at_start.assign(g.slots(), 0);
  g.moved.assign(g.slots(), 0);
  return g;
}

// Segment or region: slot 0 is "none", then the values in order of first
// appearance; the report lists them in byte order.
Grouping FieldGrouping(KpiGrouping by, const StringColumn& field, std::uint32_t* slot, size_t stride) {
  Grouping g;
  g.by = by;
  g.none = 0;
  g.label.emplace_back();
  for (const std::string_view v : internal::CodeStrings(field, slot, stride)) g.label.emplace_back(v);
  for (std::uint32_t k = 1; k < g.slots(); ++k) g.order.push_back(k);
  std::sort(g.order.begin(), g.order.end(), [&g](auto x, auto y) { return g.label[x] < g.label[y]; });
  g.order.push_back(g.none);
  return g;
}

}  // namespace

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
  const std::vector<RepsAtBothEnds> reps = RepsOnBothEnds(portfolio, a.from - 1, a.to);

  // One Grouping per kind asked for (a kind asked twice is computed once),
  // and each customer's slot in every grouping, side by side: the
  // concentration pass below looks them up in ranking order, one cache
  // line a customer instead of one per grouping.
  std::vector<KpiGrouping> kinds;
  for (KpiGrouping by : groupings) {
    if (by != KpiGrouping::kNone && std::find(kinds.begin(), kinds.end(), by) == kinds.end()) kinds.push_back(by);
  }
  const size_t k_groupings = kinds.size();
  std::vector<std::uint32_t> slots;
  internal::ReserveOnHugePages(slots, n * k_groupings);
  slots.resize(n * k_groupings);
  std::vector<Grouping> grouped;
  for (size_t k = 0; k < k_groupings; ++k) {
    const KpiGrouping by = kinds[k];
    if (by == KpiGrouping::kRep) {
      grouped.push_back(RepGrouping(portfolio, reps, slots.data() + k, k_groupings));
    } else {
      const CustomerTable& customers = portfolio.customers();
      grouped.push_back(FieldGrouping(by, by == KpiGrouping::kSegment ? customers.segment : customers.region,
                                      slots.data() + k, k_groupings));
    }
    Grouping& g = grouped.back();
    g.use_histogram = g.slots() <= kMaxHistogramSlots;
    if (g.use_histogram) g.histogram.assign(g.slots() * kCodes, 0);
    g.tally.resize(g.slots());
    g.sums.resize(g.slots());
    g.concentration.resize(g.slots());
  }
  auto find = [&grouped](KpiGrouping by) -> Grouping* {
    for (Grouping& g : grouped) {
      if (g.by == by) return &g;
    }
    return nullptr;
  };
  // Raw pointers for the loops (the compiler cannot tell that the counters'
  // stores leave the Grouping objects alone, and reloads them otherwise).
  struct Counters {
    std::uint32_t* histogram;  // null: add to the tallies directly
    Tally* tally;
    Sums* sums;
    Concentration* concentration;
    std::int64_t* book_at_start;  // by rep only
    std::int64_t* moved;
    bool with_book;
  };
  std::vector<Counters> counters;
  for (Grouping& g : grouped) {
    const bool by_rep = g.by == KpiGrouping::kRep;
    counters.push_back({g.use_histogram ? g.histogram.data() : nullptr, g.tally.data(), g.sums.data(),
                        g.concentration.data(), by_rep ? g.book_at_start.data() : nullptr,
                        by_rep ? g.moved.data() : nullptr, !by_rep});
  }

  std::vector<std::uint32_t> all_histogram(kCodes, 0);
  Sums all_sums;
  const std::vector<std::int8_t> scores = internal::LatestScores(portfolio, a.from, a.to);
  const DayNumber eve = a.from - 1;
  const std::int32_t window = options.active_window_days;
  const std::vector<DayNumber>& created_at = portfolio.customers().created_at;
  for (size_t c = 0; c < n; ++c) {
    const CustomerPeriod& s = a.customers[c];
    // internal::Exists, with the column at hand.
    if (created_at[c] != kNoDay && created_at[c] > a.to && s.first_purchase == kNoDay) continue;
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
    const bool completed = s.first_purchase != kNoDay && !active_end;
    const int score = scores.empty() ? -1 : scores[c];
    const std::uint32_t nps = score < 0 ? 0 : score >= 9 ? 1 : score >= 7 ? 2 : 3;
    const RepsAtBothEnds& r = reps[c];
    const bool had_rep = r.start != kNoRep;
    const bool moved = had_rep && r.end != r.start;
    const std::uint32_t code = (active_start ? kActiveStart : 0u) | (active_end ? kActiveEnd : 0u) |
                               (lapsed_start ? kLapsedStart : 0u) | (is_new ? kNew : 0u) |
                               (s.purchases > 0 ? kBought : 0u) | (completed ? kCompleted : 0u) |
                               nps << kNpsShift | (had_rep ? kHadRep : 0u) | (moved ? kMoved : 0u);
    const std::int64_t completed_days = completed ? s.last_by_end - s.first_purchase : 0;
    const bool positive = s.revenue > 0;
    ++all_histogram[code];
    all_sums.purchases += s.purchases;
    all_sums.revenue += s.revenue;
    all_sums.completed_days += completed_days;
    all_sums.positive += positive;
    const std::uint32_t* slot = slots.data() + c * k_groupings;
    for (size_t k = 0; k < k_groupings; ++k) {
      const Counters& g = counters[k];
      if (g.histogram != nullptr) {
        ++g.histogram[slot[k] * kCodes + code];
      } else {
        AddCode(g.tally[slot[k]], code, 1, g.with_book);
      }
      Sums& sums = g.sums[slot[k]];
      sums.purchases += s.purchases;
      sums.revenue += s.revenue;
      sums.completed_days += completed_days;
      sums.positive += positive;
      if (g.book_at_start != nullptr && had_rep) {
        ++g.book_at_start[static_cast<size_t>(r.start)];
        g.moved[static_cast<size_t>(r.start)] += moved;
      }
    }
  }

  // Revenue concentration from the scan's ranking (largest first), each
  // group's part of it in the same order. A hand-made activity without
  // the ranking gets one here.
  std::vector<RankedRevenue> own_ranking;
  std::span<const RankedRevenue> ranking = a.by_revenue;
  if (ranking.size() != static_cast<size_t>(all_sums.positive)) {
    for (size_t c = 0; c < n; ++c) {
      if (a.customers[c].revenue > 0) own_ranking.push_back({static_cast<CustomerIndex>(c), a.customers[c].revenue});
    }
    internal::RankByRevenue(own_ranking);
    ranking = own_ranking;
  }
  Concentration all_concentration;
  all_concentration.n = all_sums.positive;
  for (Grouping& g : grouped) {
    for (size_t k = 0; k < g.slots(); ++k) g.concentration[k].n = g.sums[k].positive;
  }
  // The slot lookups are random (ranking order is not customer order):
  // fetched a few customers ahead so that the misses overlap.
  constexpr size_t kAhead = 16;
  for (size_t i = 0; i < ranking.size(); ++i) {
    if (i + kAhead < ranking.size()) __builtin_prefetch(slots.data() + ranking[i + kAhead].customer * k_groupings);
    const RankedRevenue& r = ranking[i];
    all_concentration.Add(r.revenue);
    const std::uint32_t* slot = slots.data() + size_t{r.customer} * k_groupings;
    for (size_t k = 0; k < k_groupings; ++k) counters[k].concentration[slot[k]].Add(r.revenue);
  }

  auto finish = [&a, &options](Tally& t, const Sums& sums) {
    t.purchases = sums.purchases;
    t.revenue = sums.revenue;
    t.completed_days = sums.completed_days;
    return Finish(t, a, options);
  };
  Tally all;
  for (std::uint32_t code = 0; code < kCodes; ++code) {
    if (all_histogram[code] != 0) AddCode(all, code, all_histogram[code], true);
  }
  KpiRow overall = finish(all, all_sums);
  all_concentration.Finish(&overall);
  for (Grouping& g : grouped) {
    const bool by_rep = g.by == KpiGrouping::kRep;
    for (size_t k = 0; k < g.slots(); ++k) {
      Tally& t = g.tally[k];
      if (g.use_histogram) {
        const std::uint32_t* h = g.histogram.data() + k * kCodes;
        for (std::uint32_t code = 0; code < kCodes; ++code) {
          if (h[code] != 0) AddCode(t, code, h[code], !by_rep);
        }
      }
      if (by_rep) {
        t.book_at_start = g.book_at_start[k];
        t.moved = g.moved[k];
      }
    }
  }

  std::vector<KpiReport> reports;
  for (KpiGrouping by : groupings) {
    KpiReport report;
    report.from = a.from;
    report.to = a.to;
    report.by = by;
    report.active_by_status = by_status;
    report.active_window_days = options.active_window_days;
    report.overall = overall;
    if (by != KpiGrouping::kNone) {
      Grouping& g = *find(by);
      for (const std::uint32_t k : g.order) {
        Tally t = g.tally[k];
        const bool none = k == g.none;
        if (none && t.customers == 0 && t.book_at_start == 0) continue;
        KpiRow row = finish(t, g.sums[k]);
        if (none) {
          row.unassigned = true;
        } else {
          row.group = g.label[k];
        }
        g.concentration[k].Finish(&row);
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
