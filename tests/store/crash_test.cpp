// Crash safety: a writer process killed (SIGKILL) at random moments while
// it appends, applies plans, merges and refreshes statuses leaves a store
// that is exactly before or after each operation: the counts of the tables
// that every operation changes together still agree, money adds up, the
// status history is consistent and SQLite's integrity check passes.
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <random>
#include <string>
#include <thread>

#include "carteira/store/store.h"
#include "gtest/gtest.h"

namespace carteira {
namespace {

namespace fs = std::filesystem;

#if defined(__SANITIZE_ADDRESS__)
constexpr int kRounds = 12;  // the sanitizer build runs everything ~10x slower
#else
constexpr int kRounds = 30;
#endif
constexpr int kBatch = 1000;          // transactions per append
constexpr int kNewCustomers = 10;     // customers per append
constexpr int kPlanMoves = 5;         // assignments per plan
constexpr std::int64_t kBatchMoney = std::int64_t{kBatch} * (kBatch + 1) / 2;  // amounts 1..kBatch
constexpr int kBaseCustomers = 50;

Date Day(int offset) { return ToDate(DaysFromCivil(2024, 1, 1) + offset); }

std::string Id(int round, int op, int j) {
  return "N" + std::to_string(round) + "_" + std::to_string(op) + "_" + std::to_string(j);
}

// The child: one operation after another until killed.
[[noreturn]] void Writer(const std::string& path, int round, int ready_fd) {
  StoreOptions options;
  options.durable = false;  // a killed process loses nothing the OS holds; speed up the loop
  auto store = Store::Open(path, options);
  if (!store.ok()) _exit(3);
  // Tell the parent the writer is at work: its delay before the kill counts
  // from here, not from a fork that a loaded machine may not schedule soon.
  const char ready = 1;
  if (write(ready_fd, &ready, 1) != 1) _exit(11);
  for (int op = 0;; ++op) {
    Portfolio delta;
    std::vector<Customer> customers(kNewCustomers);
    for (int j = 0; j < kNewCustomers; ++j) customers[j].id = Id(round, op, j);
    customers[0].name = "novo";
    if (!delta.AddCustomers(customers).ok()) _exit(4);
    std::vector<Transaction> rows(kBatch);
    for (int i = 0; i < kBatch; ++i) {
      rows[i].customer_id = i % 2 ? Id(round, op, i % kNewCustomers) : "B" + std::to_string(i % kBaseCustomers);
      rows[i].date = Day(op % 300);
      rows[i].amount = i + 1;
    }
    if (!delta.AddTransactions(rows).ok()) _exit(5);
    if (!store->Append(delta).ok()) _exit(6);
    if (op % 3 == 0) {
      std::vector<Assignment> moves(kPlanMoves);
      for (int j = 0; j < kPlanMoves; ++j) moves[j] = {Id(round, op, j), "R1", Day(op % 300), "giro"};
      if (!store->ApplyAssignments(moves, {Id(round, op, 0), Day(op % 300), "test", ""}).ok()) _exit(7);
    }
    if (op % 4 == 1) {
      const std::vector<CustomerMerge> merge = {{Id(round, op, 0), {Id(round, op, 1), Id(round, op, 2)}, Day(0), "test"}};
      if (!store->MergeCustomers(merge).ok()) _exit(8);
    }
    if (op % 5 == 2) {
      auto last = store->LastRefreshDate();
      if (!last.ok()) _exit(9);
      const DayNumber as_of = *last == kNoDay ? DaysFromCivil(2024, 6, 1) : *last + 1;
      if (!store->RefreshStatuses(as_of, StatusPolicy::Default()).ok()) _exit(10);
    }
  }
}

std::int64_t QueryInt(sqlite3* db, const char* sql) {
  sqlite3_stmt* st = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, sql, -1, &st, nullptr), SQLITE_OK) << sql;
  std::int64_t v = -1;
  if (sqlite3_step(st) == SQLITE_ROW) v = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  return v;
}

