// A store of schema version 1, written as version 1 wrote it (transactions
// clustered by customer, a customer_state row per customer), opens as the
// current version with the same portfolio, the same stored statuses and a
// first refresh whose events are the changes a full classification finds.
// A store of schema version 4 (state blocks and log rows in format 2)
// opens as version 5 with the same statuses, and its blocks turn into
// format 3 as refreshes rewrite them.
#include <sqlite3.h>

#include <algorithm>
#include <filesystem>
#include <tuple>

#include "carteira/status/status_engine.h"
#include "carteira/store/store.h"
#include "gtest/gtest.h"
#include "src/store/customer_state.h"
#include "src/store/schema.h"
#include "src/store/sqlite.h"
#include "tests/store/state_format2.h"

namespace carteira {
namespace {

namespace fs = std::filesystem;

Date D(const char* iso) { return ToDate(*ParseDate(iso)); }

// The portfolio the version 1 store holds.
Portfolio Sample() {
  Portfolio p;
  std::vector<Customer> customers(5);
  const char* ids[] = {"A", "B", "C", "D", "E"};
  for (int i = 0; i < 5; ++i) customers[i].id = ids[i];
  customers[1].segment = "varejo";
  customers[2].key_account = true;
  EXPECT_TRUE(p.AddCustomers(customers).ok());
  std::vector<Transaction> t = {
      {"A", D("2024-01-05"), 1000, "O1", "", "bebidas", {}}, {"A", D("2024-02-05"), 2000, "", "", "", {}},
      {"A", D("2024-03-05"), 1500, "", "", "", {}},          {"A", D("2024-04-05"), 500, "", "", "", {}},
      {"B", D("2024-01-10"), 700, "O2", "", "limpeza", {}},  {"B", D("2024-01-20"), -100, "", "", "", {}},
      {"C", D("2023-06-01"), 9000, "", "", "", {}},          {"D", D("2024-04-01"), 300, "", "", "", {}},
      // Appended after the version 1 refresh: C's comeback (C is dirty).
      {"C", D("2024-05-02"), 100, "", "", "", {}},
  };
  EXPECT_TRUE(p.AddTransactions(t).ok());
  return p;
}

TEST(StoreMigrationTest, AVersion1StoreOpensWithItsDataAndStatuses) {
  const fs::path dir = fs::temp_directory_path() / ("carteira_migration_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string path = (dir / "v1.db").string();
  const Portfolio p = Sample();
  const DayNumber d0 = DaysFromCivil(2024, 5, 1), d1 = DaysFromCivil(2024, 8, 1);
  auto engine = StatusEngine::Create(p, StatusPolicy::Default());
  ASSERT_TRUE(engine.ok());
  // What version 1 stored at d0: C's last transaction (dated after d0) did
  // not count then.
  auto before = engine->Classify(d0);
  ASSERT_TRUE(before.ok());
  {
    auto db = sql::Db::Open(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, 1000);
    ASSERT_TRUE(db.ok()) << db.status();
    ASSERT_TRUE(store_internal::OpenSchema(*db, false, /*target=*/1).ok());
    std::string sql = "BEGIN;";
    for (size_t c = 0; c < p.customers().size(); ++c) {
      sql += "INSERT INTO customers(pk, id, segment, key_account) VALUES(" + std::to_string(c + 1) + ", '" +
             std::string(p.customers().id[c]) + "', " +
             (p.customers().segment[c].empty() ? std::string("NULL") : "'" + std::string(p.customers().segment[c]) + "'") +
             ", " + std::to_string(p.customers().key_account[c]) + ");";
    }
    sql += "INSERT INTO categories(code, value) VALUES(0, 'bebidas'), (1, 'limpeza');";
    const auto& t = p.transactions();
    for (size_t i = 0; i < t.size(); ++i) {
      const std::string category = t.category[i] < 0 ? "NULL" : std::to_string(t.category[i]);
      sql += "INSERT INTO transactions(customer, seq, date, amount, order_id, category) VALUES(" +
             std::to_string(t.customer[i] + 1) + ", " + std::to_string(i) + ", " + std::to_string(t.date[i]) + ", " +
             std::to_string(t.amount[i]) + ", " +
             (t.order_id[i].empty() ? std::string("NULL") : "'" + std::string(t.order_id[i]) + "'") + ", " + category +
             ");";
    }
    sql += "INSERT INTO meta(key, value) VALUES('next_seq', " + std::to_string(t.size()) +
           "), ('last_transaction_date', " + std::to_string(DaysFromCivil(2024, 5, 2)) + ");";
    sql += "INSERT INTO status_runs(as_of, checked, changed) VALUES(" + std::to_string(d0) + ", 5, 0);";
    for (size_t c = 0; c < p.customers().size(); ++c) {
      // E's next_check unknown (NULL): due at once.
      sql += "INSERT INTO customer_state(customer, as_of, status, flags, rule, next_check) VALUES(" +
             std::to_string(c + 1) + ", " + std::to_string(d0) + ", " +
             std::to_string(static_cast<int>(before->status[c])) + ", " + std::to_string(before->flags[c]) + ", " +
             std::to_string(before->rule[c]) + ", " + (c == 4 ? std::string("NULL") : std::to_string(d0 + 30)) + ");";
    }
    sql += "INSERT INTO dirty_customers(customer) VALUES(3); COMMIT;";
    ASSERT_TRUE(db->Exec(sql).ok()) << db->Exec("SELECT 1").message();
    ASSERT_EQ(*db->QueryInt("PRAGMA user_version"), 1);
  }

  auto store = Store::Open(path);
  ASSERT_TRUE(store.ok()) << store.status();
  auto check = store->Check();
  ASSERT_TRUE(check.ok()) << check.status();
  EXPECT_TRUE(check->ok()) << check->problems.front();
  {
    auto db = sql::Db::Open(path, SQLITE_OPEN_READONLY, 1000);
    ASSERT_TRUE(db.ok());
    EXPECT_EQ(*db->QueryInt("PRAGMA user_version"), 5);
  }
  // The same portfolio, in recording order (order ids and categories kept).
  auto q = store->Load();
  ASSERT_TRUE(q.ok()) << q.status();
  ASSERT_EQ(q->transactions().size(), p.transactions().size());
  for (size_t i = 0; i < p.transactions().size(); ++i) {
    EXPECT_EQ(q->customers().id[q->transactions().customer[i]], p.customers().id[p.transactions().customer[i]]);
    EXPECT_EQ(q->transactions().amount[i], p.transactions().amount[i]);
    EXPECT_EQ(q->transactions().order_id[i], p.transactions().order_id[i]);
    EXPECT_EQ(q->categories()[q->transactions().category[i]], p.categories()[p.transactions().category[i]]);
  }
  // The stored statuses carried over.
  auto statuses = store->Statuses();
  ASSERT_TRUE(statuses.ok()) << statuses.status();
  ASSERT_EQ(statuses->size(), 5u);
  for (const StoredStatus& s : *statuses) {
    const CustomerIndex c = *p.FindCustomer(s.customer_id);
    EXPECT_EQ(s.status, before->status[c]) << s.customer_id;
    EXPECT_EQ(s.as_of, d0);
  }
  // The next refresh reads every transaction into the digests once and
  // reports exactly the changes since d0.
  auto refreshed = store->RefreshStatuses(d1, StatusPolicy::Default());
  ASSERT_TRUE(refreshed.ok()) << refreshed.status();
  EXPECT_FALSE(refreshed->policy_changed);  // version 1 kept no policy
  auto after = engine->Classify(d1);
  ASSERT_TRUE(after.ok());
  std::vector<std::tuple<std::string, Status, Status>> expected, got;
  for (CustomerIndex c = 0; c < p.customers().size(); ++c) {
    if (after->status[c] != before->status[c] || after->flags[c] != before->flags[c]) {
      expected.emplace_back(std::string(p.customers().id[c]), before->status[c], after->status[c]);
    }
  }
  for (const StatusEvent& e : refreshed->events) got.emplace_back(e.customer_id, e.from, e.to);
  EXPECT_EQ(got, expected);
  EXPECT_FALSE(expected.empty());
  check = store->Check();
  ASSERT_TRUE(check.ok());
  EXPECT_TRUE(check->ok()) << check->problems.front();
  fs::remove_all(dir);
}


// Rewrites every state block and log row of `path` in format 2 and marks
// the store version 4: what version 4 left.
void DowngradeToVersion4(const std::string& path) {
  auto db = sql::Db::Open(path, SQLITE_OPEN_READWRITE, 1000);
  ASSERT_TRUE(db.ok()) << db.status();
  ASSERT_TRUE(db->Exec("BEGIN").ok());
  for (const char* table : {"customer_state", "customer_state_log"}) {
    const std::string key = table == std::string_view("customer_state") ? "block" : "id";
    auto read = sql::Statement::Prepare(*db, "SELECT " + key + ", block, data FROM " + table);
    ASSERT_TRUE(read.ok());
    std::vector<std::pair<std::int64_t, std::string>> rewritten;
    while (*read->Step()) {
      const auto* p = static_cast<const std::uint8_t*>(sqlite3_column_blob(read->get(), 2));
      store_internal::StateBlock b;
      ASSERT_TRUE(store_internal::DecodeStateBlock(
                      read->Int(1), {p, static_cast<size_t>(sqlite3_column_bytes(read->get(), 2))}, &b)
                      .ok());
      rewritten.emplace_back(read->Int(0), store_internal::EncodeFormat2(b));
    }
    ASSERT_FALSE(rewritten.empty()) << table;
    auto write = sql::Statement::Prepare(*db, std::string("UPDATE ") + table + " SET data = ?2 WHERE " + key + " = ?1");
    ASSERT_TRUE(write.ok());
    for (const auto& [k, data] : rewritten) {
      write->BindInt(1, k);
      write->BindBlob(2, data.data(), data.size());
      ASSERT_TRUE(write->Run().ok());
    }
  }
  ASSERT_TRUE(db->Exec("COMMIT; PRAGMA user_version=4").ok());
}

std::int64_t Query(const std::string& path, const char* sql) {
  auto db = sql::Db::Open(path, SQLITE_OPEN_READONLY, 1000);
  EXPECT_TRUE(db.ok());
  auto n = db->QueryInt(sql);
  EXPECT_TRUE(n.ok()) << n.status();
  return n.ok() ? *n : -1;
}

TEST(StoreMigrationTest, AVersion4StoreOpensAndItsBlocksTurnIntoFormat3) {
  const fs::path dir = fs::temp_directory_path() / ("carteira_migration4_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string path = (dir / "v4.db").string();
  constexpr int kCustomers = 1500;  // 6 blocks
  const DayNumber start = DaysFromCivil(2024, 1, 1);
  auto id = [](int c) { return "C" + std::to_string(c); };
  Portfolio p;
  std::vector<Customer> customers(kCustomers);
  for (int c = 0; c < kCustomers; ++c) {
    customers[c].id = id(c);
    customers[c].segment = c % 4 == 0 ? "varejo" : "";
  }
  ASSERT_TRUE(p.AddCustomers(customers).ok());
  std::vector<Transaction> t;
  for (int i = 0; i < 3 * kCustomers; ++i) {
    t.push_back({id((i * 7919) % kCustomers), ToDate(start + (i * 31) % 200), 100 + i % 900, "", "", "", {}});
  }
  ASSERT_TRUE(p.AddTransactions(t).ok());
  const StatusPolicy policy = StatusPolicy::Default();
  DayNumber day = start + 200;
  auto day_of_purchases = [&](int n) {
    Portfolio delta;
    std::vector<Transaction> rows;
    for (int i = 0; i < n; ++i) rows.push_back({id((i * 104729 + day) % kCustomers), ToDate(day), 500, "", "", "", {}});
    EXPECT_TRUE(delta.AddTransactions(rows).ok());
    return delta;
  };
  std::vector<StoredStatus> before;
  {
    auto store = Store::Open(path);
    ASSERT_TRUE(store.ok()) << store.status();
    ASSERT_TRUE(store->Save(p).ok());
    ASSERT_TRUE(store->RefreshStatuses(day, policy).ok());
    ++day;  // a second refresh leaves log rows
    ASSERT_TRUE(store->Append(day_of_purchases(100)).ok());
    ASSERT_TRUE(store->RefreshStatuses(day, policy).ok());
    auto statuses = store->Statuses();
    ASSERT_TRUE(statuses.ok());
    before = *statuses;
  }
  DowngradeToVersion4(path);
  ASSERT_EQ(Query(path, "SELECT count(*) FROM customer_state WHERE substr(data, 1, 1) = x'02'"), 6);

  auto store = Store::Open(path);
  ASSERT_TRUE(store.ok()) << store.status();
  EXPECT_EQ(Query(path, "PRAGMA user_version"), 5);
  EXPECT_EQ(Query(path, "SELECT count(*) FROM customer_state WHERE substr(data, 1, 1) = x'02'"), 6);  // unchanged
  auto check = store->Check();
  ASSERT_TRUE(check.ok()) << check.status();
  EXPECT_TRUE(check->ok()) << check->problems.front();
  auto statuses = store->Statuses();
  ASSERT_TRUE(statuses.ok()) << statuses.status();
  ASSERT_EQ(statuses->size(), before.size());
  for (size_t i = 0; i < before.size(); ++i) {
    EXPECT_EQ((*statuses)[i].customer_id, before[i].customer_id);
    EXPECT_EQ((*statuses)[i].status, before[i].status) << before[i].customer_id;
    EXPECT_EQ((*statuses)[i].flags, before[i].flags) << before[i].customer_id;
  }
  // Refreshes over format 2 blocks and log rows keep the statuses of a
  // full classification and rewrite the blocks in format 3.
  for (int run = 0; run < 9; ++run) {
    ++day;
    ASSERT_TRUE(store->Append(day_of_purchases(300)).ok());
    ASSERT_TRUE(store->RefreshStatuses(day, policy).ok());
    auto loaded = store->Load();
    ASSERT_TRUE(loaded.ok());
    auto full = StatusEngine::Create(*loaded, policy)->Classify(day);
    ASSERT_TRUE(full.ok());
    statuses = store->Statuses();
    ASSERT_TRUE(statuses.ok()) << statuses.status();
    ASSERT_EQ(statuses->size(), full->size());
    for (const StoredStatus& s : *statuses) {
      const CustomerIndex c = *loaded->FindCustomer(s.customer_id);
      ASSERT_EQ(s.status, full->status[c]) << "run " << run << " " << s.customer_id;
      ASSERT_EQ(s.flags, full->flags[c]) << "run " << run << " " << s.customer_id;
    }
    check = store->Check();
    ASSERT_TRUE(check.ok());
    ASSERT_TRUE(check->ok()) << "run " << run << ": " << check->problems.front();
  }
  // Every block visited that often has been rewritten (round-robin).
  EXPECT_EQ(Query(path, "SELECT count(*) FROM customer_state WHERE substr(data, 1, 1) = x'03'"), 6);
  EXPECT_EQ(Query(path, "SELECT count(*) FROM customer_state_log WHERE substr(data, 1, 1) != x'03'"), 0);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace carteira
