// The embedded store at scale: the benchmark data (10M transactions of 1M
// customers, CARTEIRA_BENCH_ROWS to change) saved once into a store.
//   BM_LoadFromStore      store -> in-memory Portfolio (target <= 3 s)
//   BM_ImportCsvBaseline  the same rows from a CSV file (the baseline of
//                         the same run: what a host without the store does)
//   BM_AppendAndRefresh   100k new transactions appended, then the statuses
//                         refreshed (target <= 300 ms), on a store that has
//                         had as many such days as the state log keeps
//                         (its steady state: the refresh's log rows read and
//                         blocks rewritten are what every later day has);
//                         /durable:1 fsyncs every commit (synchronous=FULL),
//                         /durable:0 only at checkpoints (NORMAL).
//                         /checkpoint_thread:1 (the default) checkpoints on
//                         the store's thread, :0 inside the commits
//                         (SQLite's default). Between days (not timed) the
//                         store is checkpointed (Store::Checkpoint), as a
//                         day's job has the day for it: each day starts
//                         from the same state whichever way.
//                         fsync_ms is the time the calling thread spent in
//                         fsync/fdatasync (measured by wrapping them, below):
//                         the fsync cost apart; checkpoint_fsync_ms the
//                         store's checkpoint thread's, during the day.
#include <benchmark/benchmark.h>
#include <dlfcn.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <thread>

#include "benchmarks/bench_data.h"
#include "carteira/io/import.h"
#include "carteira/store/store.h"

// fsync and fdatasync, timed: SQLite (a shared library) calls them
// through the dynamic linker, which finds these first (exported, though
// the build hides symbols by default).
namespace {
// fsync time on the benchmark's thread and on the others (the store's
// checkpoint thread).
std::atomic<std::int64_t> fsync_ns{0}, other_fsync_ns{0};
const std::thread::id benchmark_thread = std::this_thread::get_id();
template <typename F>
int Timed(const char* name, F*& real, int fd) {
  if (real == nullptr) real = reinterpret_cast<F*>(dlsym(RTLD_NEXT, name));
  const auto t0 = std::chrono::steady_clock::now();
  const int rc = real(fd);
  const std::int64_t ns =
      std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - t0).count();
  (std::this_thread::get_id() == benchmark_thread ? fsync_ns : other_fsync_ns) += ns;
  return rc;
}
}  // namespace
extern "C" __attribute__((visibility("default"))) int fsync(int fd) {
  static int (*real)(int) = nullptr;
  return Timed("fsync", real, fd);
}
extern "C" __attribute__((visibility("default"))) int fdatasync(int fd) {
  static int (*real)(int) = nullptr;
  return Timed("fdatasync", real, fd);
}