TEST(StoreCrashTest, AKilledWriterLeavesEveryOperationWholeOrAbsent) {
  const fs::path dir = fs::temp_directory_path() / ("carteira_crash_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string path = (dir / "p.db").string();
  {
    auto store = Store::Open(path);
    ASSERT_TRUE(store.ok()) << store.status();
    Portfolio base;
    std::vector<Customer> customers(kBaseCustomers);
    for (int i = 0; i < kBaseCustomers; ++i) customers[i].id = "B" + std::to_string(i);
    ASSERT_TRUE(base.AddCustomers(customers).ok());
    Rep rep;
    rep.id = "R1";
    ASSERT_TRUE(base.AddReps(std::vector<Rep>{rep}).ok());
    ASSERT_TRUE(store->Save(base).ok());
  }
  std::mt19937 rng(20240601);
  std::uniform_int_distribution<int> delay_us(500, 40000);
  std::int64_t interrupted_appends = 0, last_transactions = 0;
  for (int round = 0; round < kRounds; ++round) {
    int ready[2];
    ASSERT_EQ(pipe(ready), 0);
    const pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      close(ready[0]);
      Writer(path, round, ready[1]);
    }
    close(ready[1]);
    char byte = 0;
    ASSERT_EQ(read(ready[0], &byte, 1), 1) << "the writer of round " << round << " did not start";
    close(ready[0]);
    // Every fourth round waits longer, so that some writes land even on a
    // machine too loaded to run the writer much within 40 ms.
    const int delay = delay_us(rng) * (round % 4 == 3 ? 5 : 1);
    std::this_thread::sleep_for(std::chrono::microseconds(delay));
    ASSERT_EQ(kill(pid, SIGKILL), 0);
    int wstatus = 0;
    ASSERT_EQ(waitpid(pid, &wstatus, 0), pid);
    // Killed, not failed: an exit code would be the writer reporting an error.
    ASSERT_TRUE(WIFSIGNALED(wstatus)) << "writer exited with " << WEXITSTATUS(wstatus) << " in round " << round;

    // Reopen as the next run would, and check the invariants.
    auto store = Store::Open(path);
    ASSERT_TRUE(store.ok()) << store.status();
    auto check = store->Check();
    ASSERT_TRUE(check.ok()) << check.status();
    ASSERT_TRUE(check->ok()) << "round " << round << ": " << check->problems.front();
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
    const std::int64_t transactions = QueryInt(db, "SELECT count(*) FROM transactions");
    const std::int64_t appends = transactions / kBatch;
    EXPECT_EQ(transactions % kBatch, 0) << "round " << round;
    EXPECT_EQ(QueryInt(db, "SELECT coalesce(sum(amount), 0) FROM transactions"), appends * kBatchMoney);
    // Customers added by appends, merged or not, come ten to an append.
    EXPECT_EQ(QueryInt(db, "SELECT (SELECT count(*) FROM customers) + (SELECT count(*) FROM customer_aliases)"),
              kBaseCustomers + appends * kNewCustomers)
        << "round " << round;
    // Each merge moves two customers into a survivor, all or nothing.
    EXPECT_EQ(QueryInt(db, "SELECT count(*) FROM customer_aliases") % 2, 0);
    EXPECT_EQ(QueryInt(db, "SELECT count(*) FROM assignments"), QueryInt(db, "SELECT count(*) FROM plans") * kPlanMoves);
    // Every customer with new data is either dirty or refreshed after it.
    EXPECT_EQ(QueryInt(db, "SELECT count(*) FROM status_runs WHERE changed > checked"), 0);
    EXPECT_EQ(QueryInt(db, "SELECT count(*) FROM status_events e WHERE e.run > (SELECT max(pk) FROM status_runs)"), 0);
    sqlite3_close(db);
    EXPECT_GE(transactions, last_transactions);
    interrupted_appends += transactions == last_transactions;
    last_transactions = transactions;
    // The store takes the next loaded portfolio whole.
    auto loaded = store->Load();
    ASSERT_TRUE(loaded.ok()) << loaded.status();
    EXPECT_EQ(static_cast<std::int64_t>(loaded->transactions().size()), transactions);
  }
  // The kills did land while the writer was at work (a store that never
  // grew would prove nothing).
  EXPECT_GT(last_transactions, 0);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace carteira
