#include "carteira/store/store.h"

#include <sqlite3.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <thread>
#include <tuple>

#include "carteira/io/import.h"
#include "carteira/status/status_engine.h"
#include "gtest/gtest.h"

namespace carteira {
namespace {

namespace fs = std::filesystem;

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("carteira_store_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override {
    std::error_code ec;
    fs::permissions(dir_, fs::perms::owner_all, ec);
    fs::remove_all(dir_, ec);
  }
  std::string Path(const std::string& name) const { return (dir_ / name).string(); }
  fs::path dir_;
};

Date D(const char* iso) { return ToDate(*ParseDate(iso)); }

Portfolio Sample() {
  Portfolio p;
  Customer a;
  a.id = "A";
  a.name = "Ana";
  a.document = "529.982.247-25";
  a.segment = "varejo";
  a.created_at = D("2023-01-02");
  a.attributes = {{"canal", "loja"}};
  Customer b;
  b.id = "B";
  b.name = "Bruno";
  b.delinquent = true;
  Customer c;
  c.id = "C";
  c.key_account = true;
  EXPECT_TRUE(p.AddCustomers(std::vector<Customer>{a, b, c}).ok());
  Rep r;
  r.id = "R1";
  r.name = "Rita";
  r.segments = {"varejo", "atacado"};
  r.capacity = 50;
  r.attributes = {{"nivel", "senior"}};
  EXPECT_TRUE(p.AddReps(std::vector<Rep>{r}).ok());
  std::vector<Transaction> t = {
      {"A", D("2024-01-05"), 1000, "O1", "R1", "bebidas", {}},
      {"B", D("2024-01-06"), 2550, "", "", "", {{"loja", "centro"}}},
      {"A", D("2024-02-05"), -300, "O2", "", "bebidas", {}},
      {"C", D("2024-03-01"), 99999, "O3", "R1", "limpeza", {}},
  };
  EXPECT_TRUE(p.AddTransactions(t).ok());
  EXPECT_TRUE(p.AddContracts(std::vector<Contract>{{"C", "K1", D("2024-01-01"), D("2024-12-31"), 120000, true}}).ok());
  EXPECT_TRUE(p.AddInteractions(std::vector<Interaction>{{"A", "R1", D("2024-01-10"), "visit", "ok"}}).ok());
  EXPECT_TRUE(p.AddSurveyAnswers(std::vector<SurveyAnswer>{{"B", D("2024-01-20"), 9}}).ok());
  EXPECT_TRUE(p.AddAssignments(std::vector<Assignment>{{"A", "R1", D("2024-01-01"), "inicial"}}).ok());
  return p;
}

// Transactions as sorted tuples: the store keeps them by customer.
std::vector<std::tuple<std::string, DayNumber, MinorUnits, std::string, std::string, std::string>>
Rows(const Portfolio& p) {
  std::vector<std::tuple<std::string, DayNumber, MinorUnits, std::string, std::string, std::string>> out;
  const auto& t = p.transactions();
  for (size_t i = 0; i < t.size(); ++i) {
    const RepIndex r = t.rep[i];
    out.emplace_back(std::string(p.customers().id[t.customer[i]]), t.date[i], t.amount[i],
                     std::string(t.order_id[i]), r < 0 ? "" : std::string(p.reps().id[r]),
                     std::string(p.categories()[t.category[i]]));
  }
  std::sort(out.begin(), out.end());
  return out;
}

TEST_F(StoreTest, SaveThenLoadGivesBackEveryEntity) {
  Portfolio p = Sample();
  ASSERT_TRUE(p.MergeCustomers(std::vector<CustomerMerge>{{"A", {"B"}, D("2024-04-01"), "ana"}}).ok());
  auto store = Store::Open(Path("p.db"));
  ASSERT_TRUE(store.ok()) << store.status();
  ASSERT_TRUE(store->Save(p).ok());
  auto loaded = store->Load();
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  const Portfolio& q = *loaded;
  ASSERT_EQ(q.customers().size(), 2u);
  EXPECT_EQ(q.customers().id[0], "A");
  EXPECT_EQ(q.customers().name[0], "Ana");
  EXPECT_EQ(q.customers().document[0], "529.982.247-25");
  EXPECT_EQ(q.customers().delinquent[0], 1);  // absorbed from B
  EXPECT_EQ(q.customers().attributes.Get("canal", 0), "loja");
  EXPECT_EQ(q.customers().key_account[1], 1);
  EXPECT_EQ(q.customers().created_at[0], DaysFromCivil(2023, 1, 2));
  EXPECT_EQ(Rows(q), Rows(p));
  for (size_t i = 0; i < q.transactions().size(); ++i) {
    EXPECT_EQ(q.transactions().attributes.Get("loja", i), q.transactions().amount[i] == 2550 ? "centro" : "");
  }
  ASSERT_EQ(q.reps().size(), 1u);
  EXPECT_EQ(q.reps().segments[0], (std::vector<std::string>{"varejo", "atacado"}));
  EXPECT_EQ(q.reps().capacity[0], 50);
  EXPECT_EQ(q.reps().attributes.Get("nivel", 0), "senior");
  ASSERT_EQ(q.contracts().size(), 1u);
  EXPECT_EQ(q.contracts().value[0], 120000);
  EXPECT_EQ(q.contracts().auto_renew[0], 1);
  ASSERT_EQ(q.interactions().size(), 1u);
  EXPECT_EQ(q.channels()[q.interactions().channel[0]], "visit");
  ASSERT_EQ(q.surveys().size(), 1u);
  EXPECT_EQ(q.customers().id[q.surveys().customer[0]], "A");  // moved with the merge
  ASSERT_EQ(q.assignments().size(), 1u);
  EXPECT_EQ(q.assignments().reason[0], "inicial");
  ASSERT_EQ(q.customer_aliases().size(), 1u);
  EXPECT_EQ(q.customer_aliases().alias[0], "B");
  EXPECT_EQ(q.merged_customers().name[0], "Bruno");  // the record as it was
  EXPECT_EQ(*q.FindCustomer("B"), *q.FindCustomer("A"));
  EXPECT_TRUE(q.FindOrder("O3").has_value());

  auto counts = store->Counts();
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts->at("customers"), 2);
  EXPECT_EQ(counts->at("transactions"), 4);
  EXPECT_EQ(counts->at("merged_customers"), 1);
  auto check = store->Check();
  ASSERT_TRUE(check.ok());
  EXPECT_TRUE(check->ok()) << check->problems.front();
}

