// The status engine over 1 million customers (10M transactions, the
// summary's benchmark data). Read the figures as ratios within one run:
//   BM_ClassifyFromSummary / BM_FixedThresholdLoop -> the cost of the full
//   rule set (cadence, contracts, new/reactivated, flags, explanations'
//   figures) over a bare three-threshold loop on the same summary.
// Targets: BM_ClassifyFromSummary <= 50 ms (summary precomputed);
// BM_History12MonthEnds <= 1 s.
#include <benchmark/benchmark.h>

#include <cstdlib>

#include "benchmarks/bench_data.h"
#include "carteira/status/status_engine.h"
#include "carteira/summary/customer_summary.h"

namespace carteira::bench {
namespace {

const CustomerSummary& BenchSummary() {
  static const CustomerSummary summary = [] {
    SummaryOptions options;
    options.as_of = ToDate(AsOf());
    auto s = Summarize(BenchPortfolio(), options);
    if (!s.ok()) std::abort();
    return std::move(*s);
  }();
  return summary;
}

const StatusEngine& BenchEngine() {
  static const StatusEngine engine = [] {
    auto e = StatusEngine::Create(BenchPortfolio(), StatusPolicy::Default());
    if (!e.ok()) std::abort();
    return std::move(*e);
  }();
  return engine;
}

void BM_ClassifyFromSummary(benchmark::State& state) {
  const StatusEngine& engine = BenchEngine();
  const CustomerSummary& summary = BenchSummary();
  StatusTable table;
  for (auto _ : state) {
    if (!engine.ClassifyInto(summary, &table).ok()) state.SkipWithError("classify failed");
    benchmark::DoNotOptimize(table.status.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(table.size()));
}
BENCHMARK(BM_ClassifyFromSummary)->Unit(benchmark::kMillisecond)->UseRealTime();

// Without the summary: the engine computes each customer's median gap.
void BM_ClassifyFromHistory(benchmark::State& state) {
  const StatusEngine& engine = BenchEngine();
  StatusTable table;
  for (auto _ : state) {
    if (!engine.ClassifyInto(AsOf(), &table).ok()) state.SkipWithError("classify failed");
    benchmark::DoNotOptimize(table.status.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(table.size()));
}
BENCHMARK(BM_ClassifyFromHistory)->Unit(benchmark::kMillisecond)->UseRealTime();

// Status at the 12 month ends before the as-of date, in one pass.
void BM_History12MonthEnds(benchmark::State& state) {
  const StatusEngine& engine = BenchEngine();
  std::vector<DayNumber> dates;
  for (unsigned m = 1; m <= 12; ++m) dates.push_back(DaysFromCivil(2025, m + 0, 1) - 1);
  for (auto _ : state) {
    auto h = engine.History(dates);
    if (!h.ok()) state.SkipWithError("history failed");
    benchmark::DoNotOptimize(h->status.data());
  }
  state.SetItemsProcessed(state.iterations() * 12 * static_cast<int64_t>(BenchPortfolio().customers().size()));
}
BENCHMARK(BM_History12MonthEnds)->Unit(benchmark::kMillisecond)->UseRealTime();

// Baseline: what a user would script on the summary, three fixed thresholds.
void BM_FixedThresholdLoop(benchmark::State& state) {
  const CustomerSummary& summary = BenchSummary();
  std::vector<Status> status(summary.size());
  for (auto _ : state) {
    for (size_t i = 0; i < summary.size(); ++i) {
      const std::int32_t d = summary.days_since_last[i];
      status[i] = d > 365 ? Status::kLost : d > 180 ? Status::kInactive : d > 90 ? Status::kAtRisk : Status::kActive;
    }
    benchmark::DoNotOptimize(status.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(summary.size()));
}
BENCHMARK(BM_FixedThresholdLoop)->Unit(benchmark::kMillisecond)->UseRealTime();

// Building the engine (the purchase-day index): once per portfolio load.
void BM_CreateEngine(benchmark::State& state) {
  for (auto _ : state) {
    auto e = StatusEngine::Create(BenchPortfolio(), StatusPolicy::Default());
    benchmark::DoNotOptimize(&e);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(BenchPortfolio().transactions().size()));
}
BENCHMARK(BM_CreateEngine)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);

}  // namespace
}  // namespace carteira::bench
