// The benchmark data: N transactions of N/10 customers in random order, 3
// years of dates, amounts with ~1% returns. N is 10 million unless
// CARTEIRA_BENCH_ROWS says otherwise. Fixed seed: every run sees the same rows.
#ifndef CARTEIRA_BENCHMARKS_BENCH_DATA_H_
#define CARTEIRA_BENCHMARKS_BENCH_DATA_H_

#include <cstdint>
#include <string>
#include <vector>

#include "carteira/portfolio/portfolio.h"

namespace carteira::bench {

struct Rows {
  std::vector<CustomerIndex> customer;
  std::vector<DayNumber> date;
  std::vector<MinorUnits> amount;
  size_t customers = 0;
  size_t raw_bytes() const {
    return customer.size() * (sizeof(CustomerIndex) + sizeof(DayNumber) + sizeof(MinorUnits));
  }
};

const Rows& BenchRows();
std::vector<std::string> CustomerIds(size_t n);
// A portfolio holding BenchRows(), built once.
const Portfolio& BenchPortfolio();
DayNumber AsOf();

// Resident set size and its high-water mark, from /proc/self/status (bytes);
// ResetPeak() restarts the high-water mark (Linux clear_refs).
size_t CurrentRss();
size_t PeakRss();
void ResetPeak();

}  // namespace carteira::bench

#endif  // CARTEIRA_BENCHMARKS_BENCH_DATA_H_
