// RFM scores, named segments, ABC classes, every KPI (overall and by rep,
// segment and region) and the cohort matrix over 1M customers and 10M
// transactions (benchmarks/bench_data.cpp), plus 25 reps, 1.1M assignment
// rows (10% of customers moved mid-period) and 300k survey answers.
// Target (issue 5): BM_SegmentsAndKpis <= 200 ms on one core, the customer
// summary computed once beforehand and passed in (docs/kpi.md says why).
// Read the figures as ratios within one run (the machine is shared):
//   BM_SegmentsAndKpis / BM_PlainPass -> cost against one plain pass over
//   the transactions (customer, date, amount) adding each row's amount to
//   its customer, which is the least any period KPI must do.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <random>

#include "benchmarks/bench_data.h"
#include "carteira/kpi/cohort.h"
#include "carteira/kpi/kpi.h"
#include "carteira/segments/abc.h"
#include "carteira/segments/rfm.h"
#include "carteira/segments/segment_map.h"
#include "carteira/summary/customer_summary.h"

namespace carteira::bench {
namespace {

const Portfolio& KpiPortfolio() {
  static const Portfolio portfolio = [] {
    const Rows& r = BenchRows();
    Portfolio p;
    const size_t n = r.customers;
    const auto ids = CustomerIds(n);
    std::vector<std::string_view> id(ids.begin(), ids.end()), region(n), segment(n);
    static const std::string_view kRegions[] = {"Norte", "Nordeste", "Centro-Oeste", "Sudeste", "Sul"};
    static const std::string_view kSegments[] = {"varejo", "atacado", "industria"};
    std::mt19937_64 rng(5);
    for (size_t i = 0; i < n; ++i) {
      region[i] = kRegions[rng() % 5];
      segment[i] = kSegments[rng() % 3];
    }
    CustomerColumns cc;
    cc.id = id;
    cc.region = region;
    cc.segment = segment;
    if (!p.AppendCustomers(cc).ok()) std::abort();
    std::vector<std::string> rep_ids;
    for (int k = 0; k < 25; ++k) rep_ids.push_back("R" + std::to_string(k));
    std::vector<std::string_view> rep_views(rep_ids.begin(), rep_ids.end());
    RepColumns rc;
    rc.id = rep_views;
    if (!p.AppendReps(rc).ok()) std::abort();
    if (!p.AppendTransactions({r.customer, r.date, r.amount, {}, {}, {}}).ok()) std::abort();
    // Everyone assigned at the start of the data; 10% moved mid-period.
    std::vector<CustomerIndex> ac;
    std::vector<RepIndex> ar;
    std::vector<DayNumber> as;
    const DayNumber start = DaysFromCivil(2023, 11, 1), mid = AsOf() - 180;
    for (size_t i = 0; i < n; ++i) {
      ac.push_back(static_cast<CustomerIndex>(i));
      ar.push_back(static_cast<RepIndex>(rng() % 25));
      as.push_back(start);
    }
    for (size_t i = 0; i < n / 10; ++i) {
      ac.push_back(static_cast<CustomerIndex>(rng() % n));
      ar.push_back(static_cast<RepIndex>(rng() % 25));
      as.push_back(mid + static_cast<DayNumber>(rng() % 90));
    }
    AssignmentColumns acol;
    acol.customer = ac;
    acol.rep = ar;
    acol.since = as;
    if (!p.AppendAssignments(acol).ok()) std::abort();
    std::vector<CustomerIndex> sc;
    std::vector<DayNumber> sd;
    std::vector<std::int32_t> ss;
    for (size_t i = 0; i < 300'000; ++i) {
      sc.push_back(static_cast<CustomerIndex>(rng() % n));
      sd.push_back(AsOf() - static_cast<DayNumber>(rng() % 730));
      ss.push_back(static_cast<std::int32_t>(rng() % 11));
    }
    SurveyColumns scol;
    scol.customer = sc;
    scol.date = sd;
    scol.score = ss;
    if (!p.AppendSurveyAnswers(scol).ok()) std::abort();
    return p;
  }();
  return portfolio;
}

const CustomerSummary& Summary() {
  static const CustomerSummary summary = [] {
    SummaryOptions options;
    options.as_of = ToDate(AsOf());
    auto s = Summarize(KpiPortfolio(), options);
    if (!s.ok()) std::abort();
    return *std::move(s);
  }();
  return summary;
}

DayNumber From() { return AsOf() - 364; }

// The baseline: one pass adding each in-period amount to its customer.
MinorUnits PlainPass(const Portfolio& p, std::vector<MinorUnits>& revenue) {
  const TransactionTable& t = p.transactions();
  std::fill(revenue.begin(), revenue.end(), 0);
  const DayNumber from = From(), to = AsOf();
  for (size_t i = 0; i < t.size(); ++i) {
    const DayNumber d = t.date[i];
    if (d >= from && d <= to) revenue[t.customer[i]] += t.amount[i];
  }
  return revenue[0];
}

void BM_PlainPass(benchmark::State& state) {
  const Portfolio& p = KpiPortfolio();
  std::vector<MinorUnits> revenue(p.customers().size());
  for (auto _ : state) benchmark::DoNotOptimize(PlainPass(p, revenue));
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(p.transactions().size()));
}
BENCHMARK(BM_PlainPass)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_Rfm(benchmark::State& state) {
  const CustomerSummary& s = Summary();
  for (auto _ : state) {
    RfmTable t = ScoreRfm(s);
    benchmark::DoNotOptimize(t.r.data());
  }
}
BENCHMARK(BM_Rfm)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_AssignSegments(benchmark::State& state) {
  const RfmTable t = ScoreRfm(Summary());
  const SegmentMap map = SegmentMap::Default();
  for (auto _ : state) {
    auto a = AssignSegments(t, map);
    benchmark::DoNotOptimize(a->segment.data());
  }
}
BENCHMARK(BM_AssignSegments)->Unit(benchmark::kMillisecond)->UseRealTime();

// A map whose first rules test a customer field and a summary figure
// (docs/segments.md, "Conditions"): the cost of the conditions.
void BM_AssignSegmentsWithConditions(benchmark::State& state) {
  const CustomerSummary& s = Summary();
  const RfmTable t = ScoreRfm(s);
  auto map = SegmentMap::FromJson(R"({"segments": [
      {"name": "south_big", "where": [{"field": "region", "op": "in", "value": ["Sul", "Sudeste"]},
                                      {"field": "monetary", "op": ">=", "value": 20000}]},
      {"name": "atacado_loyal", "r": [3, 5], "where": [{"field": "segment", "op": "=", "value": "atacado"},
                                                        {"field": "frequency", "op": ">=", "value": 12}]},
      {"name": "rest"}]})");
  if (!map.ok()) std::abort();
  for (auto _ : state) {
    auto a = AssignSegments(t, *map, KpiPortfolio(), s);
    benchmark::DoNotOptimize(a->segment.data());
  }
}
BENCHMARK(BM_AssignSegmentsWithConditions)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_ScanPeriod(benchmark::State& state) {
  const Portfolio& p = KpiPortfolio();
  for (auto _ : state) {
    auto a = ScanPeriod(p, From(), AsOf());
    benchmark::DoNotOptimize(a->customers.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(p.transactions().size()));
}
BENCHMARK(BM_ScanPeriod)->Unit(benchmark::kMillisecond)->UseRealTime();

// The same with the first and last purchases from the summary (16 bytes of
// state a customer instead of 32): what RunAll does.
void BM_ScanPeriodFromSummary(benchmark::State& state) {
  const Portfolio& p = KpiPortfolio();
  const CustomerSummary& s = Summary();
  for (auto _ : state) {
    auto a = ScanPeriod(p, s, From(), AsOf());
    benchmark::DoNotOptimize(a->customers.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(p.transactions().size()));
}
BENCHMARK(BM_ScanPeriodFromSummary)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_Kpis(benchmark::State& state) {
  const Portfolio& p = KpiPortfolio();
  const auto a = ScanPeriod(p, From(), AsOf());
  const auto by = static_cast<KpiGrouping>(state.range(0));
  for (auto _ : state) {
    auto r = ComputeKpis(p, *a, {}, by);
    benchmark::DoNotOptimize(r->overall.active);
  }
  state.SetLabel(by == KpiGrouping::kNone ? "overall" : std::string(KpiGroupingName(by)));
}
BENCHMARK(BM_Kpis)->Arg(0)->Arg(1)->Arg(2)->Arg(3)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_KpisAllGroupings(benchmark::State& state) {
  const Portfolio& p = KpiPortfolio();
  const auto a = ScanPeriod(p, From(), AsOf());
  const KpiGrouping all[] = {KpiGrouping::kRep, KpiGrouping::kSegment, KpiGrouping::kRegion};
  for (auto _ : state) {
    auto r = ComputeKpis(p, *a, {}, all);
    benchmark::DoNotOptimize(r->front().overall.active);
  }
}
BENCHMARK(BM_KpisAllGroupings)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_AbcAndCohort(benchmark::State& state) {
  const auto a = ScanPeriod(KpiPortfolio(), From(), AsOf());
  for (auto _ : state) {
    auto abc = ClassifyAbc(*a);  // the scan's revenue ranking, not a second sort
    auto cohorts = CohortRetention(*a);
    benchmark::DoNotOptimize(abc->klass.data());
    benchmark::DoNotOptimize(cohorts->size.data());
  }
}
BENCHMARK(BM_AbcAndCohort)->Unit(benchmark::kMillisecond)->UseRealTime();

// Everything a dashboard refresh needs, from a summary computed once.
void RunAll(const Portfolio& p, const CustomerSummary& s) {
  const RfmTable rfm = ScoreRfm(s);
  auto segments = AssignSegments(rfm, SegmentMap::Default());
  auto a = ScanPeriod(p, s, From(), AsOf());
  auto abc = ClassifyAbc(*a);  // reuses the scan's revenue ranking, as the KPIs do
  const KpiGrouping all[] = {KpiGrouping::kRep, KpiGrouping::kSegment, KpiGrouping::kRegion};
  auto kpis = ComputeKpis(p, *a, {}, all);  // the overall row comes with each
  auto cohorts = CohortRetention(*a);
  if (!segments.ok() || !abc.ok() || !kpis.ok() || !cohorts.ok()) std::abort();
  benchmark::DoNotOptimize(segments->segment.data());
  benchmark::DoNotOptimize(kpis->back().overall.gini);
}

double MedianBaselineMs(const Portfolio& p) {
  std::vector<MinorUnits> revenue(p.customers().size());
  std::vector<double> ms;
  for (int k = 0; k < 5; ++k) {
    const auto t0 = std::chrono::steady_clock::now();
    benchmark::DoNotOptimize(PlainPass(p, revenue));
    ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
  }
  std::sort(ms.begin(), ms.end());
  return ms[2];
}

void BM_SegmentsAndKpis(benchmark::State& state) {
  const Portfolio& p = KpiPortfolio();
  const CustomerSummary& s = Summary();
  const double baseline = MedianBaselineMs(p);
  const auto t0 = std::chrono::steady_clock::now();
  for (auto _ : state) RunAll(p, s);
  const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count() /
                    static_cast<double>(state.iterations());
  state.counters["baseline_ms"] = baseline;
  state.counters["x_baseline"] = ms / baseline;  // how many plain passes it costs
}
BENCHMARK(BM_SegmentsAndKpis)->Unit(benchmark::kMillisecond)->UseRealTime();

// The same with the summary computed inside (what a cold refresh costs).
void BM_SummaryThenSegmentsAndKpis(benchmark::State& state) {
  const Portfolio& p = KpiPortfolio();
  SummaryOptions options;
  options.as_of = ToDate(AsOf());
  CustomerSummary s;
  SummaryWorkspace workspace;
  for (auto _ : state) {
    if (!SummarizeInto(p, options, &s, &workspace).ok()) std::abort();
    RunAll(p, s);
  }
}
BENCHMARK(BM_SummaryThenSegmentsAndKpis)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace carteira::bench