TEST_F(StoreTest, SaveIntoAFullStoreIsRefusedUnlessReplacing) {
  auto store = Store::Open(Path("p.db"));
  ASSERT_TRUE(store.ok());
  ASSERT_TRUE(store->Save(Sample()).ok());
  absl::Status again = store->Save(Sample());
  EXPECT_EQ(again.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(store->Save(Sample(), /*replace=*/true).ok());
  EXPECT_EQ(store->Counts()->at("customers"), 3);
}

TEST_F(StoreTest, AppendAddsRowsAndUpdatesKnownCustomers) {
  auto store = Store::Open(Path("p.db"));
  ASSERT_TRUE(store.ok());
  ASSERT_TRUE(store->Save(Sample()).ok());
  Portfolio delta;
  Customer a;
  a.id = "A";
  a.email = "ana@example.com";
  Customer d;
  d.id = "D";
  d.name = "Dora";
  ASSERT_TRUE(delta.AddCustomers(std::vector<Customer>{a, d}).ok());
  ASSERT_TRUE(delta.AddTransactions(std::vector<Transaction>{
                                        {"D", D("2024-03-02"), 500, "O4", "", "bebidas", {}},
                                        {"C", D("2024-03-03"), 700, "", "R1", "", {}},
                                    })
                  .ok());
  auto report = store->Append(delta);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->customers_added, 1);
  EXPECT_EQ(report->customers_updated, 1);
  EXPECT_EQ(report->transactions, 2);
  EXPECT_EQ(report->affected_customers, 3);  // A (record), D, C
  auto q = store->Load();
  ASSERT_TRUE(q.ok()) << q.status();
  EXPECT_EQ(q->customers().size(), 4u);
  const CustomerIndex ai = *q->FindCustomer("A");
  EXPECT_EQ(q->customers().email[ai], "ana@example.com");
  EXPECT_EQ(q->customers().name[ai], "Ana");  // empty fields keep the stored value
  EXPECT_EQ(q->transactions().size(), 6u);
  EXPECT_EQ(*store->LastTransactionDate(), DaysFromCivil(2024, 3, 3));

  // An order the store has: nothing of the batch is appended.
  Portfolio dup;
  ASSERT_TRUE(dup.AddTransactions(std::vector<Transaction>{{"A", D("2024-03-04"), 1, "O9", "", "", {}},
                                                           {"A", D("2024-03-04"), 1, "O1", "", "", {}}})
                  .ok());
  auto failed = store->Append(dup);
  EXPECT_EQ(failed.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_NE(failed.status().message().find("'O1'"), std::string_view::npos) << failed.status();
  EXPECT_EQ(store->Counts()->at("transactions"), 6);
  EXPECT_TRUE(store->Check()->ok());
}

TEST_F(StoreTest, RefreshReportsOnlyTheChangesSinceThePreviousRun) {
  auto store = Store::Open(Path("p.db"));
  ASSERT_TRUE(store.ok());
  ASSERT_TRUE(store->Save(Sample()).ok());
  const StatusPolicy policy = StatusPolicy::Default();
  auto first = store->RefreshStatuses(DaysFromCivil(2024, 3, 1), policy);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->customers_checked, 3);
  EXPECT_TRUE(first->events.empty());  // the baseline
  // Nothing new, same day: nothing recomputed.
  auto same = store->RefreshStatuses(DaysFromCivil(2024, 3, 1), policy);
  ASSERT_TRUE(same.ok());
  EXPECT_EQ(same->customers_checked, 0);
  EXPECT_TRUE(same->events.empty());

  // The events of a refresh are exactly the customers whose status, by a
  // full classification of the whole portfolio, differs between the two
  // dates; thresholds crossed count although nothing was appended.
  auto expect_events_match_full = [&](const RefreshReport& r) {
    auto loaded = store->Load();
    ASSERT_TRUE(loaded.ok());
    auto engine = StatusEngine::Create(*loaded, policy);
    ASSERT_TRUE(engine.ok());
    auto before = engine->Classify(r.previous_as_of);
    auto now = engine->Classify(r.as_of);
    ASSERT_TRUE(before.ok() && now.ok());
    std::vector<std::string> expected, got;
    for (CustomerIndex c = 0; c < now->size(); ++c) {
      if (now->status[c] != before->status[c] || now->flags[c] != before->flags[c]) {
        expected.emplace_back(loaded->customers().id[c]);
      }
    }
    for (const StatusEvent& e : r.events) {
      got.push_back(e.customer_id);
      const CustomerIndex c = *loaded->FindCustomer(e.customer_id);
      EXPECT_EQ(e.to, now->status[c]) << e.customer_id;
      EXPECT_EQ(e.from, before->status[c]) << e.customer_id;
    }
    EXPECT_EQ(got, expected);
  };
  auto aged = store->RefreshStatuses(DaysFromCivil(2025, 3, 1), policy);
  ASSERT_TRUE(aged.ok()) << aged.status();
  EXPECT_EQ(aged->previous_as_of, DaysFromCivil(2024, 3, 1));
  EXPECT_FALSE(aged->events.empty());
  expect_events_match_full(*aged);

  // A new purchase for A: A comes back (and C, whose year without a
  // purchase ends that day, is due too).
  Portfolio delta;
  ASSERT_TRUE(delta.AddTransactions(std::vector<Transaction>{{"A", D("2025-03-02"), 800, "", "", "", {}}}).ok());
  ASSERT_TRUE(store->Append(delta).ok());
  auto after = store->RefreshStatuses(DaysFromCivil(2025, 3, 2), policy);
  ASSERT_TRUE(after.ok()) << after.status();
  ASSERT_FALSE(after->events.empty());
  EXPECT_EQ(after->events[0].customer_id, "A");
  EXPECT_EQ(after->events[0].to, Status::kReactivated);
  expect_events_match_full(*after);

  EXPECT_EQ(store->RefreshStatuses(DaysFromCivil(2025, 1, 1), policy).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(store->Check()->ok()) << store->Check()->problems.front();

  // What the store keeps: every customer's status as of the last refresh
  // (a full classification's), and the history of the events as returned.
  auto statuses = store->Statuses();
  ASSERT_TRUE(statuses.ok()) << statuses.status();
  auto loaded = store->Load();
  auto engine = StatusEngine::Create(*loaded, policy);
  auto now = engine->Classify(DaysFromCivil(2025, 3, 2));
  ASSERT_TRUE(now.ok());
  ASSERT_EQ(statuses->size(), now->size());
  for (const StoredStatus& s : *statuses) {
    const CustomerIndex c = *loaded->FindCustomer(s.customer_id);
    EXPECT_EQ(s.status, now->status[c]) << s.customer_id;
    EXPECT_EQ(s.flags, now->flags[c]) << s.customer_id;
    EXPECT_EQ(s.as_of, DaysFromCivil(2025, 3, 2));
  }
  auto history = store->History(DaysFromCivil(2024, 1, 1), DaysFromCivil(2025, 12, 31));
  ASSERT_TRUE(history.ok()) << history.status();
  ASSERT_EQ(history->size(), aged->events.size() + after->events.size());
  for (size_t i = 0; i < aged->events.size(); ++i) {
    EXPECT_EQ((*history)[i].as_of, DaysFromCivil(2025, 3, 1));
    EXPECT_EQ((*history)[i].event.customer_id, aged->events[i].customer_id);
    EXPECT_EQ((*history)[i].event.to, aged->events[i].to);
  }
  EXPECT_EQ((*history)[aged->events.size()].event.customer_id, "A");
  EXPECT_EQ(store->History(DaysFromCivil(2025, 3, 1), DaysFromCivil(2025, 3, 1))->size(), 0u);  // (from, to]
  EXPECT_EQ(store->History(DaysFromCivil(2025, 3, 2), DaysFromCivil(2025, 1, 1)).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(StoreTest, TransactionsDatedAfterARefreshCountWhenTheirDateComes) {
  auto store = Store::Open(Path("p.db"));
  ASSERT_TRUE(store.ok());
  ASSERT_TRUE(store->Save(Sample()).ok());
  const StatusPolicy policy = StatusPolicy::Default();
  ASSERT_TRUE(store->RefreshStatuses(DaysFromCivil(2024, 6, 1), policy).ok());
  // B buys again, dated after the next refresh.
  Portfolio delta;
  ASSERT_TRUE(delta.AddTransactions(std::vector<Transaction>{{"B", D("2025-06-10"), 800, "", "", "", {}}}).ok());
  ASSERT_TRUE(store->Append(delta).ok());
  auto loaded = store->Load();
  ASSERT_TRUE(loaded.ok());
  auto engine = StatusEngine::Create(*loaded, policy);
  ASSERT_TRUE(engine.ok());
  auto stored_matches = [&](DayNumber as_of) {
    auto full = engine->Classify(as_of);
    ASSERT_TRUE(full.ok());
    auto statuses = store->Statuses();
    ASSERT_TRUE(statuses.ok());
    ASSERT_EQ(statuses->size(), full->size());
    for (const StoredStatus& s : *statuses) {
      const CustomerIndex c = *loaded->FindCustomer(s.customer_id);
      EXPECT_EQ(s.status, full->status[c]) << s.customer_id << " as of " << FormatDate(as_of);
    }
  };
  auto early = store->RefreshStatuses(DaysFromCivil(2025, 3, 1), policy);
  ASSERT_TRUE(early.ok()) << early.status();
  stored_matches(DaysFromCivil(2025, 3, 1));  // the purchase does not count yet
  auto late = store->RefreshStatuses(DaysFromCivil(2025, 6, 10), policy);
  ASSERT_TRUE(late.ok()) << late.status();
  stored_matches(DaysFromCivil(2025, 6, 10));
  ASSERT_FALSE(late->events.empty());
  EXPECT_EQ(late->events[0].customer_id, "B");
  EXPECT_EQ(late->events[0].to, Status::kReactivated);
  EXPECT_TRUE(store->Check()->ok()) << store->Check()->problems.front();
}

TEST_F(StoreTest, ALoadGivesTransactionsInRecordingOrderWithEveryFieldAppendedLater) {
  // Saved without order ids, reps, categories or customer fields; the
  // append brings them: the load reads them (the store keeps which columns
  // hold values and selects only those).
  Portfolio bare;
  ASSERT_TRUE(bare.AddTransactions(std::vector<Transaction>{{"A", D("2024-01-02"), 100, "", "", "", {}},
                                                            {"B", D("2024-01-01"), 200, "", "", "", {}}})
                  .ok());
  auto store = Store::Open(Path("p.db"));
  ASSERT_TRUE(store.ok());
  ASSERT_TRUE(store->Save(bare).ok());
  Portfolio delta;
  Customer a;
  a.id = "A";
  a.city = "Recife";
  a.delinquent = true;
  ASSERT_TRUE(delta.AddCustomers(std::vector<Customer>{a}).ok());
  Rep r;
  r.id = "R9";
  ASSERT_TRUE(delta.AddReps(std::vector<Rep>{r}).ok());
  ASSERT_TRUE(delta.AddTransactions(std::vector<Transaction>{{"B", D("2024-01-03"), 300, "X1", "R9", "frios", {}},
                                                             {"A", D("2024-01-01"), 400, "", "", "", {}}})
                  .ok());
  ASSERT_TRUE(store->Append(delta).ok());
  auto q = store->Load();
  ASSERT_TRUE(q.ok()) << q.status();
  const auto& t = q->transactions();
  ASSERT_EQ(t.size(), 4u);
  EXPECT_EQ(std::vector<MinorUnits>(t.amount.begin(), t.amount.end()), (std::vector<MinorUnits>{100, 200, 300, 400}));
  EXPECT_EQ(t.order_id[2], "X1");
  EXPECT_EQ(q->reps().id[t.rep[2]], "R9");
  EXPECT_EQ(q->categories()[t.category[2]], "frios");
  EXPECT_EQ(t.rep[0], kNoRep);
  const CustomerIndex ai = *q->FindCustomer("A");
  EXPECT_EQ(q->customers().city[ai], "Recife");
  EXPECT_EQ(q->customers().delinquent[ai], 1);
  EXPECT_TRUE(q->FindOrder("X1").has_value());
  EXPECT_TRUE(store->Check()->ok()) << store->Check()->problems.front();
}

// Transaction rows are written 64 to a statement (src/store/transaction_rows.h):
// a duplicate order in the middle of a batch still names its own row, and
// nothing of the append stays.
TEST_F(StoreTest, ADuplicateOrderInsideABatchIsNamedAndNothingIsAppended) {
  auto store = Store::Open(Path("p.db"));
  ASSERT_TRUE(store.ok());
  ASSERT_TRUE(store->Save(Sample()).ok());
  auto before = store->Counts();
  ASSERT_TRUE(before.ok());
  std::vector<Transaction> rows;
  for (int i = 0; i < 200; ++i) {
    rows.push_back({i % 2 ? "A" : "NEW", D("2024-04-01"), 100 + i, "N" + std::to_string(i), "", "", {}});
  }
  rows[130].order_id = "O2";  // the sample's
  Portfolio delta;
  ASSERT_TRUE(delta.AddTransactions(rows).ok());
  auto appended = store->Append(delta);
  ASSERT_FALSE(appended.ok());
  EXPECT_EQ(appended.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_NE(appended.status().message().find("transaction 130: order 'O2' is already in the store; nothing appended"),
            std::string_view::npos)
      << appended.status();
  auto after = store->Counts();
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(*after, *before);  // "NEW" not added either
  // Without the duplicate, all 200 go in, in recording order.
  rows[130].order_id = "N130";
  Portfolio good;
  ASSERT_TRUE(good.AddTransactions(rows).ok());
  ASSERT_TRUE(store->Append(good).ok());
  auto loaded = store->Load();
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  const auto& t = loaded->transactions();
  const size_t saved = static_cast<size_t>(before->at("transactions"));
  ASSERT_EQ(t.size(), saved + 200);
  for (size_t i = 0; i < 200; ++i) {
    const size_t row = saved + i;
    ASSERT_EQ(t.amount[row], 100 + static_cast<MinorUnits>(i)) << i;
    ASSERT_EQ(t.order_id[row], "N" + std::to_string(i)) << i;
  }
  EXPECT_TRUE(store->Check()->ok());
}

TEST_F(StoreTest, CheckpointCopiesTheLogIntoTheFile) {
  auto store = Store::Open(Path("p.db"));
  ASSERT_TRUE(store.ok());
  ASSERT_TRUE(store->Save(Sample()).ok());
  // A small commit stays in the write-ahead log (under 1,000 pages).
  const auto before = fs::file_size(Path("p.db"));
  ASSERT_TRUE(store->Checkpoint().ok());
  EXPECT_GT(fs::file_size(Path("p.db")), before);
  // The file alone now holds everything.
  fs::copy_file(Path("p.db"), Path("copy.db"));
  auto copy = Store::Open(Path("copy.db"), StoreOptions{.create = false, .read_only = true});
  ASSERT_TRUE(copy.ok()) << copy.status();
  auto counts = copy->Counts();
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts->at("transactions"), 4);
  EXPECT_EQ(copy->Checkpoint().code(), absl::StatusCode::kPermissionDenied);
}

// The store asks SQLite, before its first use in the process, to keep no
// memory statistics (src/store/sqlite.cpp: a process-wide lock around every
// allocation otherwise). ctest runs each test in a process of its own, in
// which this test's store is SQLite's first use.
TEST_F(StoreTest, SqliteKeepsNoMemoryStatistics) {
  // Run with other tests in one process, SQLite may have been started
  // (with statistics) by a test that opened it directly.
  if (sqlite3_memory_used() > 0) GTEST_SKIP() << "SQLite was used earlier in this process";
  auto store = Store::Open(Path("p.db"));
  ASSERT_TRUE(store.ok());
  ASSERT_TRUE(store->Save(Sample()).ok());
  void* memory = sqlite3_malloc(100000);
  ASSERT_NE(memory, nullptr);
  EXPECT_EQ(sqlite3_memory_used(), 0);
  sqlite3_free(memory);
}

// A refresh takes the new rows from its handle's last Append instead of
// reading them back (src/store/store_impl.h), unless another connection has
// written since: here a merge on a second handle moves the appended rows to
// the survivor, and the refresh must see them there.
TEST_F(StoreTest, ARefreshAfterAnotherWritersMergeReadsTheRowsBack) {
  auto store = Store::Open(Path("p.db"));
  ASSERT_TRUE(store.ok());
  ASSERT_TRUE(store->Save(Sample()).ok());
  ASSERT_TRUE(store->RefreshStatuses(*ParseDate("2024-06-01"), StatusPolicy::Default()).ok());
  Portfolio delta;
  ASSERT_TRUE(delta.AddTransactions(std::vector<Transaction>{{"B", D("2024-06-02"), 500, "", "", "", {}},
                                                             {"B", D("2024-06-03"), 700, "", "", "", {}}})
                  .ok());
  ASSERT_TRUE(store->Append(delta).ok());
  {
    auto other = Store::Open(Path("p.db"));
    ASSERT_TRUE(other.ok());
    const CustomerMerge merge{"A", {"B"}, D("2024-06-03"), "test"};
    ASSERT_TRUE(other->MergeCustomers(std::span<const CustomerMerge>(&merge, 1)).ok());
  }
  const DayNumber as_of = *ParseDate("2024-06-03");
  auto report = store->RefreshStatuses(as_of, StatusPolicy::Default());
  ASSERT_TRUE(report.ok()) << report.status();
  auto loaded = store->Load();
  ASSERT_TRUE(loaded.ok());
  auto engine = StatusEngine::Create(*loaded, StatusPolicy::Default());
  ASSERT_TRUE(engine.ok());
  auto expected = engine->Classify(as_of);
  ASSERT_TRUE(expected.ok());
  auto statuses = store->Statuses();
  ASSERT_TRUE(statuses.ok());
  ASSERT_EQ(statuses->size(), 2u);  // A (with B's rows) and C
  for (const StoredStatus& st : *statuses) {
    const CustomerIndex c = *loaded->FindCustomer(st.customer_id);
    EXPECT_EQ(st.status, expected->status[c]) << st.customer_id;
    EXPECT_EQ(st.flags, expected->flags[c]) << st.customer_id;
  }
  EXPECT_TRUE(store->Check()->ok()) << store->Check()->problems.front();
}

// Store::Snapshot: reads inside see one committed state while another
// connection appends and commits; after it, they see the append.
TEST_F(StoreTest, ASnapshotKeepsItsReadsOnOneState) {
  auto store = Store::Open(Path("p.db"));
  ASSERT_TRUE(store.ok());
  ASSERT_TRUE(store->Save(Sample()).ok());
  auto reader = Store::Open(Path("p.db"), StoreOptions{.create = false, .read_only = true});
  ASSERT_TRUE(reader.ok()) << reader.status();
  auto transactions = [](Store& s) { return s.Counts()->at("transactions"); };
  absl::Status s = reader->Snapshot([&](Store& r) -> absl::Status {
    EXPECT_EQ(transactions(r), 4);
    Portfolio delta;
    EXPECT_TRUE(delta.AddTransactions(std::vector<Transaction>{{"A", D("2024-06-02"), 500, "", "", "", {}}}).ok());
    EXPECT_TRUE(store->Append(delta).ok());  // another connection commits
    EXPECT_EQ(transactions(r), 4);
    auto loaded = r.Load();
    EXPECT_TRUE(loaded.ok());
    if (loaded.ok()) EXPECT_EQ(loaded->transactions().size(), 4u);
    return absl::OkStatus();
  });
  EXPECT_TRUE(s.ok()) << s;
  EXPECT_EQ(transactions(*reader), 5);
  // The body's error is returned.
  EXPECT_EQ(reader->Snapshot([](Store&) { return absl::NotFoundError("x"); }).code(), absl::StatusCode::kNotFound);
}

TEST_F(StoreTest, TheRefreshPolicyIsKeptAndAChangeJudgesEveryoneAgain) {
  auto store = Store::Open(Path("p.db"));
  ASSERT_TRUE(store.ok());
  ASSERT_TRUE(store->Save(Sample()).ok());
  EXPECT_FALSE(store->LastPolicy()->has_value());
  const StatusPolicy policy = StatusPolicy::Default();
  ASSERT_TRUE(store->RefreshStatuses(DaysFromCivil(2024, 6, 1), policy).ok());
  ASSERT_TRUE(store->LastPolicy()->has_value());
  EXPECT_EQ(**store->LastPolicy(), policy.ToJson());
  auto same = store->RefreshStatuses(DaysFromCivil(2024, 6, 2), policy);
  ASSERT_TRUE(same.ok());
  EXPECT_FALSE(same->policy_changed);
  EXPECT_EQ(same->customers_checked, 0);
  // Stricter thresholds: everyone judged again, the events are the new
  // policy's changes, and the stored statuses are a full classification's.
  const StatusPolicy strict = StatusPolicy::FixedThresholds(30, 60, 90);
  auto changed = store->RefreshStatuses(DaysFromCivil(2024, 6, 2), strict);
  ASSERT_TRUE(changed.ok()) << changed.status();
  EXPECT_TRUE(changed->policy_changed);
  EXPECT_EQ(changed->customers_checked, 3);
  EXPECT_FALSE(changed->events.empty());
  EXPECT_EQ(**store->LastPolicy(), strict.ToJson());
  auto loaded = store->Load();
  auto full = StatusEngine::Create(*loaded, strict)->Classify(DaysFromCivil(2024, 6, 2));
  ASSERT_TRUE(full.ok());
  auto statuses = store->Statuses();
  ASSERT_TRUE(statuses.ok());
  ASSERT_EQ(statuses->size(), 3u);
  for (const StoredStatus& s : *statuses) {
    EXPECT_EQ(s.status, full->status[*loaded->FindCustomer(s.customer_id)]) << s.customer_id;
  }
  // The kept policy reads back as the same policy.
  auto reread = StatusPolicy::FromJson(**store->LastPolicy());
  ASSERT_TRUE(reread.ok()) << reread.status();
  EXPECT_FALSE(store->RefreshStatuses(DaysFromCivil(2024, 6, 3), *reread)->policy_changed);
}

TEST_F(StoreTest, MergeInTheStoreMatchesAnInMemoryMerge) {
  auto store = Store::Open(Path("p.db"));
  ASSERT_TRUE(store.ok());
  ASSERT_TRUE(store->Save(Sample()).ok());
  const std::vector<CustomerMerge> merge = {{"A", {"B"}, D("2024-04-01"), "ana"}};
  ASSERT_TRUE(store->MergeCustomers(merge).ok());
  Portfolio expected = Sample();
  ASSERT_TRUE(expected.MergeCustomers(merge).ok());
  auto q = store->Load();
  ASSERT_TRUE(q.ok()) << q.status();
  EXPECT_EQ(Rows(*q), Rows(expected));
  EXPECT_EQ(q->customers().size(), 2u);
  EXPECT_EQ(q->customers().delinquent[*q->FindCustomer("A")], 1);
  EXPECT_EQ(q->merged_customers().name[0], "Bruno");
  // Merging again names the survivor; nothing changes.
  absl::Status again = store->MergeCustomers(merge);
  EXPECT_EQ(again.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(again.message().find("already merged into 'A'"), std::string_view::npos) << again;
  // A later append keyed by the old id lands on the survivor.
  Portfolio delta;
  ASSERT_TRUE(delta.AddTransactions(std::vector<Transaction>{{"B", D("2024-05-01"), 5, "", "", "", {}}}).ok());
  ASSERT_TRUE(store->Append(delta).ok());
  auto r = store->Load();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->customers().size(), 2u);
  EXPECT_TRUE(store->Check()->ok()) << store->Check()->problems.front();
}

TEST_F(StoreTest, AppliedPlansKeepTheirAssignments) {
  auto store = Store::Open(Path("p.db"));
  ASSERT_TRUE(store.ok());
  ASSERT_TRUE(store->Save(Sample()).ok());
  ASSERT_TRUE(store->ApplyAssignments(std::vector<Assignment>{{"B", "R1", D("2024-05-01"), "giro"}},
                                      {"giro de maio", D("2024-05-01"), "ana", ""})
                  .ok());
  absl::Status bad = store->ApplyAssignments(
      std::vector<Assignment>{{"C", "R1", D("2024-05-01"), ""}, {"Z", "R1", D("2024-05-01"), ""}},
      {"x", D("2024-05-01"), "ana", ""});
  EXPECT_EQ(bad.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(bad.message().find("unknown customer 'Z'"), std::string_view::npos) << bad;
  // The same plan again would write its moves twice: refused, nothing written.
  absl::Status twice = store->ApplyAssignments(std::vector<Assignment>{{"C", "R1", D("2024-05-02"), "giro"}},
                                               {"giro de maio", D("2024-05-02"), "rui", ""});
  EXPECT_EQ(twice.code(), absl::StatusCode::kAlreadyExists);
  EXPECT_NE(twice.message().find("plan 'giro de maio' was already applied on 2024-05-01 by 'ana'"),
            std::string_view::npos)
      << twice;
  auto counts = store->Counts();
  EXPECT_EQ(counts->at("plans"), 1);
  EXPECT_EQ(counts->at("assignments"), 2);
  EXPECT_TRUE(store->Check()->ok());
}

TEST_F(StoreTest, AFileThatIsNotAStoreIsRefusedUntouched) {
  const std::string text = Path("notes.txt");
  std::ofstream(text) << "these are not the bytes you are looking for\n" << std::string(5000, 'x');
  const auto size = fs::file_size(text);
  auto opened = Store::Open(text);
  EXPECT_EQ(opened.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(opened.status().message().find("not a Carteira store"), std::string_view::npos)
      << opened.status();
  EXPECT_NE(opened.status().message().find(text), std::string_view::npos);
  EXPECT_EQ(fs::file_size(text), size);

  // Another application's SQLite database.
  const std::string other = Path("other.db");
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(other.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "CREATE TABLE t(x); INSERT INTO t VALUES(1);", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  auto foreign = Store::Open(other);
  EXPECT_EQ(foreign.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(foreign.status().message().find("not a Carteira store"), std::string_view::npos);
}

TEST_F(StoreTest, ANewerSchemaIsRefused) {
  const std::string path = Path("p.db");
  ASSERT_TRUE(Store::Open(path).ok());
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "PRAGMA user_version=99", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  auto opened = Store::Open(path);
  EXPECT_EQ(opened.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(opened.status().message().find("schema version 99 is newer"), std::string_view::npos)
      << opened.status();
}

TEST_F(StoreTest, MissingFileWithoutCreateIsNotFound) {
  StoreOptions options;
  options.create = false;
  auto opened = Store::Open(Path("none.db"), options);
  EXPECT_EQ(opened.status().code(), absl::StatusCode::kNotFound);
  EXPECT_FALSE(fs::exists(Path("none.db")));
}

TEST_F(StoreTest, ReadOnlyStoreRefusesWritesWithAClearError) {
  const std::string path = Path("p.db");
  {
    auto store = Store::Open(path);
    ASSERT_TRUE(store.ok());
    ASSERT_TRUE(store->Save(Sample()).ok());
  }
  StoreOptions options;
  options.read_only = true;
  auto store = Store::Open(path, options);
  ASSERT_TRUE(store.ok()) << store.status();
  EXPECT_EQ(store->Load()->customers().size(), 3u);
  Portfolio delta;
  ASSERT_TRUE(delta.AddTransactions(std::vector<Transaction>{{"A", D("2024-03-04"), 1, "", "", "", {}}}).ok());
  auto appended = store->Append(delta);
  EXPECT_EQ(appended.status().code(), absl::StatusCode::kPermissionDenied) << appended.status();
  EXPECT_NE(appended.status().message().find(path), std::string_view::npos);
  EXPECT_EQ(store->Counts()->at("transactions"), 4);
}

TEST_F(StoreTest, ASecondWriterGetsBusyAndReadersKeepTheirSnapshot) {
  const std::string path = Path("p.db");
  StoreOptions quick;
  quick.busy_timeout = std::chrono::milliseconds(100);
  auto writer = Store::Open(path, quick);
  ASSERT_TRUE(writer.ok());
  ASSERT_TRUE(writer->Save(Sample()).ok());
  auto second = Store::Open(path, quick);
  ASSERT_TRUE(second.ok());
  // Hold the write lock from a raw connection, as another process would.
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "BEGIN IMMEDIATE; DELETE FROM surveys;", nullptr, nullptr, nullptr), SQLITE_OK);
  Portfolio delta;
  ASSERT_TRUE(delta.AddTransactions(std::vector<Transaction>{{"A", D("2024-03-04"), 1, "", "", "", {}}}).ok());
  auto busy = second->Append(delta);
  EXPECT_EQ(busy.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(busy.status().message().find("busy"), std::string_view::npos) << busy.status();
  EXPECT_NE(busy.status().message().find(path), std::string_view::npos);
  // Readers see the committed state, not the open transaction's.
  std::thread reader([&] {
    auto r = Store::Open(path, quick);
    ASSERT_TRUE(r.ok());
    auto p = r->Load();
    ASSERT_TRUE(p.ok()) << p.status();
    EXPECT_EQ(p->surveys().size(), 1u);
  });
  reader.join();
  sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close(db);
  EXPECT_TRUE(second->Append(delta).ok());
  EXPECT_TRUE(writer->Check()->ok());
}

TEST_F(StoreTest, CheckFindsABrokenReference) {
  const std::string path = Path("p.db");
  auto store = Store::Open(path);
  ASSERT_TRUE(store.ok());
  ASSERT_TRUE(store->Save(Sample()).ok());
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "INSERT INTO surveys(customer, date, score) VALUES(999, 1, 5)", nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  auto check = store->Check();
  ASSERT_TRUE(check.ok());
  ASSERT_FALSE(check->ok());
  EXPECT_NE(check->problems.front().find("surveys"), std::string::npos) << check->problems.front();
  // Loading names the table instead of building a wrong portfolio.
  auto loaded = store->Load();
  EXPECT_EQ(loaded.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_NE(loaded.status().message().find("table surveys"), std::string_view::npos) << loaded.status();
}

TEST_F(StoreTest, TheSampleDirectoryRoundTrips) {
  Portfolio p;
  ImportReport report;
  ASSERT_TRUE(ImportDirectory(p, CARTEIRA_SAMPLE_DIR, {}, &report).ok());
  auto store = Store::Open(Path("sample.db"));
  ASSERT_TRUE(store.ok());
  ASSERT_TRUE(store->Save(p).ok());
  auto q = store->Load();
  ASSERT_TRUE(q.ok()) << q.status();
  EXPECT_EQ(q->customers().size(), p.customers().size());
  EXPECT_EQ(Rows(*q), Rows(p));
  EXPECT_EQ(q->contracts().size(), p.contracts().size());
  EXPECT_EQ(q->interactions().size(), p.interactions().size());
  EXPECT_EQ(q->surveys().size(), p.surveys().size());
  EXPECT_EQ(q->assignments().size(), p.assignments().size());
  EXPECT_EQ(q->CurrentAssignments(), p.CurrentAssignments());
  // Same statuses as of the last day.
  const DayNumber as_of = *std::max_element(p.transactions().date.begin(), p.transactions().date.end());
  auto a = StatusEngine::Create(p, StatusPolicy::Default())->Classify(as_of);
  auto b = StatusEngine::Create(*q, StatusPolicy::Default())->Classify(as_of);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->status, b->status);
  EXPECT_TRUE(store->Check()->ok());
}

}  // namespace
}  // namespace carteira
