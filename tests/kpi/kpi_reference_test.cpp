// The fast period scan, KPIs, ABC classes and quintile scores against
// plain reference implementations (the straightforward code they replaced:
// one random-access pass a row, one tally a customer and grouping, a sort
// per grouping), on random portfolios of a few thousand customers: skewed
// customers, returns, amounts beyond int32, dates far apart and after the
// period, ties in assignments, several answers a day, empty and many
// distinct segment values, long periods (no month bits) and one-day ones.
#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <limits>
#include <map>
#include <random>
#include <string>

#include "carteira/kpi/cohort.h"
#include "carteira/core/strings.h"
#include "carteira/kpi/kpi.h"
#include "carteira/segments/abc.h"
#include "carteira/segments/rfm.h"
#include "carteira/summary/customer_summary.h"
#include "src/kpi/kpi_internal.h"

namespace carteira {
namespace {

// ---- reference implementations -------------------------------------------

PeriodActivity RefScanPeriod(const Portfolio& portfolio, DayNumber from, DayNumber to) {
  PeriodActivity a;
  a.from = from;
  a.to = to;
  const Date first = ToDate(from), last = ToDate(to);
  const int months = (last.year() - first.year()) * 12 + (last.month() - first.month()) + 1;
  if (months <= kMaxCohortMonths) {
    for (int k = 0; k < months; ++k) {
      int y = first.year() + (first.month() - 1 + k) / 12;
      int m = (first.month() - 1 + k) % 12 + 1;
      a.month_start.push_back(DaysFromCivil(y, static_cast<unsigned>(m), 1));
    }
  }
  auto month_of = [&a](DayNumber d) {
    int k = 0;
    while (k + 1 < static_cast<int>(a.month_start.size()) && a.month_start[k + 1] <= d) ++k;
    return k;
  };
  a.customers.assign(portfolio.customers().size(), CustomerPeriod{});
  const TransactionTable& t = portfolio.transactions();
  for (size_t i = 0; i < t.size(); ++i) {
    const DayNumber d = t.date[i];
    const MinorUnits m = t.amount[i];
    if (d > to) continue;
    CustomerPeriod& s = a.customers[t.customer[i]];
    if (d >= from) s.revenue += m;
    if (m < 0) continue;
    if (s.first_purchase == kNoDay || d < s.first_purchase) s.first_purchase = d;
    if (s.last_by_end == kNoDay || d > s.last_by_end) s.last_by_end = d;
    if (d < from) {
      if (s.last_before == kNoDay || d > s.last_before) s.last_before = d;
    } else {
      ++s.purchases;
      if (!a.month_start.empty()) s.months |= std::uint64_t{1} << month_of(d);
    }
  }
  // Month bits are kept for the cohort members (first purchase in the period).
  for (CustomerPeriod& s : a.customers) {
    if (s.first_purchase == kNoDay || s.first_purchase < from) s.months = 0;
  }
  return a;
}

std::vector<RepIndex> RefRepsOn(const Portfolio& portfolio, DayNumber day) {
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

// Each customer's latest answer in [from, to], the lowest on a tie; -1 without.
std::vector<int> RefLatestScores(const Portfolio& p, DayNumber from, DayNumber to) {
  const SurveyTable& s = p.surveys();
  std::vector<int> score(p.customers().size(), -1);
  std::vector<DayNumber> when(score.size(), kNoDay);
  for (size_t i = 0; i < s.size(); ++i) {
    const DayNumber d = s.date[i];
    const CustomerIndex c = s.customer[i];
    if (d < from || d > to) continue;
    if (d > when[c] || (d == when[c] && s.score[i] < score[c])) {
      when[c] = d;
      score[c] = s.score[i];
    }
  }
  return score;
}

struct RefTally {
  std::int64_t customers = 0, active_start = 0, active = 0, new_customers = 0, new_active = 0;
  std::int64_t retained = 0, churned = 0, lapsed_start = 0, reactivated = 0, buyers = 0, purchases = 0;
  MinorUnits revenue = 0;
  std::int64_t completed = 0, completed_days = 0;
  internal::NpsCounts nps;
  std::int64_t book_at_start = 0, moved = 0;
  std::vector<MinorUnits> positive;  // revenues > 0, for the concentration
};

KpiRow RefFinish(RefTally& t, const PeriodActivity& a, const KpiOptions& options) {
  using internal::MoneyRatio;
  using internal::Ratio;
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
  // Concentration straight from the definition: sorted ascending.
  std::sort(t.positive.begin(), t.positive.end());
  const size_t n = t.positive.size();
  if (n > 0) {
    __int128 total = 0, weighted = 0, top = 0;
    for (size_t i = 0; i < n; ++i) {
      total += t.positive[i];
      weighted += static_cast<__int128>(i + 1) * t.positive[i];
      if (i >= n - (n + 4) / 5) top += t.positive[i];
    }
    const double td = static_cast<double>(total), nd = static_cast<double>(n);
    r.top20_share = static_cast<double>(top) / td;
    r.gini = 2.0 * static_cast<double>(weighted) / (nd * td) - (nd + 1.0) / nd;
  }
  return r;
}

bool RefActiveStatus(Status s) {
  return s == Status::kNew || s == Status::kActive || s == Status::kAtRisk || s == Status::kReactivated;
}

std::vector<KpiReport> RefComputeKpis(const Portfolio& p, const PeriodActivity& a, const KpiOptions& options,
                                      std::span<const KpiGrouping> groupings) {
  const size_t n = p.customers().size();
  const bool by_status = options.status_at_start != nullptr;
  const std::vector<RepIndex> rep_start = RefRepsOn(p, a.from - 1), rep_end = RefRepsOn(p, a.to);
  const std::vector<int> scores = RefLatestScores(p, a.from, a.to);
  // Group of each customer per grouping as a label; std::map keeps byte order.
  std::vector<KpiReport> reports;
  for (KpiGrouping by : groupings) {
    RefTally all;
    std::map<std::string, RefTally> groups;  // byte order
    std::vector<RefTally> reps(p.reps().size());
    RefTally none;
    // Every value of the field has a row, even when none of its customers
    // counts (created after the period).
    if (by == KpiGrouping::kSegment || by == KpiGrouping::kRegion) {
      for (size_t c = 0; c < n; ++c) {
        const std::string_view v = by == KpiGrouping::kSegment ? p.customers().segment[c] : p.customers().region[c];
        if (!v.empty()) groups[std::string(v)];
      }
    }
    auto tally_of = [&](size_t c, bool at_start) -> RefTally& {
      if (by == KpiGrouping::kRep) {
        const RepIndex r = at_start ? rep_start[c] : rep_end[c];
        return r == kNoRep ? none : reps[static_cast<size_t>(r)];
      }
      const std::string_view v = by == KpiGrouping::kSegment ? p.customers().segment[c] : p.customers().region[c];
      return v.empty() ? none : groups[std::string(v)];
    };
    for (size_t c = 0; c < n; ++c) {
      const CustomerPeriod& s = a.customers[c];
      if (!internal::Exists(p, c, a.to, s.first_purchase)) continue;
      bool active_start, active_end, lapsed_start;
      if (by_status) {
        const Status st = options.status_at_start->status[c];
        active_start = RefActiveStatus(st);
        lapsed_start = st == Status::kInactive || st == Status::kLost;
        active_end = RefActiveStatus(options.status_at_end->status[c]);
      } else {
        active_start = s.last_before != kNoDay && a.from - 1 - s.last_before <= options.active_window_days;
        lapsed_start = s.last_before != kNoDay && !active_start;
        active_end = s.last_by_end != kNoDay && a.to - s.last_by_end <= options.active_window_days;
      }
      const bool is_new = s.first_purchase != kNoDay && s.first_purchase >= a.from;
      const bool bought = s.purchases > 0;
      const bool had_rep = rep_start[c] != kNoRep;
      const bool moved = had_rep && rep_end[c] != rep_start[c];
      auto add = [&](RefTally& t) {
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
        if (s.first_purchase != kNoDay && !active_end) {
          ++t.completed;
          t.completed_days += s.last_by_end - s.first_purchase;
        }
        if (scores[c] >= 0) t.nps.Add(scores[c]);
        if (s.revenue > 0) t.positive.push_back(s.revenue);
      };
      add(all);
      all.book_at_start += had_rep;
      all.moved += moved;
      if (by == KpiGrouping::kNone) continue;
      add(tally_of(c, false));
      if (had_rep) {
        RefTally& t = tally_of(c, by == KpiGrouping::kRep);
        ++t.book_at_start;
        t.moved += moved;
      }
    }
    KpiReport report;
    report.from = a.from;
    report.to = a.to;
    report.by = by;
    report.active_by_status = by_status;
    report.active_window_days = options.active_window_days;
    report.overall = RefFinish(all, a, options);
    if (by == KpiGrouping::kRep) {
      for (size_t r = 0; r < reps.size(); ++r) {
        report.groups.push_back(RefFinish(reps[r], a, options));
        report.groups.back().group = std::string(p.reps().id[r]);
      }
    } else if (by != KpiGrouping::kNone) {
      for (auto& [label, t] : groups) {
        report.groups.push_back(RefFinish(t, a, options));
        report.groups.back().group = label;
      }
    }
    if (by != KpiGrouping::kNone && (none.customers > 0 || none.book_at_start > 0)) {
      report.groups.push_back(RefFinish(none, a, options));
      report.groups.back().unassigned = true;
    }
    reports.push_back(std::move(report));
  }
  return reports;
}

// ---- random portfolios -----------------------------------------------------

struct Scenario {
  Portfolio portfolio;
  DayNumber from, to;
};

Scenario MakeScenario(std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  auto pick = [&rng](std::uint64_t n) { return n == 0 ? 0 : rng() % n; };
  Scenario sc;
  Portfolio& p = sc.portfolio;
  const size_t n = 1 + pick(6000);
  const DayNumber base = DaysFromCivil(2015, 1, 1);
  const DayNumber span = 200 + static_cast<DayNumber>(pick(3000));
  // Few distinct values, or many (more than any small table holds).
  const size_t distinct = pick(3) == 0 ? 400 : 1 + pick(6);
  std::vector<std::string> ids(n), segments(n), regions(n);
  std::vector<DayNumber> created(n, kNoDay);
  for (size_t c = 0; c < n; ++c) {
    ids[c] = "C" + std::to_string(c);
    if (pick(5) != 0) segments[c] = "seg" + std::to_string(pick(distinct));
    // Lengths around 8 and 16 bytes, and long values that differ after a
    // shared 16-byte prefix only.
    if (pick(4) != 0) {
      regions[c] = pick(3) == 0 ? "Regiao Metropolitana de " + std::to_string(pick(distinct))
                                : std::string(1 + pick(20), static_cast<char>('a' + pick(distinct % 26 + 1)));
    }
    if (pick(3) == 0) created[c] = base + static_cast<DayNumber>(pick(static_cast<std::uint64_t>(span) + 400));
  }
  std::vector<std::string_view> id_v(ids.begin(), ids.end()), seg_v(segments.begin(), segments.end()),
      reg_v(regions.begin(), regions.end());
  CustomerColumns cc;
  cc.id = id_v;
  cc.segment = seg_v;
  cc.region = reg_v;
  cc.created_at = created;
  EXPECT_TRUE(p.AppendCustomers(cc).ok());
  const size_t reps = pick(40);
  std::vector<std::string> rep_ids(reps);
  for (size_t r = 0; r < reps; ++r) rep_ids[r] = "R" + std::to_string(r);
  std::vector<std::string_view> rep_v(rep_ids.begin(), rep_ids.end());
  if (reps > 0) {
    RepColumns rc;
    rc.id = rep_v;
    EXPECT_TRUE(p.AppendReps(rc).ok());
  }
  const size_t rows = pick(60000);
  std::vector<CustomerIndex> tc(rows);
  std::vector<DayNumber> td(rows);
  std::vector<MinorUnits> ta(rows);
  const size_t heavy = 1 + pick(5);
  for (size_t i = 0; i < rows; ++i) {
    // A few heavy customers take a large share of the rows.
    tc[i] = static_cast<CustomerIndex>(pick(4) == 0 ? pick(heavy) : pick(n));
    td[i] = base + static_cast<DayNumber>(pick(static_cast<std::uint64_t>(span)));
    if (pick(500) == 0) td[i] = DaysFromCivil(1901, 3, 1) + static_cast<DayNumber>(pick(1000));  // far back
    MinorUnits m = static_cast<MinorUnits>(pick(100000));
    if (pick(50) == 0) m = 0;
    if (pick(30) == 0) m = -m / 3;
    if (pick(400) == 0) m = (pick(2) ? 1 : -1) * (static_cast<MinorUnits>(1) << 33) + static_cast<MinorUnits>(pick(999));
    if (pick(700) == 0) m = std::numeric_limits<std::int32_t>::max();
    if (pick(700) == 0) m = std::numeric_limits<std::int32_t>::min();
    ta[i] = m;
  }
  EXPECT_TRUE(p.AppendTransactions({tc, td, ta, {}, {}, {}}).ok());
  if (reps > 0) {
    const size_t moves = pick(3 * n);
    std::vector<CustomerIndex> ac(moves);
    std::vector<RepIndex> ar(moves);
    std::vector<DayNumber> as(moves);
    for (size_t i = 0; i < moves; ++i) {
      ac[i] = static_cast<CustomerIndex>(pick(n));
      ar[i] = static_cast<RepIndex>(pick(reps));
      as[i] = base + static_cast<DayNumber>(pick(40)) * (span / 40);  // coarse: many ties
    }
    AssignmentColumns acol;
    acol.customer = ac;
    acol.rep = ar;
    acol.since = as;
    EXPECT_TRUE(p.AppendAssignments(acol).ok());
  }
  const size_t answers = pick(2 * n);
  std::vector<CustomerIndex> sc_c(answers);
  std::vector<DayNumber> sc_d(answers);
  std::vector<std::int32_t> sc_s(answers);
  for (size_t i = 0; i < answers; ++i) {
    sc_c[i] = static_cast<CustomerIndex>(pick(n));
    sc_d[i] = base + static_cast<DayNumber>(pick(static_cast<std::uint64_t>(span) / 8 + 1)) * 8;
    sc_s[i] = static_cast<std::int32_t>(pick(11));
  }
  if (answers > 0) {
    SurveyColumns scol;
    scol.customer = sc_c;
    scol.date = sc_d;
    scol.score = sc_s;
    EXPECT_TRUE(p.AppendSurveyAnswers(scol).ok());
  }
  switch (pick(4)) {
    case 0:  // one day
      sc.from = sc.to = base + static_cast<DayNumber>(pick(static_cast<std::uint64_t>(span)));
      break;
    case 1:  // beyond the cohort matrix's 64 months, or from before any data
      sc.from = base - static_cast<DayNumber>(pick(3000));
      sc.to = base + static_cast<DayNumber>(pick(static_cast<std::uint64_t>(span) + 100));
      break;
    default:
      sc.to = base + static_cast<DayNumber>(pick(static_cast<std::uint64_t>(span) + 200));
      sc.from = sc.to - static_cast<DayNumber>(pick(800));
  }
  return sc;
}

// ---- comparisons -------------------------------------------------------------

// Doubles compare bit for bit: the fast path promises the same results.
template <typename T>
void ExpectSame(const std::optional<T>& x, const std::optional<T>& y, const char* what, const std::string& where) {
  ASSERT_EQ(x.has_value(), y.has_value()) << what << " " << where;
  if (!x) return;
  if constexpr (std::is_same_v<T, double>) {
    EXPECT_EQ(std::bit_cast<std::uint64_t>(*x), std::bit_cast<std::uint64_t>(*y)) << what << " " << where << ": " << *x << " vs " << *y;
  } else {
    EXPECT_EQ(*x, *y) << what << " " << where;
  }
}

void ExpectSameRow(const KpiRow& x, const KpiRow& y, const std::string& where) {
  EXPECT_EQ(x.group, y.group) << where;
  EXPECT_EQ(x.unassigned, y.unassigned) << where;
#define CARTEIRA_SAME(f) EXPECT_EQ(x.f, y.f) << #f << " " << where
  CARTEIRA_SAME(customers);
  CARTEIRA_SAME(active_start);
  CARTEIRA_SAME(active);
  CARTEIRA_SAME(new_customers);
  CARTEIRA_SAME(new_active);
  CARTEIRA_SAME(retained);
  CARTEIRA_SAME(churned);
  CARTEIRA_SAME(lapsed_start);
  CARTEIRA_SAME(reactivated);
  CARTEIRA_SAME(buyers);
  CARTEIRA_SAME(purchases);
  CARTEIRA_SAME(revenue);
  CARTEIRA_SAME(answers);
  CARTEIRA_SAME(promoters);
  CARTEIRA_SAME(passives);
  CARTEIRA_SAME(detractors);
  CARTEIRA_SAME(book_at_start);
  CARTEIRA_SAME(moved);
#undef CARTEIRA_SAME
#define CARTEIRA_SAME_OPT(f) ExpectSame(x.f, y.f, #f, where)
  CARTEIRA_SAME_OPT(retention_rate);
  CARTEIRA_SAME_OPT(churn_rate);
  CARTEIRA_SAME_OPT(reactivation_rate);
  CARTEIRA_SAME_OPT(average_ticket);
  CARTEIRA_SAME_OPT(revenue_per_customer);
  CARTEIRA_SAME_OPT(purchase_frequency);
  CARTEIRA_SAME_OPT(lifetime_observed_days);
  CARTEIRA_SAME_OPT(lifetime_from_churn_days);
  CARTEIRA_SAME_OPT(lifetime_model_days);
  CARTEIRA_SAME_OPT(nps);
  CARTEIRA_SAME_OPT(positivacao);
  CARTEIRA_SAME_OPT(giro);
  CARTEIRA_SAME_OPT(top20_share);
  CARTEIRA_SAME_OPT(gini);
#undef CARTEIRA_SAME_OPT
}

class FastPathMatchesReference : public ::testing::TestWithParam<int> {};

void ExpectSameActivity(const PeriodActivity& a, const PeriodActivity& ref) {
  EXPECT_EQ(a.month_start, ref.month_start);
  ASSERT_EQ(a.customers.size(), ref.customers.size());
  for (size_t c = 0; c < ref.customers.size(); ++c) {
    const CustomerPeriod &x = a.customers[c], &y = ref.customers[c];
    ASSERT_EQ(x.first_purchase, y.first_purchase) << c;
    ASSERT_EQ(x.last_before, y.last_before) << c;
    ASSERT_EQ(x.last_by_end, y.last_by_end) << c;
    ASSERT_EQ(x.purchases, y.purchases) << c;
    ASSERT_EQ(x.revenue, y.revenue) << c;
    ASSERT_EQ(x.months, y.months) << c;
  }
  // The revenue ranking: every positive revenue, largest first, ties by index.
  std::vector<std::pair<MinorUnits, CustomerIndex>> expected;
  for (size_t c = 0; c < ref.customers.size(); ++c) {
    if (ref.customers[c].revenue > 0) expected.emplace_back(-ref.customers[c].revenue, static_cast<CustomerIndex>(c));
  }
  std::sort(expected.begin(), expected.end());
  ASSERT_EQ(a.by_revenue.size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    ASSERT_EQ(a.by_revenue[i].customer, expected[i].second) << i;
    ASSERT_EQ(a.by_revenue[i].revenue, -expected[i].first) << i;
  }
}

TEST_P(FastPathMatchesReference, PeriodScan) {
  const Scenario sc = MakeScenario(1000 + GetParam());
  const PeriodActivity ref = RefScanPeriod(sc.portfolio, sc.from, sc.to);
  auto a = ScanPeriod(sc.portfolio, sc.from, sc.to);
  ASSERT_TRUE(a.ok()) << a.status();
  ExpectSameActivity(*a, ref);
  // From the summary as of the period's end: the same activity.
  SummaryOptions options;
  options.as_of = ToDate(sc.to);
  auto summary = Summarize(sc.portfolio, options);
  ASSERT_TRUE(summary.ok());
  auto from_summary = ScanPeriod(sc.portfolio, *summary, sc.from, sc.to);
  ASSERT_TRUE(from_summary.ok()) << from_summary.status();
  ExpectSameActivity(*from_summary, ref);
  // The cohort matrix from it equals the one from the reference scan.
  auto m = CohortRetention(*a);
  auto m_ref = CohortRetention(ref);
  ASSERT_EQ(m.ok(), m_ref.ok());
  if (m.ok()) {
    EXPECT_EQ(m->size, m_ref->size);
    EXPECT_EQ(m->buyers, m_ref->buyers);
  }
}

TEST(PeriodScanFromSummary, RefusesASummaryOfAnotherDay) {
  Portfolio p;
  ASSERT_TRUE(p.AddTransactions(std::vector<Transaction>{{"A", ToDate(DaysFromCivil(2025, 1, 5)), 100, "", "", "", {}}}).ok());
  SummaryOptions options;
  options.as_of = ToDate(DaysFromCivil(2025, 1, 31));
  auto summary = Summarize(p, options);
  ASSERT_TRUE(summary.ok());
  auto a = ScanPeriod(p, *summary, DaysFromCivil(2025, 1, 1), DaysFromCivil(2025, 1, 30));
  EXPECT_EQ(a.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(ScanPeriod(p, *summary, DaysFromCivil(2025, 1, 1), DaysFromCivil(2025, 1, 31)).ok());
}

TEST_P(FastPathMatchesReference, KpisEveryGrouping) {
  const Scenario sc = MakeScenario(2000 + GetParam());
  auto a = ScanPeriod(sc.portfolio, sc.from, sc.to);
  ASSERT_TRUE(a.ok()) << a.status();
  std::mt19937_64 rng(GetParam());
  KpiOptions options;
  options.active_window_days = static_cast<std::int32_t>(rng() % 400);
  if (rng() % 3 == 0) options.model_lifetime_days = 123.5;
  StatusTable start, end;
  if (rng() % 3 == 0) {
    start.as_of = sc.from - 1;
    end.as_of = sc.to;
    for (size_t c = 0; c < sc.portfolio.customers().size(); ++c) {
      start.status.push_back(static_cast<Status>(rng() % kStatusCount));
      end.status.push_back(static_cast<Status>(rng() % kStatusCount));
    }
    options.status_at_start = &start;
    options.status_at_end = &end;
  }
  const std::vector<std::vector<KpiGrouping>> sets = {
      {KpiGrouping::kNone},
      {KpiGrouping::kRep},
      {KpiGrouping::kSegment},
      {KpiGrouping::kRegion},
      {KpiGrouping::kRep, KpiGrouping::kSegment, KpiGrouping::kRegion},
      {KpiGrouping::kRegion, KpiGrouping::kNone, KpiGrouping::kRegion, KpiGrouping::kRep}};
  for (const auto& set : sets) {
    auto fast = ComputeKpis(sc.portfolio, *a, options, set);
    ASSERT_TRUE(fast.ok()) << fast.status();
    const auto ref = RefComputeKpis(sc.portfolio, *a, options, set);
    ASSERT_EQ(fast->size(), ref.size());
    for (size_t k = 0; k < ref.size(); ++k) {
      const KpiReport &x = (*fast)[k], &y = ref[k];
      const std::string where = StrCat("seed ", GetParam(), " grouping ", KpiGroupingName(y.by));
      EXPECT_EQ(x.by, y.by);
      EXPECT_EQ(x.active_by_status, y.active_by_status);
      ExpectSameRow(x.overall, y.overall, where + " overall");
      ASSERT_EQ(x.groups.size(), y.groups.size()) << where;
      for (size_t g = 0; g < y.groups.size(); ++g) ExpectSameRow(x.groups[g], y.groups[g], StrCat(where, " group ", g));
    }
  }
  // Each day's reps, as the public RepsOn gives them.
  for (DayNumber day : {sc.from - 1, sc.to, sc.from + 17}) {
    EXPECT_EQ(RepsOn(sc.portfolio, day), RefRepsOn(sc.portfolio, day));
  }
}

TEST_P(FastPathMatchesReference, AbcFromTheScanEqualsAbcFromTheRevenues) {
  const Scenario sc = MakeScenario(3000 + GetParam());
  auto a = ScanPeriod(sc.portfolio, sc.from, sc.to);
  ASSERT_TRUE(a.ok());
  std::vector<MinorUnits> revenue;
  for (const CustomerPeriod& s : a->customers) revenue.push_back(s.revenue);
  AbcOptions options;
  options.a_share = 0.5 + 0.05 * (GetParam() % 8);
  options.b_share = (1 - options.a_share) / 2;
  auto from_scan = ClassifyAbc(*a, options);
  auto from_revenue = ClassifyAbc(revenue, options);
  ASSERT_TRUE(from_scan.ok() && from_revenue.ok());
  EXPECT_EQ(from_scan->klass, from_revenue->klass);
  EXPECT_EQ(from_scan->total, from_revenue->total);
  EXPECT_EQ(from_scan->customers, from_revenue->customers);
  EXPECT_EQ(from_scan->revenue, from_revenue->revenue);
  // And both equal the definition: groups of tied revenues, largest first,
  // classed by the cumulative revenue before the group.
  std::vector<MinorUnits> positive;
  MinorUnits total = 0;
  for (MinorUnits r : revenue) {
    if (r > 0) {
      positive.push_back(r);
      total += r;
    }
  }
  for (size_t c = 0; c < revenue.size(); ++c) {
    if (revenue[c] <= 0) {
      ASSERT_EQ(from_revenue->klass[c], AbcClass::kNone);
      continue;
    }
    MinorUnits before = 0;
    for (MinorUnits r : positive) before += r > revenue[c] ? r : 0;
    const double cum = static_cast<double>(before), t = static_cast<double>(total);
    const AbcClass k = cum < options.a_share * t                       ? AbcClass::kA
                       : cum < (options.a_share + options.b_share) * t ? AbcClass::kB
                                                                       : AbcClass::kC;
    ASSERT_EQ(from_revenue->klass[c], k) << c;
  }
}

INSTANTIATE_TEST_SUITE_P(RandomPortfolios, FastPathMatchesReference, ::testing::Range(0, 24));

TEST(QuintileScoresFast, MatchTheDefinitionOnWideAndSkewedValues) {
  std::mt19937_64 rng(11);
  for (int round = 0; round < 12; ++round) {
    const size_t n = 1 + rng() % 20000;
    std::vector<std::int64_t> values(n);
    for (auto& v : values) {
      switch (round % 4) {
        case 0: v = static_cast<std::int64_t>(rng()); break;  // the whole int64 range
        case 1: v = static_cast<std::int64_t>(rng() % 1000) * 1000003; break;  // wide span, ties
        case 2: v = rng() % 10 == 0 ? static_cast<std::int64_t>(rng() >> 1) : 5; break;  // mostly one value
        default: v = static_cast<std::int64_t>(rng() % 50) - (std::int64_t{1} << 40) * static_cast<std::int64_t>(rng() % 3);
      }
    }
    if (round == 5) values[0] = std::numeric_limits<std::int64_t>::min();
    if (round == 6) values[0] = std::numeric_limits<std::int64_t>::max();
    for (bool higher : {true, false}) {
      std::vector<std::uint8_t> out(n);
      QuintileScores(values, higher, out);
      std::vector<std::int64_t> sorted = values;
      std::sort(sorted.begin(), sorted.end());
      for (size_t i = 0; i < n; ++i) {
        const size_t below = higher ? static_cast<size_t>(std::lower_bound(sorted.begin(), sorted.end(), values[i]) - sorted.begin())
                                    : static_cast<size_t>(sorted.end() - std::upper_bound(sorted.begin(), sorted.end(), values[i]));
        ASSERT_EQ(out[i], 1 + 5 * below / n) << "round " << round << " row " << i;
      }
    }
  }
}

}  // namespace
}  // namespace carteira
