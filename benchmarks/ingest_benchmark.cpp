// Bulk ingest of 10M transactions of 1M customers (columnar, by customer
// index), against a plain copy of the same three columns (memcpy floor).
// Targets: >= 50M rows/s; the portfolio's memory for the rows <= 2x their
// raw column bytes (counter mem_over_raw, peak_over_raw).
#include <benchmark/benchmark.h>

#include <cstring>
#include <string_view>
#include <vector>

#include "benchmarks/bench_data.h"

namespace carteira::bench {
namespace {

Portfolio WithCustomers(const std::vector<std::string_view>& ids) {
  Portfolio p;
  std::vector<CustomerIndex> index(ids.size());
  if (!p.InternCustomers(ids, index).ok()) std::abort();
  return p;
}

void BM_AppendTransactions(benchmark::State& state) {
  const Rows& r = BenchRows();
  const auto id_strings = CustomerIds(r.customers);
  const std::vector<std::string_view> ids(id_strings.begin(), id_strings.end());
  double mem_over_raw = 0, peak_over_raw = 0;
  for (auto _ : state) {
    state.PauseTiming();
    Portfolio p = WithCustomers(ids);
    const size_t before = p.MemoryBytes();
    const size_t rss_before = CurrentRss();
    ResetPeak();
    state.ResumeTiming();
    if (!p.AppendTransactions({r.customer, r.date, r.amount, {}, {}, {}}).ok()) {
      state.SkipWithError("append failed");
      break;
    }
    state.PauseTiming();
    mem_over_raw = static_cast<double>(p.MemoryBytes() - before) / static_cast<double>(r.raw_bytes());
    peak_over_raw = static_cast<double>(PeakRss() - rss_before) / static_cast<double>(r.raw_bytes());
    state.ResumeTiming();
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(r.customer.size()));
  state.counters["mem_over_raw"] = mem_over_raw;
  state.counters["peak_over_raw"] = peak_over_raw;
}
BENCHMARK(BM_AppendTransactions)->Unit(benchmark::kMillisecond)->UseRealTime();

// Interning the 1M customer ids (hash map inserts), the string-keyed part of
// a bulk load.
void BM_InternCustomers(benchmark::State& state) {
  const Rows& r = BenchRows();
  const auto id_strings = CustomerIds(r.customers);
  const std::vector<std::string_view> ids(id_strings.begin(), id_strings.end());
  for (auto _ : state) {
    Portfolio p = WithCustomers(ids);
    benchmark::DoNotOptimize(&p);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(ids.size()));
}
BENCHMARK(BM_InternCustomers)->Unit(benchmark::kMillisecond)->UseRealTime();

// The floor: copying the three columns into fresh vectors.
void BM_CopyColumns(benchmark::State& state) {
  const Rows& r = BenchRows();
  for (auto _ : state) {
    std::vector<CustomerIndex> c(r.customer);
    std::vector<DayNumber> d(r.date);
    std::vector<MinorUnits> a(r.amount);
    benchmark::DoNotOptimize(c.data());
    benchmark::DoNotOptimize(d.data());
    benchmark::DoNotOptimize(a.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(r.customer.size()));
}
BENCHMARK(BM_CopyColumns)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace carteira::bench
