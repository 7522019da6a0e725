// The HTML report of the embedded sample (examples/sample: 5,000
// customers, 183k transactions, 25 reps). Target (issue 5): the report
// <= 1 s. Read the figures as ratios within one run (the machine is
// shared):
//   BM_Report / BM_Summarize -> the report against the per-customer
//   summary of the same portfolio, one of the many passes it makes.
// BM_ImportSample (reading the CSV files) is there for scale: the CLI
// pays it before the report.
#include <benchmark/benchmark.h>

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <vector>

#include "carteira/core/strings.h"
#include "carteira/io/import.h"
#include "carteira/report/report.h"
#include "carteira/summary/customer_summary.h"

namespace carteira::bench {
namespace {

const Portfolio& Sample() {
  static const Portfolio portfolio = [] {
    Portfolio p;
    ImportReport report;
    if (!ImportDirectory(p, CARTEIRA_SAMPLE_DIR, ImportOptions{}, &report).ok()) std::abort();
    return p;
  }();
  return portfolio;
}

DayNumber LastDay(const Portfolio& p) {
  const auto& dates = p.transactions().date;
  return *std::max_element(dates.begin(), dates.end());
}

void Summarize(const Portfolio& p) {
  SummaryOptions options;
  options.as_of = ToDate(LastDay(p));
  auto summary = carteira::Summarize(p, options);
  if (!summary.ok()) std::abort();
  benchmark::DoNotOptimize(summary->revenue.data());
}

double MedianSummaryMs(const Portfolio& p) {
  std::vector<double> ms;
  for (int k = 0; k < 5; ++k) {
    const auto t0 = std::chrono::steady_clock::now();
    Summarize(p);
    ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
  }
  std::sort(ms.begin(), ms.end());
  return ms[2];
}

void BM_ImportSample(benchmark::State& state) {
  for (auto _ : state) {
    Portfolio p;
    ImportReport report;
    if (!ImportDirectory(p, CARTEIRA_SAMPLE_DIR, ImportOptions{}, &report).ok()) std::abort();
    benchmark::DoNotOptimize(p.transactions().amount.data());
  }
}
BENCHMARK(BM_ImportSample)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_Summarize(benchmark::State& state) {
  const Portfolio& p = Sample();
  for (auto _ : state) Summarize(p);
}
BENCHMARK(BM_Summarize)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_ComputeReport(benchmark::State& state) {
  const Portfolio& p = Sample();
  for (auto _ : state) {
    auto data = ComputeReport(p);
    if (!data.ok()) std::abort();
    benchmark::DoNotOptimize(data->kpis.revenue);
  }
}
BENCHMARK(BM_ComputeReport)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_RenderReport(benchmark::State& state) {
  auto data = ComputeReport(Sample());
  if (!data.ok()) std::abort();
  size_t bytes = 0;
  for (auto _ : state) {
    const std::string html = RenderReport(*data);
    bytes = html.size();
    benchmark::DoNotOptimize(html.data());
  }
  state.counters["html_kb"] = static_cast<double>(bytes) / 1024.0;
}
BENCHMARK(BM_RenderReport)->Unit(benchmark::kMillisecond)->UseRealTime();

// The target: figures and HTML, as WriteReport does minus the stream.
void BM_Report(benchmark::State& state) {
  const Portfolio& p = Sample();
  const double baseline = MedianSummaryMs(p);
  const auto t0 = std::chrono::steady_clock::now();
  for (auto _ : state) {
    auto data = ComputeReport(p);
    if (!data.ok()) std::abort();
    const std::string html = RenderReport(*data);
    benchmark::DoNotOptimize(html.data());
  }
  const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count() /
                    static_cast<double>(state.iterations());
  state.counters["baseline_ms"] = baseline;
  state.counters["x_baseline"] = ms / baseline;  // how many summaries it costs
}
BENCHMARK(BM_Report)->Unit(benchmark::kMillisecond)->UseRealTime();

// The same written to a file atomically (temporary file, fsync, rename).
void BM_ReportFile(benchmark::State& state) {
  const Portfolio& p = Sample();
  const std::string path =
      (std::filesystem::temp_directory_path() / StrCat("carteira_report_bench_", ::getpid(), ".html")).string();
  for (auto _ : state) {
    if (!WriteReportFile(p, ReportOptions{}, path).ok()) std::abort();
  }
  std::filesystem::remove(path);
}
BENCHMARK(BM_ReportFile)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace carteira::bench
