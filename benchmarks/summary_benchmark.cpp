// Customer summary over 10M transactions of 1M customers in random order.
// Read the figures as ratios within one run (the machines are shared):
//   BM_Summarize / BM_StdMapGroupBy   -> how much faster than a plain group-by
//   BM_Summarize / BM_BareScatter     -> how close to the memory-bound floor
// Target: BM_Summarize >= 50M transactions/s on one core.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <map>
#include <vector>

#include "benchmarks/bench_data.h"
#include "carteira/summary/customer_summary.h"

namespace carteira::bench {
namespace {

void BM_Summarize(benchmark::State& state) {
  const Portfolio& p = BenchPortfolio();
  SummaryOptions options;
  options.as_of = ToDate(AsOf());
  const size_t rss_before = CurrentRss();
  ResetPeak();
  size_t peak = 0;
  for (auto _ : state) {
    auto s = Summarize(p, options);
    benchmark::DoNotOptimize(s->revenue.data());
    peak = std::max(peak, PeakRss());
  }
  const double raw = static_cast<double>(BenchRows().raw_bytes());
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(p.transactions().size()));
  // Extra memory the summary needs beyond the portfolio, and the total
  // (portfolio + summary) against the raw column bytes.
  state.counters["scratch_over_raw"] = static_cast<double>(peak - rss_before) / raw;
  state.counters["portfolio_over_raw"] = static_cast<double>(p.MemoryBytes()) / raw;
}
BENCHMARK(BM_Summarize)->Unit(benchmark::kMillisecond)->UseRealTime();

// The same, reusing one result and one workspace across calls
// (SummarizeInto), as a host that summarises daily in a long-running process
// does: no allocation or page faults for the ~70 bytes a customer of output
// and the 8 bytes a transaction of scratch.
void BM_SummarizeInto(benchmark::State& state) {
  const Portfolio& p = BenchPortfolio();
  SummaryOptions options;
  options.as_of = ToDate(AsOf());
  CustomerSummary result;
  SummaryWorkspace workspace;
  for (auto _ : state) {
    if (!SummarizeInto(p, options, &result, &workspace).ok()) state.SkipWithError("summary failed");
    benchmark::DoNotOptimize(result.revenue.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(p.transactions().size()));
}
BENCHMARK(BM_SummarizeInto)->Unit(benchmark::kMillisecond)->UseRealTime();

// What a user would write: group rows per customer in a std::map, then sort
// each customer's days and compute the same figures.
void BM_StdMapGroupBy(benchmark::State& state) {
  const Rows& r = BenchRows();
  const DayNumber as_of = AsOf();
  for (auto _ : state) {
    std::map<CustomerIndex, std::vector<std::pair<DayNumber, MinorUnits>>> groups;
    for (size_t i = 0; i < r.customer.size(); ++i) {
      if (r.date[i] <= as_of) groups[r.customer[i]].emplace_back(r.date[i], r.amount[i]);
    }
    double checksum = 0;
    for (auto& [customer, rows] : groups) {
      std::sort(rows.begin(), rows.end());
      MinorUnits revenue = 0;
      int days = 0;
      DayNumber last = kNoDay;
      for (const auto& [d, m] : rows) {
        revenue += m;
        if (m >= 0 && d != last) {
          ++days;
          last = d;
        }
      }
      checksum += static_cast<double>(revenue) + days;
    }
    benchmark::DoNotOptimize(checksum);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(r.customer.size()));
}
BENCHMARK(BM_StdMapGroupBy)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1);

// The floor: scatter each row's date into its customer's slot, nothing else.
void BM_BareScatter(benchmark::State& state) {
  const Rows& r = BenchRows();
  std::vector<DayNumber> slots(r.customers);
  for (auto _ : state) {
    for (size_t i = 0; i < r.customer.size(); ++i) slots[r.customer[i]] = r.date[i];
    benchmark::DoNotOptimize(slots.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(r.customer.size()));
}
BENCHMARK(BM_BareScatter)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace carteira::bench
