#include "benchmarks/bench_data.h"

#include <cstdlib>
#include <fstream>
#include <random>
#include <string_view>

namespace carteira::bench {

const Rows& BenchRows() {
  static const Rows rows = [] {
    size_t n = 10'000'000;
    if (const char* env = std::getenv("CARTEIRA_BENCH_ROWS")) n = std::strtoull(env, nullptr, 10);
    Rows r;
    r.customers = n / 10;
    r.customer.resize(n);
    r.date.resize(n);
    r.amount.resize(n);
    std::mt19937_64 rng(20261123);
    const DayNumber start = DaysFromCivil(2023, 11, 1);
    for (size_t i = 0; i < n; ++i) {
      const std::uint64_t bits = rng();
      r.customer[i] = static_cast<CustomerIndex>((bits & 0xFFFFFFFF) % r.customers);
      r.date[i] = start + static_cast<DayNumber>((bits >> 32) % 1096);
      const std::int64_t cents = 100 + static_cast<std::int64_t>(rng() % 500000);
      r.amount[i] = (rng() % 100 == 0) ? -cents / 4 : cents;
    }
    return r;
  }();
  return rows;
}

std::vector<std::string> CustomerIds(size_t n) {
  std::vector<std::string> ids(n);
  for (size_t i = 0; i < n; ++i) ids[i] = "C" + std::to_string(i);
  return ids;
}

const Portfolio& BenchPortfolio() {
  static const Portfolio portfolio = [] {
    const Rows& r = BenchRows();
    Portfolio p;
    const auto ids = CustomerIds(r.customers);
    std::vector<std::string_view> views(ids.begin(), ids.end());
    std::vector<CustomerIndex> index(views.size());
    if (!p.InternCustomers(views, index).ok()) std::abort();
    if (!p.AppendTransactions({r.customer, r.date, r.amount, {}, {}, {}}).ok()) std::abort();
    return p;
  }();
  return portfolio;
}

DayNumber AsOf() { return DaysFromCivil(2026, 10, 31); }

namespace {
size_t StatusField(std::string_view key) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(key, 0) == 0) return std::strtoull(line.c_str() + key.size(), nullptr, 10) * 1024;
  }
  return 0;
}
}  // namespace

size_t CurrentRss() { return StatusField("VmRSS:"); }
size_t PeakRss() { return StatusField("VmHWM:"); }
void ResetPeak() { std::ofstream("/proc/self/clear_refs") << "5"; }

}  // namespace carteira::bench