namespace carteira::bench {
namespace {

namespace fs = std::filesystem;

const fs::path& WorkDir() {
  // Never destroyed: the exit handler, registered while the path is being
  // made, runs after the destructors of statics made before it finished.
  static const fs::path& dir = *[] {
    auto* d = new fs::path(fs::temp_directory_path() / ("carteira_store_bench_" + std::to_string(::getpid())));
    fs::create_directories(*d);
    std::atexit([] { std::error_code ec; fs::remove_all(WorkDir(), ec); });
    return d;
  }();
  return dir;
}

constexpr size_t kNew = 100'000;

// A day's appended rows: kNew purchases of random customers on `day`.
Portfolio Day(std::mt19937_64& rng, DayNumber day) {
  const size_t customers = BenchRows().customers;
  Portfolio delta;
  std::vector<std::string> ids(kNew);
  for (auto& id : ids) id = "C" + std::to_string(rng() % customers);
  std::vector<std::string_view> views(ids.begin(), ids.end());
  std::vector<CustomerIndex> index(kNew);
  if (!delta.InternCustomers(views, index).ok()) std::abort();
  std::vector<DayNumber> dates(kNew, day);
  std::vector<MinorUnits> amounts(kNew);
  for (auto& a : amounts) a = 100 + static_cast<MinorUnits>(rng() % 50000);
  if (!delta.AppendTransactions({index, dates, amounts, {}, {}, {}}).ok()) std::abort();
  return delta;
}

// The benchmark portfolio in a store, with a first status run done and
// then 8 days (the state log's kStateLogRuns) appended and refreshed.
const std::string& StorePath() {
  static const std::string path = [] {
    const std::string p = (WorkDir() / "bench.db").string();
    StoreOptions options;
    options.durable = false;
    auto store = Store::Open(p, options);
    if (!store.ok() || !store->Save(BenchPortfolio()).ok()) std::abort();
    if (!store->RefreshStatuses(AsOf(), StatusPolicy::Default()).ok()) std::abort();
    std::mt19937_64 rng(3);
    for (DayNumber day = AsOf() + 1; day <= AsOf() + 8; ++day) {
      if (!store->Append(Day(rng, day)).ok() || !store->RefreshStatuses(day, StatusPolicy::Default()).ok()) {
        std::abort();
      }
    }
    // The ~400 MB just written reach the disk before anything is timed
    // (their writeback would otherwise compete with the first days').
    if (!store->Checkpoint().ok()) std::abort();
    ::sync();
    return p;
  }();
  return path;
}

const std::string& CsvPath() {
  static const std::string path = [] {
    const std::string p = (WorkDir() / "transactions.csv").string();
    const Rows& r = BenchRows();
    std::ofstream out(p);
    out << "customer_id,date,amount\n";
    for (size_t i = 0; i < r.customer.size(); ++i) {
      out << 'C' << r.customer[i] << ',' << FormatDate(r.date[i]) << ',' << r.amount[i] / 100 << '.'
          << (r.amount[i] < 0 ? -r.amount[i] : r.amount[i]) % 100 / 10
          << (r.amount[i] < 0 ? -r.amount[i] : r.amount[i]) % 10 << '\n';
    }
    return p;
  }();
  return path;
}

void BM_LoadFromStore(benchmark::State& state) {
  const std::string& path = StorePath();
  for (auto _ : state) {
    auto store = Store::Open(path);
    if (!store.ok()) {
      state.SkipWithError("open failed");
      break;
    }
    Portfolio p;
    if (!store->LoadInto(p).ok()) {
      state.SkipWithError("load failed");
      break;
    }
    benchmark::DoNotOptimize(p.transactions().size());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(BenchRows().customer.size()));
}
BENCHMARK(BM_LoadFromStore)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);

void BM_ImportCsvBaseline(benchmark::State& state) {
  const std::string& path = CsvPath();
  for (auto _ : state) {
    Portfolio p;
    ImportReport report;
    if (!ImportFile(p, Entity::kTransactions, path, {}, &report).ok()) {
      state.SkipWithError("import failed");
      break;
    }
    benchmark::DoNotOptimize(p.transactions().size());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(BenchRows().customer.size()));
}
BENCHMARK(BM_ImportCsvBaseline)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);

void BM_AppendAndRefresh(benchmark::State& state) {
  const bool durable = state.range(0) != 0;
  const std::string& path = StorePath();
  StoreOptions options;
  options.durable = durable;
  options.checkpoint_thread = state.range(1) != 0;
  auto store = Store::Open(path, options);
  if (!store.ok()) {
    state.SkipWithError("open failed");
    return;
  }
  std::mt19937_64 rng(7 + static_cast<unsigned>(durable));
  double append_ms = 0, refresh_ms = 0, checked = 0, events = 0, fsync_ms = 0, checkpoint_fsync_ms = 0;
  for (auto _ : state) {
    state.PauseTiming();
    if (!store->Checkpoint().ok()) {
      state.SkipWithError("checkpoint failed");
      break;
    }
    auto last = store->LastRefreshDate();
    const DayNumber day = *last + 1;
    const Portfolio delta = Day(rng, day);
    state.ResumeTiming();
    const std::int64_t fsync_before = fsync_ns, other_fsync_before = other_fsync_ns;
    const auto t0 = std::chrono::steady_clock::now();
    auto appended = store->Append(delta);
    const auto t1 = std::chrono::steady_clock::now();
    auto refreshed = store->RefreshStatuses(day, StatusPolicy::Default());
    const auto t2 = std::chrono::steady_clock::now();
    if (!appended.ok() || !refreshed.ok()) {
      state.SkipWithError("append or refresh failed");
      break;
    }
    append_ms += std::chrono::duration<double, std::milli>(t1 - t0).count();
    refresh_ms += std::chrono::duration<double, std::milli>(t2 - t1).count();
    fsync_ms += static_cast<double>(fsync_ns - fsync_before) / 1e6;
    checkpoint_fsync_ms += static_cast<double>(other_fsync_ns - other_fsync_before) / 1e6;
    checked += static_cast<double>(refreshed->customers_checked);
    events += static_cast<double>(refreshed->events.size());
  }
  const double n = static_cast<double>(state.iterations());
  state.counters["append_ms"] = append_ms / n;
  state.counters["refresh_ms"] = refresh_ms / n;
  state.counters["fsync_ms"] = fsync_ms / n;
  state.counters["checkpoint_fsync_ms"] = checkpoint_fsync_ms / n;
  state.counters["customers_checked"] = checked / n;
  state.counters["events"] = events / n;
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(kNew));
}
BENCHMARK(BM_AppendAndRefresh)
    ->Args({0, 1})
    ->Args({1, 1})
    ->Args({0, 0})
    ->ArgNames({"durable", "checkpoint_thread"})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(3);

}  // namespace
}  // namespace carteira::bench
