// Small hand-made portfolios for the opportunities tests, and the sample.
#ifndef CARTEIRA_TESTS_OPPORTUNITIES_FIXTURES_H_
#define CARTEIRA_TESTS_OPPORTUNITIES_FIXTURES_H_

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "carteira/io/import.h"
#include "carteira/portfolio/portfolio.h"

namespace carteira::testing {

inline Date Day(int offset) { return ToDate(DaysFromCivil(2025, 1, 1) + offset); }

inline Customer NewCustomer(std::string id, std::string segment = "", std::string region = "") {
  Customer c;
  c.id = std::move(id);
  c.segment = std::move(segment);
  c.region = std::move(region);
  return c;
}

// One purchase of `amount` per (customer, day offset, category).
struct Buy {
  std::string customer;
  int day;
  std::string category;
  MinorUnits amount = 1000;
};

inline void AddBuys(Portfolio& p, const std::vector<Buy>& buys) {
  std::vector<Transaction> rows;
  for (const Buy& b : buys) rows.push_back({b.customer, Day(b.day), b.amount, "", "", b.category, {}});
  ASSERT_TRUE(p.AddTransactions(rows).ok());
}

// The embedded sample, loaded once for the whole test program.
inline const Portfolio& Sample() {
  static const Portfolio* sample = [] {
    auto* p = new Portfolio;
    ImportReport report;
    const absl::Status s = ImportDirectory(*p, CARTEIRA_SAMPLE_DIR, ImportOptions{}, &report);
    if (!s.ok()) ADD_FAILURE() << s;
    return p;
  }();
  return *sample;
}

}  // namespace carteira::testing

#endif  // CARTEIRA_TESTS_OPPORTUNITIES_FIXTURES_H_
