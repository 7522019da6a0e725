// The refresh's log of judged state entries (schema version 4): over many
// daily appends and refreshes, more than kStateLogRuns of them, with
// record changes, new customers and a merge in between, the statuses the
// store keeps and the events it reports stay those of a full
// classification, `db check` passes, and the log is both written and
// merged away.
#include <sqlite3.h>

#include <algorithm>
#include <filesystem>
#include <random>
#include <string>

#include "carteira/status/status_engine.h"
#include "carteira/store/store.h"
#include "src/core/parallel.h"
#include "gtest/gtest.h"

namespace carteira {
namespace {

namespace fs = std::filesystem;

std::int64_t CountRows(const std::string& path, const char* sql) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, sql, -1, &st, nullptr), SQLITE_OK);
  std::int64_t n = -1;
  if (sqlite3_step(st) == SQLITE_ROW) n = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  sqlite3_close(db);
  return n;
}

TEST(StoreStateLogTest, ManyRefreshesKeepTheStatusesOfAFullClassification) {
  // Two threads whatever the machine: the refresh then reads half of the
  // blocks (and looks up the events' ids) through its reader connection.
  internal::ScopedMaxThreadsForTesting threads(2);
  const fs::path dir = fs::temp_directory_path() / ("carteira_state_log_test_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string path = (dir / "p.db").string();
  std::mt19937 rng(11);
  constexpr int kCustomers = 4000;  // 16 blocks
  const DayNumber start = DaysFromCivil(2024, 1, 1);

  Portfolio p;
  std::vector<Customer> customers(kCustomers);
  for (int i = 0; i < kCustomers; ++i) {
    customers[i].id = "C" + std::to_string(i);
    customers[i].key_account = i % 97 == 0;
  }
  ASSERT_TRUE(p.AddCustomers(customers).ok());
  std::vector<Transaction> history;
  for (int i = 0; i < 4 * kCustomers; ++i) {
    history.push_back({"C" + std::to_string(rng() % kCustomers), ToDate(start + static_cast<DayNumber>(rng() % 300)),
                       static_cast<MinorUnits>(rng() % 10000) - 500, "", "", "", {}});
  }
  ASSERT_TRUE(p.AddTransactions(history).ok());
  auto store = Store::Open(path);
  ASSERT_TRUE(store.ok()) << store.status();
  ASSERT_TRUE(store->Save(p).ok());
  const StatusPolicy policy = StatusPolicy::Default();
  DayNumber day = start + 300;
  ASSERT_TRUE(store->RefreshStatuses(day, policy).ok());

  std::int64_t most_log_rows = 0;
  for (int run = 0; run < 30; ++run) {
    // Every fifth day a quiet one (a refresh that visits few blocks reads
    // their log rows one by one instead of the whole log).
    const bool quiet = run % 5 == 4;
    day += quiet ? 1 : 1 + static_cast<DayNumber>(rng() % 9);
    Portfolio delta;
    std::vector<Transaction> rows;
    for (int i = 0; i < (quiet ? 2 : 400); ++i) {
      // A few new customers now and then.
      const int c = static_cast<int>(rng() % (kCustomers + 20));
      rows.push_back({"C" + std::to_string(c), ToDate(day), static_cast<MinorUnits>(rng() % 10000) - 500, "", "", "", {}});
    }
    ASSERT_TRUE(delta.AddTransactions(rows).ok());
    const bool record_changed = run % 7 == 3;
    if (record_changed) {
      Customer changed;
      changed.id = "C" + std::to_string(rng() % kCustomers);
      changed.name = "renamed";
      changed.delinquent = true;
      ASSERT_TRUE(delta.AddCustomers(std::vector<Customer>{changed}).ok());
    }
    ASSERT_TRUE(store->Append(delta).ok());
    const bool merged = run == 12;
    if (merged) {
      const std::vector<CustomerMerge> merge = {{"C5", {"C700", "C1400"}, ToDate(day), "test"}};
      ASSERT_TRUE(store->MergeCustomers(merge).ok());
    }
    auto report = store->RefreshStatuses(day, policy);
    ASSERT_TRUE(report.ok()) << report.status();

    auto loaded = store->Load();
    ASSERT_TRUE(loaded.ok()) << loaded.status();
    auto engine = StatusEngine::Create(*loaded, policy);
    ASSERT_TRUE(engine.ok());
    auto now = engine->Classify(day);
    ASSERT_TRUE(now.ok());
    auto statuses = store->Statuses();
    ASSERT_TRUE(statuses.ok()) << statuses.status();
    ASSERT_EQ(statuses->size(), now->size()) << "run " << run;
    for (const StoredStatus& s : *statuses) {
      const CustomerIndex c = *loaded->FindCustomer(s.customer_id);
      ASSERT_EQ(s.status, now->status[c]) << "run " << run << " " << s.customer_id;
      ASSERT_EQ(s.flags, now->flags[c]) << "run " << run << " " << s.customer_id;
    }
    // The events are the changes between the two dates (a record changed
    // or a merge also changes the earlier date's classification: not
    // compared then).
    if (!record_changed && !merged) {
      auto before = engine->Classify(report->previous_as_of);
      ASSERT_TRUE(before.ok());
      std::vector<std::string> expected, got;
      for (CustomerIndex c = 0; c < now->size(); ++c) {
        if (now->status[c] != before->status[c] || now->flags[c] != before->flags[c]) {
          expected.emplace_back(loaded->customers().id[c]);
        }
      }
      for (const StatusEvent& e : report->events) {
        // A customer seen for the first time is reported even when it
        // stays a prospect (a refund only).
        if (e.first && e.from == e.to && e.from_flags == e.to_flags) continue;
        got.push_back(e.customer_id);
      }
      std::sort(expected.begin(), expected.end());
      EXPECT_EQ(got, expected) << "run " << run;
    }
    auto check = store->Check();
    ASSERT_TRUE(check.ok());
    ASSERT_TRUE(check->ok()) << "run " << run << ": " << check->problems.front();
    auto counts = store->Counts();
    ASSERT_TRUE(counts.ok());
    EXPECT_EQ((*counts)["customer_state"], (*counts)["customers"]) << "run " << run;
    const std::int64_t log_rows = CountRows(path, "SELECT count(*) FROM customer_state_log");
    most_log_rows = std::max(most_log_rows, log_rows);
    // Rows older than kStateLogRuns runs are gone.
    EXPECT_EQ(CountRows(path, "SELECT count(DISTINCT id >> 24) FROM customer_state_log") <= 8, true);
  }
  EXPECT_GT(most_log_rows, 0);
  std::error_code ec;
  fs::remove_all(dir, ec);
}

}  // namespace
}  // namespace carteira
