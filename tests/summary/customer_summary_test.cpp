#include "carteira/summary/customer_summary.h"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <map>
#include <random>
#include <sstream>

#include "carteira/io/import.h"

namespace carteira {
namespace {

DayNumber D(int y, int m, int d) { return ToDayNumber(Date(y, m, d)); }

TEST(Summarize, MergesSameDayPurchasesAndKeepsReturnsOutOfPurchaseDays) {
  Portfolio p;
  std::vector<Transaction> rows = {
      {"A", Date(2024, 1, 10), 1000, "", "", "", {}},
      {"A", Date(2024, 1, 10), 500, "", "", "", {}},   // same day: one purchase-day
      {"A", Date(2024, 1, 20), 2000, "", "", "", {}},
      {"A", Date(2024, 2, 19), 3000, "", "", "", {}},
      {"A", Date(2024, 2, 25), -700, "", "", "", {}},  // a return
      {"A", Date(2024, 3, 1), 9999, "", "", "", {}},   // after as_of
      {"B", Date(2024, 4, 1), 100, "", "", "", {}},    // first purchase after as_of
  };
  ASSERT_TRUE(p.AddTransactions(rows).ok());
  SummaryOptions options;
  options.as_of = Date(2024, 2, 29);
  auto s = Summarize(p, options);
  ASSERT_TRUE(s.ok());
  ASSERT_EQ(s->size(), 1u);  // B excluded
  EXPECT_EQ(s->first_purchase[0], D(2024, 1, 10));
  EXPECT_EQ(s->last_purchase[0], D(2024, 2, 19));
  EXPECT_EQ(s->purchase_days[0], 3);
  EXPECT_EQ(s->x[0], 2);
  EXPECT_EQ(s->revenue[0], 1000 + 500 + 2000 + 3000 - 700);
  EXPECT_EQ(s->average_ticket[0], 1933);  // 5800 / 3 = 1933.33
  EXPECT_DOUBLE_EQ(s->zbar[0], (20.00 + 30.00) / 2);  // repeat days only, gross
  EXPECT_DOUBLE_EQ(s->median_gap_days[0], (10 + 30) / 2.0);
  EXPECT_EQ(s->days_since_last[0], D(2024, 2, 29) - D(2024, 2, 19));
  EXPECT_DOUBLE_EQ(s->t_x[0], 40);
  EXPECT_DOUBLE_EQ(s->T[0], 50);
}

TEST(Summarize, WeeksDivideDaysBySeven) {
  Portfolio p;
  ASSERT_TRUE(p.AddTransactions(std::vector<Transaction>{{"A", Date(1997, 1, 1), 1, "", "", "", {}}}).ok());
  SummaryOptions options;
  options.as_of = Date(1997, 9, 30);
  options.unit = TimeUnit::kWeeks;
  auto s = Summarize(p, options);
  EXPECT_DOUBLE_EQ(s->T[0], 272.0 / 7.0);  // 38.86 in the CDNOW file: no +1 day
  EXPECT_EQ(s->x[0], 0);
  EXPECT_EQ(s->t_x[0], 0);
  EXPECT_EQ(s->zbar[0], 0);
  EXPECT_TRUE(std::isnan(s->median_gap_days[0]));
}

TEST(Summarize, IsTheSameWhateverTheRowOrder) {
  Portfolio a, b;
  std::vector<Transaction> rows;
  for (int i = 0; i < 200; ++i) {
    rows.push_back({"C" + std::to_string(i % 17), Date(2024, 1, 1) + boost::gregorian::days(i * 7 % 300),
                    (i * 37) % 1000 - 100, "", "", "", {}});
  }
  ASSERT_TRUE(a.AddTransactions(rows).ok());
  std::reverse(rows.begin(), rows.end());
  // Same customers in the same index order, rows reversed.
  for (int i = 0; i < 17; ++i) b.EnsureCustomer("C" + std::to_string(i));
  ASSERT_TRUE(b.AddTransactions(rows).ok());
  SummaryOptions options;
  options.as_of = Date(2024, 12, 31);
  auto sa = Summarize(a, options), sb = Summarize(b, options);
  EXPECT_EQ(sa->customer, sb->customer);
  EXPECT_EQ(sa->purchase_days, sb->purchase_days);
  EXPECT_EQ(sa->revenue, sb->revenue);
  EXPECT_EQ(sa->zbar, sb->zbar);
  EXPECT_EQ(sa->median_gap_days.size(), sb->median_gap_days.size());
  for (size_t i = 0; i < sa->size(); ++i) {
    EXPECT_TRUE(sa->median_gap_days[i] == sb->median_gap_days[i] ||
                (std::isnan(sa->median_gap_days[i]) && std::isnan(sb->median_gap_days[i])));
  }
}

// Fader & Hardie's CDNOW sample summarised to 1997-09-30 in weeks must
// reproduce their published RFM file to its 2-decimal rounding.
TEST(Summarize, ReproducesTheCdnowCalibrationSummary) {
  Portfolio p;
  ImportOptions options;
  options.has_header = false;
  options.column_mapping[Entity::kTransactions] = {{"customer_id", "2"}, {"date", "3"},
                                                   {"amount", "5"}};
  ImportReport report;
  ASSERT_TRUE(ImportFile(p, Entity::kTransactions,
                         std::string(CARTEIRA_TEST_DATA) + "/cdnow/CDNOW_sample.txt", options,
                         &report)
                  .ok())
      << report.Summary();
  ASSERT_EQ(p.transactions().size(), 6919u);
  ASSERT_EQ(p.customers().size(), 2357u);
  SummaryOptions summary_options;
  summary_options.as_of = Date(1997, 9, 30);
  summary_options.unit = TimeUnit::kWeeks;
  auto s = Summarize(p, summary_options);
  ASSERT_TRUE(s.ok());
  ASSERT_EQ(s->size(), 2357u);

  std::ifstream in(std::string(CARTEIRA_TEST_DATA) +
                   "/cdnow/cdnow_customers_summary_with_transactions.csv");
  std::string line;
  std::getline(in, line);  // ID,x,t_x,T,zbar
  size_t checked = 0;
  std::int64_t total_x = 0;
  const double tolerance = 0.005 + 1e-9;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    std::istringstream fields(line);
    std::string id, x, t_x, T, zbar;
    std::getline(fields, id, ',');
    std::getline(fields, x, ',');
    std::getline(fields, t_x, ',');
    std::getline(fields, T, ',');
    std::getline(fields, zbar, ',');
    // The sample ids are 4-digit zero-padded in the transaction file.
    std::string padded = std::string(4 - id.size(), '0') + id;
    const auto c = p.FindCustomer(padded);
    ASSERT_TRUE(c) << padded;
    const size_t row = *c;  // every customer bought by 1997-03-25: rows = indices
    ASSERT_EQ(s->customer[row], *c);
    EXPECT_EQ(s->x[row], std::stoi(x)) << id;
    EXPECT_NEAR(s->t_x[row], std::stod(t_x), tolerance) << id;
    EXPECT_NEAR(s->T[row], std::stod(T), tolerance) << id;
    EXPECT_NEAR(s->zbar[row], std::stod(zbar), tolerance) << id;
    total_x += s->x[row];
    ++checked;
  }
  EXPECT_EQ(checked, 2357u);
  EXPECT_EQ(total_x, 2457);  // the repeat purchase-days quoted by Fader, Hardie & Lee
}

// Amounts beyond int32 minor units (R$ 21 million) take a separate exact
// path inside the summary; the figures must not notice.
TEST(Summarize, WideAmountsAreExact) {
  Portfolio p;
  const MinorUnits big = 5'000'000'000'000LL;  // R$ 50 billion
  std::vector<Transaction> rows = {
      {"A", Date(2024, 1, 10), 100, "", "", "", {}},
      {"A", Date(2024, 1, 10), big, "", "", "", {}},      // same first day
      {"A", Date(2024, 1, 20), 2 * big, "", "", "", {}},  // a wide repeat day
      {"A", Date(2024, 2, 1), -big, "", "", "", {}},      // a wide return
      {"A", Date(2024, 2, 5), 300, "", "", "", {}},
      {"B", Date(2024, 1, 1), 7, "", "", "", {}},
  };
  ASSERT_TRUE(p.AddTransactions(rows).ok());
  SummaryOptions options;
  options.as_of = Date(2024, 3, 1);
  auto s = Summarize(p, options);
  ASSERT_TRUE(s.ok());
  ASSERT_EQ(s->size(), 2u);
  EXPECT_EQ(s->purchase_days[0], 3);
  EXPECT_EQ(s->revenue[0], 100 + big + 2 * big - big + 300);
  EXPECT_EQ(s->first_purchase[0], D(2024, 1, 10));
  EXPECT_EQ(s->last_purchase[0], D(2024, 2, 5));
  EXPECT_DOUBLE_EQ(s->zbar[0], ToMajor(2 * big + 300) / 2);
  EXPECT_DOUBLE_EQ(s->median_gap_days[0], (10 + 16) / 2.0);
  EXPECT_EQ(s->revenue[1], 7);
}

// The fast path (blocks, radix sorts, write-combining, branch-free median)
// against the definitions written the plain way, on random data with
// same-day purchases, returns, wide amounts, rows after as_of and more
// customers than one block holds.
TEST(Summarize, MatchesAPlainReferenceOnRandomData) {
  std::mt19937_64 rng(7);
  Portfolio p;
  const int customers = 5000;
  for (int c = 0; c < customers; ++c) p.EnsureCustomer("C" + std::to_string(c));
  std::vector<CustomerIndex> customer;
  std::vector<DayNumber> date;
  std::vector<MinorUnits> amount;
  const DayNumber start = D(2020, 1, 1);
  for (int i = 0; i < 60000; ++i) {
    // Skewed: some customers have many rows (long gap lists, > 32 gaps).
    const int c = static_cast<int>(rng() % 100 < 5 ? rng() % 20 : rng() % customers);
    customer.push_back(static_cast<CustomerIndex>(c));
    // Spans of 40, 1500 and 6000 days: one or two radix digits of days.
    const int span = c % 3 == 0 ? 40 : c % 3 == 1 ? 1500 : 6000;
    date.push_back(start + static_cast<DayNumber>(rng() % span));
    const int kind = static_cast<int>(rng() % 100);
    amount.push_back(kind < 5   ? -static_cast<MinorUnits>(rng() % 5000)
                     : kind < 7 ? static_cast<MinorUnits>(rng() % 4'000'000'000'000ULL)
                     : kind < 8 ? -static_cast<MinorUnits>(rng() % 4'000'000'000'000ULL)
                                : static_cast<MinorUnits>(rng() % 100000));
  }
  ASSERT_TRUE(p.AppendTransactions({customer, date, amount, {}, {}, {}}).ok());
  const DayNumber as_of = start + 5000;
  for (const TimeUnit unit : {TimeUnit::kDays, TimeUnit::kWeeks}) {
    SummaryOptions options;
    options.as_of = ToDate(as_of);
    options.unit = unit;
    auto s = Summarize(p, options);
    ASSERT_TRUE(s.ok());

    // Reference: per customer, a map day -> (gross purchases, has purchase) and net revenue.
    std::vector<std::map<DayNumber, MinorUnits>> days(customers);
    std::vector<MinorUnits> revenue(customers, 0);
    for (size_t i = 0; i < customer.size(); ++i) {
      if (date[i] > as_of) continue;
      revenue[customer[i]] += amount[i];
      if (amount[i] >= 0) days[customer[i]][date[i]] += amount[i];
    }
    size_t row = 0;
    for (int c = 0; c < customers; ++c) {
      if (days[c].empty()) continue;
      ASSERT_LT(row, s->size());
      ASSERT_EQ(s->customer[row], static_cast<CustomerIndex>(c));
      const auto& d = days[c];
      const DayNumber first = d.begin()->first, last = d.rbegin()->first;
      std::vector<DayNumber> gaps;
      MinorUnits repeat_value = 0;
      for (auto it = std::next(d.begin()); it != d.end(); ++it) {
        gaps.push_back(it->first - std::prev(it)->first);
        repeat_value += it->second;
      }
      std::sort(gaps.begin(), gaps.end());
      const int x = static_cast<int>(d.size()) - 1;
      EXPECT_EQ(s->first_purchase[row], first);
      EXPECT_EQ(s->last_purchase[row], last);
      EXPECT_EQ(s->purchase_days[row], static_cast<int>(d.size()));
      EXPECT_EQ(s->x[row], x);
      EXPECT_EQ(s->revenue[row], revenue[c]) << c;
      EXPECT_EQ(s->t_x[row], (last - first) / DaysPerUnit(unit));
      EXPECT_EQ(s->T[row], (as_of - first) / DaysPerUnit(unit));
      EXPECT_EQ(s->zbar[row], x > 0 ? ToMajor(repeat_value) / x : 0.0) << c;
      EXPECT_EQ(s->days_since_last[row], as_of - last);
      if (gaps.empty()) {
        EXPECT_TRUE(std::isnan(s->median_gap_days[row]));
      } else {
        const size_t m = gaps.size() / 2;
        const double median = gaps.size() % 2 ? gaps[m] : 0.5 * (gaps[m - 1] + gaps[m]);
        EXPECT_EQ(s->median_gap_days[row], median) << c << " gaps " << gaps.size();
      }
      ++row;
    }
    EXPECT_EQ(row, s->size());
  }
}

TEST(SummarizeInto, ReusesTheResultAndMatchesSummarize) {
  Portfolio p;
  std::vector<Transaction> rows;
  for (int i = 0; i < 3000; ++i) {
    rows.push_back({"C" + std::to_string(i % 2500), Date(2024, 1, 1) + boost::gregorian::days(i % 200),
                    100 + i, "", "", "", {}});
  }
  ASSERT_TRUE(p.AddTransactions(rows).ok());
  SummaryOptions late, early;
  late.as_of = Date(2024, 12, 31);
  early.as_of = Date(2024, 1, 31);  // fewer customers than the first call
  CustomerSummary reused;
  ASSERT_TRUE(SummarizeInto(p, late, &reused).ok());
  ASSERT_TRUE(SummarizeInto(p, early, &reused).ok());
  auto fresh = Summarize(p, early);
  ASSERT_TRUE(fresh.ok());
  EXPECT_EQ(reused.customer, fresh->customer);
  EXPECT_EQ(reused.revenue, fresh->revenue);
  EXPECT_EQ(reused.days_since_last, fresh->days_since_last);
  EXPECT_EQ(reused.T.size(), fresh->T.size());
  EXPECT_EQ(reused.as_of, fresh->as_of);
  // A failed call leaves the result empty, not stale.
  EXPECT_FALSE(SummarizeInto(p, SummaryOptions{}, &reused).ok());
  EXPECT_EQ(reused.size(), 0u);
  EXPECT_TRUE(reused.zbar.empty());
}

TEST(Summarize, RejectsASpecialAsOfDate) {
  Portfolio p;
  SummaryOptions options;  // as_of default-constructed: not_a_date_time
  EXPECT_FALSE(Summarize(p, options).ok());
}

}  // namespace
}  // namespace carteira
