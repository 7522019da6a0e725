// Store: open, save, load, append, plans, merges, counts, check. The status
// refresh is in status_refresh.cpp.
#include "carteira/store/store.h"

#include <algorithm>
#include <map>
#include <numeric>

#include "carteira/core/strings.h"
#include "src/portfolio/string_order.h"
#include "src/store/customer_keys.h"
#include "src/store/customer_state.h"
#include "src/store/schema.h"
#include "src/store/sqlite.h"
#include "src/store/store_impl.h"
#include "src/store/transaction_rows.h"

namespace carteira {


namespace store_internal {

void BindCustomerFields(sql::Statement& st, int first, const Customer& c) {
  int i = first;
  for (const std::string* f : {&c.name, &c.document, &c.email, &c.phone, &c.city, &c.state,
                               &c.region, &c.segment}) {
    st.BindTextOrNull(i++, *f);
  }
  if (c.created_at) {
    st.BindInt(i++, ToDayNumber(*c.created_at));
  } else {
    st.BindNull(i++);
  }
  st.BindInt(i++, c.key_account);
  st.BindInt(i++, c.delinquent);
}

Customer ReadCustomerFields(const sql::Statement& st, int first) {
  Customer c;
  int i = first;
  for (std::string* f : {&c.name, &c.document, &c.email, &c.phone, &c.city, &c.state, &c.region,
                         &c.segment}) {
    *f = std::string(st.Text(i++));
  }
  if (!st.IsNull(i)) c.created_at = ToDate(static_cast<DayNumber>(st.Int(i)));
  ++i;
  c.key_account = st.Int(i++) != 0;
  c.delinquent = st.Int(i++) != 0;
  return c;
}

bool IsBare(const CustomerTable& t, size_t i) {
  for (const StringColumn* col : {&t.name, &t.document, &t.email, &t.phone, &t.city, &t.state,
                                  &t.region, &t.segment}) {
    if (!(*col)[i].empty()) return false;
  }
  for (size_t a = 0; a < t.attributes.names().size(); ++a) {
    if (!t.attributes.column(a)[i].empty()) return false;
  }
  return t.created_at[i] == kNoDay && t.key_account[i] == 0 && t.delinquent[i] == 0;
}

absl::StatusOr<std::int64_t> MetaInt(sql::Db& db, std::string_view key, std::int64_t fallback) {
  auto st = sql::Statement::Prepare(db, "SELECT value FROM meta WHERE key = ?1");
  if (!st.ok()) return st.status();
  st->BindText(1, key);
  auto row = st->Step();
  if (!row.ok()) return row.status();
  if (!*row) return fallback;
  return st->Int(0);
}

absl::Status SetMetaInt(sql::Db& db, std::string_view key, std::int64_t value) {
  auto st = sql::Statement::Prepare(db, "INSERT OR REPLACE INTO meta(key, value) VALUES(?1, ?2)");
  if (!st.ok()) return st.status();
  st->BindText(1, key);
  st->BindInt(2, value);
  return st->Run();
}

std::int64_t CustomerColumnBits(const CustomerTable& t) {
  std::int64_t bits = 0;
  const StringColumn* text[] = {&t.name, &t.document, &t.email, &t.phone,
                                &t.city, &t.state,    &t.region, &t.segment};
  for (int f = 0; f < 8; ++f) {
    if (!text[f]->all_empty()) bits |= std::int64_t{1} << f;
  }
  auto any = [](const auto& column, auto none) {
    return std::any_of(column.begin(), column.end(), [none](auto v) { return v != none; });
  };
  if (any(t.created_at, kNoDay)) bits |= 1 << 8;
  if (any(t.key_account, 0)) bits |= 1 << 9;
  if (any(t.delinquent, 0)) bits |= 1 << 10;
  return bits;
}

std::int64_t TransactionColumnBits(const TransactionTable& t) {
  return (t.order_id.all_empty() ? 0 : kOrderIdColumn) | (t.rep.all_none() ? 0 : kRepColumn) |
         (t.category.all_none() ? 0 : kCategoryColumn);
}

absl::StatusOr<std::int64_t> UsedColumns(sql::Db& db, std::string_view table) {
  return MetaInt(db, StrCat("columns:", table), kAllColumns);
}

absl::Status AddUsedColumns(sql::Db& db, std::string_view table, std::int64_t bits) {
  if (bits == 0) return absl::OkStatus();
  auto st = sql::Statement::Prepare(db, "UPDATE meta SET value = value | ?2 WHERE key = ?1");
  if (!st.ok()) return st.status();
  const std::string key = StrCat("columns:", table);
  st->BindText(1, key);
  st->BindInt(2, bits);
  return st->Run();
}

}  // namespace store_internal

using namespace store_internal;  // NOLINT: this file implements them

Store::Store(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Store::Store(Store&&) noexcept = default;
Store& Store::operator=(Store&&) noexcept = default;
Store::~Store() = default;

const std::string& Store::path() const { return impl_->db.path(); }
int Store::schema_version() const { return kStoreSchemaVersion; }

absl::StatusOr<Store> Store::Open(const std::string& path, const StoreOptions& options) {
  int flags = options.read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
  if (options.create && !options.read_only) flags |= SQLITE_OPEN_CREATE;
  auto db = sql::Db::Open(path, flags, static_cast<int>(options.busy_timeout.count()));
  if (!db.ok()) {
    if (db.status().code() == absl::StatusCode::kNotFound) {
      return absl::NotFoundError(StrCat(path, ": no such store (carteira db init creates one)"));
    }
    return db.status();
  }
  const bool read_only = options.read_only || sqlite3_db_readonly(db->get(), "main") == 1;
  if (auto s = OpenSchema(*db, read_only); !s.ok()) return s;
  if (auto s = db->Exec(options.durable ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL");
      !s.ok()) {
    return s;
  }
  // A bigger page cache (64 MiB) for bulk loads and index-heavy appends.
  if (auto s = db->Exec("PRAGMA cache_size=-65536; PRAGMA temp_store=MEMORY"); !s.ok()) return s;
  if (options.max_bytes > 0) {
    auto page = db->QueryInt("PRAGMA page_size");
    if (!page.ok()) return page.status();
    if (auto s = db->Exec(StrCat("PRAGMA max_page_count=", std::max<std::int64_t>(1, options.max_bytes / *page)));
        !s.ok()) {
      return s;
    }
  }
  auto impl = std::make_unique<Impl>();
  impl->db = std::move(*db);
  impl->read_only = read_only;
  // The file SQLite opened (absolute; empty for a memory or temporary
  // database): the helper connections open that very file now, not the
  // path again later (a relative path after a chdir, a file renamed over
  // it, would be another database).
  const char* file = sqlite3_db_filename(impl->db.get(), "main");
  const std::string opened_file = file != nullptr ? file : "";
  if (!read_only && !opened_file.empty()) {
    // The second connection for reads on another thread (store_impl.h);
    // without it (it could not be opened) everything runs on this one.
    auto reader = sql::Db::Open(opened_file, SQLITE_OPEN_READONLY, static_cast<int>(options.busy_timeout.count()));
    if (reader.ok() && reader->Exec("PRAGMA cache_size=-65536").ok()) impl->reader = std::move(*reader);
  }
  if (!read_only && !opened_file.empty() && options.checkpoint_thread) {
    auto checkpointer = store_internal::Checkpointer::Start(impl->db, opened_file, options.durable ? "FULL" : "NORMAL");
    if (!checkpointer.ok()) return checkpointer.status();
    impl->checkpointer = std::move(*checkpointer);
  }
  return Store(std::move(impl));
}

sql::Db* Store::Impl::Reader() { return reader.get() != nullptr ? &reader : nullptr; }

absl::Status Store::Checkpoint() {
  if (impl_->read_only) {
    return absl::PermissionDeniedError(StrCat(impl_->db.path(), ": opened read-only; nothing was written"));
  }
  if (impl_->checkpointer != nullptr) impl_->checkpointer->WaitIdle();
  int wal_pages = 0, copied = 0;
  const int rc = sqlite3_wal_checkpoint_v2(impl_->db.get(), nullptr, SQLITE_CHECKPOINT_PASSIVE, &wal_pages, &copied);
  if (rc != SQLITE_OK) return impl_->db.Error(rc, "checkpoint");
  if (copied < wal_pages) {
    return absl::UnavailableError(StrCat(impl_->db.path(), ": checkpoint: ", wal_pages - copied, " of ", wal_pages,
                                         " pages in the write-ahead log are still needed by a reader"));
  }
  return absl::OkStatus();
}

absl::StatusOr<bool> Store::Empty() {
  auto& db = impl_->db;
  auto n = db.QueryInt(
      "SELECT (SELECT count(*) FROM (SELECT 1 FROM customers LIMIT 1)) + "
      "(SELECT count(*) FROM (SELECT 1 FROM reps LIMIT 1)) + "
      "(SELECT count(*) FROM (SELECT 1 FROM transactions LIMIT 1))");
  if (!n.ok()) return n.status();
  return *n == 0;
}

namespace {

constexpr const char* kCustomerColumns =
    "name, document, email, phone, city, state, region, segment, created_at, key_account, "
    "delinquent";

// Every table a Save replaces, children first.
constexpr const char* kAllTables[] = {
    "status_events", "status_runs", "customer_state_log", "customer_state", "dirty_customers", "pending_transactions",
    "loyalty_ledger",
    "customer_aliases", "assignments", "plans", "surveys", "interactions", "contracts",
    "transaction_attributes", "transactions", "customer_attributes", "customers",
    "rep_attributes", "reps", "categories", "channels", "outcomes", "meta"};

absl::Status WriteDictionary(sql::Db& db, std::string_view table, const Dictionary& dict) {
  auto st = sql::Statement::Prepare(db, StrCat("INSERT INTO ", table, "(code, value) VALUES(?1, ?2)"));
  if (!st.ok()) return st.status();
  for (size_t i = 0; i < dict.size(); ++i) {
    st->BindInt(1, static_cast<std::int64_t>(i));
    st->BindText(2, dict[static_cast<std::int32_t>(i)]);
    if (auto s = st->Run(); !s.ok()) return s;
  }
  return absl::OkStatus();
}

void BindCode(sql::Statement& st, int i, std::int32_t code) {
  if (code < 0) {
    st.BindNull(i);
  } else {
    st.BindInt(i, code);
  }
}

// Rep and customer keys: portfolio index + 1 on a full save.
void BindRep(sql::Statement& st, int i, RepIndex rep) {
  if (rep < 0) {
    st.BindNull(i);
  } else {
    st.BindInt(i, rep + 1);
  }
}

absl::Status WithRow(absl::Status s, std::string_view table, size_t row) {
  if (s.ok()) return s;
  return absl::Status(s.code(), StrCat(s.message(), " (table ", table, ", row ", row, ")"));
}

}  // namespace

absl::Status Store::Save(const Portfolio& p, bool replace) {
  auto& db = impl_->db;
  impl_->appended.first_seq = -1;
  auto tx = sql::Transaction::Begin(db);
  if (!tx.ok()) return tx.status();
  if (!replace) {
    auto empty = Empty();
    if (!empty.ok()) return empty.status();
    if (!*empty) {
      return absl::FailedPreconditionError(
          StrCat(db.path(), ": the store already holds a portfolio; append to it, or replace it"));
    }
  }
  for (const char* table : kAllTables) {
    if (auto s = db.Exec(StrCat("DELETE FROM ", table)); !s.ok()) return s;
  }
  if (auto s = WriteDictionary(db, "categories", p.categories()); !s.ok()) return s;
  if (auto s = WriteDictionary(db, "channels", p.channels()); !s.ok()) return s;
  if (auto s = WriteDictionary(db, "outcomes", p.outcomes()); !s.ok()) return s;

  // Reps.
  {
    const RepTable& r = p.reps();
    auto st = sql::Statement::Prepare(
        db, "INSERT INTO reps(pk, id, name, region, segments, capacity, active, team) "
            "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
    if (!st.ok()) return st.status();
    auto attr = sql::Statement::Prepare(db, "INSERT INTO rep_attributes(rep, name, value) VALUES(?1, ?2, ?3)");
    if (!attr.ok()) return attr.status();
    for (size_t i = 0; i < r.size(); ++i) {
      std::string segments;
      for (const auto& seg : r.segments[i]) StrAppend(&segments, segments.empty() ? "" : "|", seg);
      st->BindInt(1, static_cast<std::int64_t>(i) + 1);
      st->BindText(2, r.id[i]);
      st->BindTextOrNull(3, r.name[i]);
      st->BindTextOrNull(4, r.region[i]);
      st->BindTextOrNull(5, segments);
      st->BindInt(6, r.capacity[i]);
      st->BindInt(7, r.active[i]);
      st->BindTextOrNull(8, r.team[i]);
      if (auto s = st->Run(); !s.ok()) return WithRow(s, "reps", i);
      for (size_t a = 0; a < r.attributes.names().size(); ++a) {
        const std::string_view v = r.attributes.column(a)[i];
        if (v.empty()) continue;
        attr->BindInt(1, static_cast<std::int64_t>(i) + 1);
        attr->BindText(2, r.attributes.names()[a]);
        attr->BindText(3, v);
        if (auto s = attr->Run(); !s.ok()) return WithRow(s, "rep_attributes", i);
      }
    }
  }
  // Customers.
  {
    const CustomerTable& c = p.customers();
    auto st = sql::Statement::Prepare(
        db, StrCat("INSERT INTO customers(pk, id, ", kCustomerColumns,
                   ") VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)"));
    if (!st.ok()) return st.status();
    auto attr = sql::Statement::Prepare(
        db, "INSERT INTO customer_attributes(customer, name, value) VALUES(?1, ?2, ?3)");
    if (!attr.ok()) return attr.status();
    const StringColumn* text[] = {&c.name, &c.document, &c.email, &c.phone,
                                  &c.city, &c.state,    &c.region, &c.segment};
    for (size_t i = 0; i < c.size(); ++i) {
      st->BindInt(1, static_cast<std::int64_t>(i) + 1);
      st->BindText(2, c.id[i]);
      for (int f = 0; f < 8; ++f) st->BindTextOrNull(3 + f, (*text[f])[i]);
      if (c.created_at[i] == kNoDay) {
        st->BindNull(11);
      } else {
        st->BindInt(11, c.created_at[i]);
      }
      st->BindInt(12, c.key_account[i]);
      st->BindInt(13, c.delinquent[i]);
      if (auto s = st->Run(); !s.ok()) return WithRow(s, "customers", i);
      for (size_t a = 0; a < c.attributes.names().size(); ++a) {
        const std::string_view v = c.attributes.column(a)[i];
        if (v.empty()) continue;
        attr->BindInt(1, static_cast<std::int64_t>(i) + 1);
        attr->BindText(2, c.attributes.names()[a]);
        attr->BindText(3, v);
        if (auto s = attr->Run(); !s.ok()) return WithRow(s, "customer_attributes", i);
      }
    }
  }
  // Transactions, in recording order (seq = row): each one lands at the
  // end of the table.
  {
    const TransactionTable& t = p.transactions();
    const size_t n = t.size();
    auto rows = PrepareTransactionRows(db, TransactionColumnBits(t) == 0);
    if (!rows.ok()) return rows.status();
    auto attr = sql::Statement::Prepare(
        db, "INSERT INTO transaction_attributes(seq, name, value) VALUES(?1, ?2, ?3)");
    if (!attr.ok()) return attr.status();
    DayNumber last = kNoDay;
    for (size_t i = 0; i < n; ++i) {
      const TransactionRow row{static_cast<std::int64_t>(i), static_cast<std::int64_t>(t.customer[i]) + 1,
                               t.date[i], t.amount[i], t.order_id[i], t.rep[i] < 0 ? -1 : t.rep[i] + 1,
                               t.category[i], i};
      if (auto s = rows->Add(row); !s.ok()) return WithRow(s, "transactions", rows->failed().tag);
      last = std::max(last, t.date[i]);
      for (size_t a = 0; a < t.attributes.names().size(); ++a) {
        const std::string_view v = t.attributes.column(a)[i];
        if (v.empty()) continue;
        attr->BindInt(1, static_cast<std::int64_t>(i));
        attr->BindText(2, t.attributes.names()[a]);
        attr->BindText(3, v);
        if (auto s = attr->Run(); !s.ok()) return WithRow(s, "transaction_attributes", i);
      }
    }
    if (auto s = rows->Flush(); !s.ok()) return WithRow(s, "transactions", rows->failed().tag);
    if (auto s = SetMetaInt(db, "next_seq", static_cast<std::int64_t>(n)); !s.ok()) return s;
    if (auto s = SetMetaInt(db, "folded_seq", 0); !s.ok()) return s;
    if (last != kNoDay) {
      if (auto s = SetMetaInt(db, "last_transaction_date", last); !s.ok()) return s;
    }
    if (auto s = SetMetaInt(db, "columns:transactions", TransactionColumnBits(t)); !s.ok()) return s;
    if (auto s = SetMetaInt(db, "columns:customers", CustomerColumnBits(p.customers())); !s.ok()) return s;
  }
  // Contracts, interactions, surveys, assignments.
  {
    const ContractTable& k = p.contracts();
    auto st = sql::Statement::Prepare(
        db, "INSERT INTO contracts(customer, contract_id, start, \"end\", value, auto_renew) "
            "VALUES(?1, ?2, ?3, ?4, ?5, ?6)");
    if (!st.ok()) return st.status();
    for (size_t i = 0; i < k.size(); ++i) {
      st->BindInt(1, static_cast<std::int64_t>(k.customer[i]) + 1);
      st->BindTextOrNull(2, k.contract_id[i]);
      st->BindInt(3, k.start[i]);
      st->BindInt(4, k.end[i]);
      st->BindInt(5, k.value[i]);
      st->BindInt(6, k.auto_renew[i]);
      if (auto s = st->Run(); !s.ok()) return WithRow(s, "contracts", i);
    }
  }
  {
    const InteractionTable& n = p.interactions();
    auto st = sql::Statement::Prepare(
        db, "INSERT INTO interactions(customer, rep, date, channel, outcome) VALUES(?1, ?2, ?3, ?4, ?5)");
    if (!st.ok()) return st.status();
    for (size_t i = 0; i < n.size(); ++i) {
      st->BindInt(1, static_cast<std::int64_t>(n.customer[i]) + 1);
      BindRep(*st, 2, n.rep[i]);
      st->BindInt(3, n.date[i]);
      BindCode(*st, 4, n.channel[i]);
      BindCode(*st, 5, n.outcome[i]);
      if (auto s = st->Run(); !s.ok()) return WithRow(s, "interactions", i);
    }
  }
  {
    const SurveyTable& v = p.surveys();
    auto st = sql::Statement::Prepare(db, "INSERT INTO surveys(customer, date, score) VALUES(?1, ?2, ?3)");
    if (!st.ok()) return st.status();
    for (size_t i = 0; i < v.size(); ++i) {
      st->BindInt(1, static_cast<std::int64_t>(v.customer[i]) + 1);
      st->BindInt(2, v.date[i]);
      st->BindInt(3, v.score[i]);
      if (auto s = st->Run(); !s.ok()) return WithRow(s, "surveys", i);
    }
  }
  {
    const AssignmentTable& a = p.assignments();
    auto st = sql::Statement::Prepare(
        db, "INSERT INTO assignments(customer, rep, since, reason) VALUES(?1, ?2, ?3, ?4)");
    if (!st.ok()) return st.status();
    for (size_t i = 0; i < a.size(); ++i) {
      st->BindInt(1, static_cast<std::int64_t>(a.customer[i]) + 1);
      st->BindInt(2, a.rep[i] + 1);
      st->BindInt(3, a.since[i]);
      st->BindTextOrNull(4, a.reason[i]);
      if (auto s = st->Run(); !s.ok()) return WithRow(s, "assignments", i);
    }
  }
  // Aliases with the records they had.
  {
    const CustomerAliasTable& al = p.customer_aliases();
    auto st = sql::Statement::Prepare(
        db, StrCat("INSERT INTO customer_aliases(alias, customer, merged_at, merged_by, ",
                   kCustomerColumns,
                   ") VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)"));
    if (!st.ok()) return st.status();
    for (size_t i = 0; i < al.size(); ++i) {
      st->BindText(1, al.alias[i]);
      st->BindInt(2, static_cast<std::int64_t>(al.customer[i]) + 1);
      st->BindInt(3, al.merged_at[i]);
      st->BindTextOrNull(4, al.merged_by[i]);
      const Customer record = CustomerRecord(p.merged_customers(), i);
      BindCustomerFields(*st, 5, record);
      if (auto s = st->Run(); !s.ok()) return WithRow(s, "customer_aliases", i);
    }
  }
  return tx->Commit();
}

// --- Load -------------------------------------------------------------------

namespace {

// Text copied out of SQLite rows for one chunk of a bulk append: one arena,
// views made once the chunk is complete (the arena may move while growing).
class TextChunk {
 public:
  void Add(std::string_view v) {
    bytes_.append(v);
    ends_.push_back(bytes_.size());
  }
  void Clear() {
    bytes_.clear();
    ends_.clear();
    views_.clear();
  }
  std::span<const std::string_view> Views() {
    views_.resize(ends_.size());
    size_t begin = 0;
    for (size_t i = 0; i < ends_.size(); ++i) {
      views_[i] = std::string_view(bytes_.data() + begin, ends_[i] - begin);
      begin = ends_[i];
    }
    return views_;
  }
  bool AllEmpty() const { return bytes_.empty(); }

 private:
  std::string bytes_;
  std::vector<size_t> ends_;
  std::vector<std::string_view> views_;
};

absl::StatusOr<std::vector<std::string>> ReadDictionary(sql::Db& db, std::string_view table) {
  std::vector<std::string> values;
  auto st = sql::Statement::Prepare(db, StrCat("SELECT code, value FROM ", table, " ORDER BY code"));
  if (!st.ok()) return st.status();
  while (true) {
    auto row = st->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    const std::int64_t code = st->Int(0);
    if (code < 0 || code > (1 << 24)) {
      return absl::DataLossError(StrCat(db.path(), ": table ", table, ": bad code ", code));
    }
    if (static_cast<size_t>(code) >= values.size()) values.resize(static_cast<size_t>(code) + 1);
    values[static_cast<size_t>(code)] = std::string(st->Text(1));
  }
  return values;
}

std::string_view Lookup(const std::vector<std::string>& dict, const sql::Statement& st, int col) {
  if (st.IsNull(col)) return {};
  const std::int64_t code = st.Int(col);
  if (code < 0 || static_cast<size_t>(code) >= dict.size()) return {};
  return dict[static_cast<size_t>(code)];
}

}  // namespace

absl::StatusOr<Portfolio> Store::Load() {
  Portfolio p;
  if (auto s = LoadInto(p); !s.ok()) return s;
  return p;
}

absl::Status Store::LoadInto(Portfolio& p) {
  if (p.customers().size() != 0 || p.transactions().size() != 0 || p.reps().size() != 0) {
    return absl::InvalidArgumentError("Store::LoadInto: the portfolio must be empty");
  }
  auto rtx = sql::ReadTransaction::Begin(impl_->db);
  if (!rtx.ok()) return rtx.status();
  return store_internal::LoadAll(impl_->db, p);
}

absl::Status store_internal::LoadAll(sql::Db& db, Portfolio& p) {
  const Portfolio::Checkpoint empty = p.MakeCheckpoint();
  absl::Status status = [&]() -> absl::Status {
    auto categories = ReadDictionary(db, "categories");
    if (!categories.ok()) return categories.status();
    auto channels = ReadDictionary(db, "channels");
    if (!channels.ok()) return channels.status();
    auto outcomes = ReadDictionary(db, "outcomes");
    if (!outcomes.ok()) return outcomes.status();

    // Reps (few): row by row, with attributes.
    std::vector<RepIndex> rep_of;  // pk -> index
    {
      std::vector<std::vector<Attribute>> attributes;
      auto at = sql::Statement::Prepare(db, "SELECT rep, name, value FROM rep_attributes");
      if (!at.ok()) return at.status();
      absl::flat_hash_map<std::int64_t, std::vector<Attribute>> by_rep;
      while (true) {
        auto row = at->Step();
        if (!row.ok()) return row.status();
        if (!*row) break;
        by_rep[at->Int(0)].push_back({std::string(at->Text(1)), std::string(at->Text(2))});
      }
      auto st = sql::Statement::Prepare(
          db, "SELECT pk, id, name, region, segments, capacity, active, team FROM reps ORDER BY pk");
      if (!st.ok()) return st.status();
      while (true) {
        auto row = st->Step();
        if (!row.ok()) return row.status();
        if (!*row) break;
        Rep r;
        const std::int64_t pk = st->Int(0);
        r.id = std::string(st->Text(1));
        r.name = std::string(st->Text(2));
        r.region = std::string(st->Text(3));
        const std::string_view segments = st->Text(4);
        for (size_t from = 0; from < segments.size();) {
          const size_t bar = std::min(segments.find('|', from), segments.size());
          if (bar > from) r.segments.emplace_back(segments.substr(from, bar - from));
          from = bar + 1;
        }
        r.capacity = static_cast<std::int32_t>(st->Int(5));
        r.active = st->Int(6) != 0;
        r.team = std::string(st->Text(7));
        if (auto it = by_rep.find(pk); it != by_rep.end()) r.attributes = std::move(it->second);
        if (r.id.empty() || p.FindRep(r.id)) {
          return absl::DataLossError(StrCat(db.path(), ": table reps, pk ", pk, ": bad id '", r.id, "'"));
        }
        if (pk < 0 || pk > (std::int64_t{1} << 31)) {
          return absl::DataLossError(StrCat(db.path(), ": table reps: bad pk ", pk));
        }
        if (static_cast<size_t>(pk) >= rep_of.size()) rep_of.resize(static_cast<size_t>(pk) + 1, kNoRep);
        rep_of[static_cast<size_t>(pk)] = p.AppendRepUnchecked(r);
      }
    }
    auto rep_at = [&](const sql::Statement& st, int col) -> RepIndex {
      if (st.IsNull(col)) return kNoRep;
      const std::int64_t pk = st.Int(col);
      return pk >= 0 && static_cast<size_t>(pk) < rep_of.size() ? rep_of[static_cast<size_t>(pk)] : kNoRep;
    };

    // Customers: columnar in chunks, reading only the columns that hold
    // values; row by row only when some carry attributes.
    std::vector<CustomerIndex> customer_of;  // pk -> index
    constexpr CustomerIndex kNoCustomer = static_cast<CustomerIndex>(-1);
    {
      auto max_pk = db.QueryInt("SELECT coalesce(max(pk), 0) FROM customers");
      if (!max_pk.ok()) return max_pk.status();
      customer_of.assign(static_cast<size_t>(*max_pk) + 1, kNoCustomer);
      auto attributes = db.QueryInt("SELECT count(*) FROM (SELECT 1 FROM customer_attributes LIMIT 1)");
      if (!attributes.ok()) return attributes.status();
      if (*attributes > 0) {
        auto st = sql::Statement::Prepare(
            db, StrCat("SELECT pk, id, ", kCustomerColumns, " FROM customers ORDER BY pk"));
        if (!st.ok()) return st.status();
        absl::flat_hash_map<std::int64_t, std::vector<Attribute>> by_customer;
        auto at = sql::Statement::Prepare(db, "SELECT customer, name, value FROM customer_attributes");
        if (!at.ok()) return at.status();
        while (true) {
          auto row = at->Step();
          if (!row.ok()) return row.status();
          if (!*row) break;
          by_customer[at->Int(0)].push_back({std::string(at->Text(1)), std::string(at->Text(2))});
        }
        std::vector<Customer> rows;
        while (true) {
          auto row = st->Step();
          if (!row.ok()) return row.status();
          if (!*row) break;
          Customer c = ReadCustomerFields(*st, 2);
          c.id = std::string(st->Text(1));
          const std::int64_t pk = st->Int(0);
          if (pk < 0 || static_cast<size_t>(pk) >= customer_of.size()) {
            return absl::DataLossError(StrCat(db.path(), ": table customers: bad pk ", pk));
          }
          if (auto it = by_customer.find(pk); it != by_customer.end()) c.attributes = std::move(it->second);
          customer_of[static_cast<size_t>(pk)] = static_cast<CustomerIndex>(p.customers().size() + rows.size());
          rows.push_back(std::move(c));
        }
        if (auto s = p.AddCustomers(rows); !s.ok()) {
          return absl::DataLossError(StrCat(db.path(), ": table customers: ", s.message()));
        }
      } else {
        auto used = UsedColumns(db, "customers");
        if (!used.ok()) return used.status();
        std::string select = "SELECT pk, id";
        std::vector<int> fields;  // kCustomerFieldNames index of each column after pk, id
        for (int f = 0; f < 11; ++f) {
          if ((*used >> f) & 1) {
            StrAppend(&select, ", ", kCustomerFieldNames[f]);
            fields.push_back(f);
          }
        }
        auto st = sql::Statement::Prepare(db, StrCat(select, " FROM customers ORDER BY pk"));
        if (!st.ok()) return st.status();
        // Chunks of about 2^20 text values: one AppendCustomers (one
        // reservation of the id index) for a million bare customers.
        size_t text_columns = 1;
        for (const int f : fields) text_columns += f < 8;
        const size_t kChunk = std::max<size_t>(size_t{1} << 20 >> (text_columns - 1), 1 << 14);
        std::array<TextChunk, 9> text;  // id + the 8 text fields
        std::array<bool, 11> selected{};
        for (const int f : fields) selected[static_cast<size_t>(f)] = true;
        std::vector<DayNumber> created;
        std::vector<std::uint8_t> key_account, delinquent;
        size_t rows = 0;
        auto flush = [&]() -> absl::Status {
          std::array<std::span<const std::string_view>, 9> views;
          views[0] = text[0].Views();
          for (size_t f = 0; f < 8; ++f) {
            if (selected[f] && !text[f + 1].AllEmpty()) views[f + 1] = text[f + 1].Views();
          }
          CustomerColumns cols{views[0], views[1], views[2], views[3], views[4], views[5],
                               views[6], views[7], views[8], created, key_account, delinquent};
          absl::Status s = p.AppendCustomers(cols);
          for (auto& t : text) t.Clear();
          created.clear();
          key_account.clear();
          delinquent.clear();
          rows = 0;
          if (!s.ok()) return absl::DataLossError(StrCat(db.path(), ": table customers: ", s.message()));
          return absl::OkStatus();
        };
        while (true) {
          auto row = st->Step();
          if (!row.ok()) return row.status();
          if (!*row) break;
          const std::int64_t pk = st->Int(0);
          if (pk < 0 || static_cast<size_t>(pk) >= customer_of.size()) {
            return absl::DataLossError(StrCat(db.path(), ": table customers: bad pk ", pk));
          }
          customer_of[static_cast<size_t>(pk)] = static_cast<CustomerIndex>(p.customers().size() + rows);
          text[0].Add(st->Text(1));
          for (size_t k = 0; k < fields.size(); ++k) {
            const int col = static_cast<int>(k) + 2;
            switch (fields[k]) {
              case 8:
                created.push_back(st->IsNull(col) ? kNoDay : static_cast<DayNumber>(st->Int(col)));
                break;
              case 9:
                key_account.push_back(st->Int(col) != 0);
                break;
              case 10:
                delinquent.push_back(st->Int(col) != 0);
                break;
              default:
                text[static_cast<size_t>(fields[k]) + 1].Add(st->Text(col));
            }
          }
          if (++rows == kChunk) {
            if (auto s = flush(); !s.ok()) return s;
          }
        }
        if (rows > 0) {
          if (auto s = flush(); !s.ok()) return s;
        }
      }
    }
    auto customer_at = [&](const sql::Statement& st, int col, std::string_view table) -> absl::StatusOr<CustomerIndex> {
      const std::int64_t pk = st.Int(col);
      if (pk < 0 || static_cast<size_t>(pk) >= customer_of.size() ||
          customer_of[static_cast<size_t>(pk)] == kNoCustomer) {
        return absl::DataLossError(
            StrCat(db.path(), ": table ", table, ": unknown customer key ", pk, " (carteira db check)"));
      }
      return customer_of[static_cast<size_t>(pk)];
    };

    // Transactions: one scan in recording order, columnar chunks, reading
    // only the optional columns that hold values.
    {
      auto attributes = db.QueryInt("SELECT count(*) FROM (SELECT 1 FROM transaction_attributes LIMIT 1)");
      if (!attributes.ok()) return attributes.status();
      if (*attributes > 0) {
        // Row by row: rows may carry attributes.
        absl::flat_hash_map<std::int64_t, std::vector<Attribute>> by_seq;
        auto at = sql::Statement::Prepare(db, "SELECT seq, name, value FROM transaction_attributes");
        if (!at.ok()) return at.status();
        while (true) {
          auto row = at->Step();
          if (!row.ok()) return row.status();
          if (!*row) break;
          by_seq[at->Int(0)].push_back({std::string(at->Text(1)), std::string(at->Text(2))});
        }
        auto st = sql::Statement::Prepare(
            db, "SELECT customer, seq, date, amount, order_id, rep, category FROM transactions");
        if (!st.ok()) return st.status();
        while (true) {
          auto row = st->Step();
          if (!row.ok()) return row.status();
          if (!*row) break;
          auto c = customer_at(*st, 0, "transactions");
          if (!c.ok()) return c.status();
          auto it = by_seq.find(st->Int(1));
          const std::string_view order_id = st->Text(4);
          if (!order_id.empty() && p.FindOrder(order_id)) {
            return absl::DataLossError(StrCat(db.path(), ": table transactions: duplicate order '", order_id, "'"));
          }
          const DayNumber date = static_cast<DayNumber>(st->Int(2));
          if (date < DaysFromCivil(kMinYear, 1, 1) || date > DaysFromCivil(kMaxYear, 12, 31)) {
            return absl::DataLossError(StrCat(db.path(), ": table transactions: seq ", st->Int(1), ": bad date"));
          }
          p.AppendTransactionUnchecked(*c, date, st->Int(3), order_id, rep_at(*st, 5), Lookup(*categories, *st, 6),
                                       it == by_seq.end() ? std::span<const Attribute>()
                                                          : std::span<const Attribute>(it->second));
        }
      } else {
        auto used = UsedColumns(db, "transactions");
        if (!used.ok()) return used.status();
        const bool with_order = (*used & kOrderIdColumn) != 0;
        const bool with_rep = (*used & kRepColumn) != 0;
        const bool with_category = (*used & kCategoryColumn) != 0;
        int next_col = 3;
        const int order_col = with_order ? next_col++ : -1;
        const int rep_col = with_rep ? next_col++ : -1;
        const int category_col = with_category ? next_col++ : -1;
        auto st = sql::Statement::Prepare(
            db, StrCat("SELECT customer, date, amount", with_order ? ", order_id" : "", with_rep ? ", rep" : "",
                       with_category ? ", category" : "", " FROM transactions"));
        if (!st.ok()) return st.status();
        constexpr size_t kChunk = 1 << 14;  // a chunk's columns stay in the L2 cache
        std::vector<std::int64_t> raw_pk(kChunk);
        std::vector<CustomerIndex> customer(kChunk);
        std::vector<DayNumber> date(kChunk);
        std::vector<MinorUnits> amount(kChunk);
        std::vector<RepIndex> rep;
        std::vector<std::string_view> category;
        TextChunk order;
        bool any_rep = false, any_category = false;
        size_t n = 0;  // rows in the chunk
        const size_t customers = customer_of.size();
        // Keys 1..n without a gap (no merge yet) are indices 0..n-1: no lookup.
        const bool dense = p.customers().size() + 1 == customers && customer_of[0] == kNoCustomer;
        auto flush = [&]() -> absl::Status {
          bool bad = false;
          if (dense) {
            for (size_t i = 0; i < n; ++i) {
              const std::int64_t pk = raw_pk[i];
              bad |= pk < 1 || static_cast<std::uint64_t>(pk) >= customers;
              customer[i] = static_cast<CustomerIndex>(pk - 1);
            }
          } else {
            for (size_t i = 0; i < n; ++i) {
              const std::int64_t pk = raw_pk[i];
              customer[i] = pk >= 0 && static_cast<std::uint64_t>(pk) < customers
                                ? customer_of[static_cast<size_t>(pk)]
                                : kNoCustomer;
              bad |= customer[i] == kNoCustomer;
            }
          }
          for (size_t i = 0; bad && i < n; ++i) {
            const std::int64_t pk = raw_pk[i];
            if (pk < 0 || static_cast<std::uint64_t>(pk) >= customers || customer_of[static_cast<size_t>(pk)] == kNoCustomer) {
              return absl::DataLossError(StrCat(db.path(), ": table transactions: unknown customer key ", pk,
                                                " (carteira db check)"));
            }
          }
          const std::span<const CustomerIndex> c(customer.data(), n);
          const std::span<const DayNumber> d(date.data(), n);
          const std::span<const MinorUnits> a(amount.data(), n);
          TransactionColumns cols{c, d, a,
                                  order.AllEmpty() ? std::span<const std::string_view>() : order.Views(),
                                  any_rep ? std::span<const RepIndex>(rep) : std::span<const RepIndex>(),
                                  any_category ? std::span<const std::string_view>(category)
                                               : std::span<const std::string_view>()};
          absl::Status s = p.AppendTransactions(cols);
          n = 0;
          rep.clear();
          category.clear();
          order.Clear();
          any_rep = any_category = false;
          if (!s.ok()) return absl::DataLossError(StrCat(db.path(), ": table transactions: ", s.message()));
          return absl::OkStatus();
        };
        // The hot loop of a load (one pass per transaction): integer columns
        // straight from the statement, no per-row allocation. Customer keys
        // are mapped to indices per chunk (see flush): rows come in
        // recording order, so each lookup is a cache miss, and a tight loop
        // of them overlaps the misses where interleaving them with SQLite
        // calls would wait for each in turn.
        sqlite3_stmt* raw = st->get();
        while (true) {
          auto row = st->Step();
          if (!row.ok()) return row.status();
          if (!*row) break;
          raw_pk[n] = sqlite3_column_int64(raw, 0);
          date[n] = static_cast<DayNumber>(sqlite3_column_int64(raw, 1));
          amount[n] = sqlite3_column_int64(raw, 2);
          ++n;
          if (with_order) order.Add(st->Text(order_col));
          if (with_rep) {
            const RepIndex r = rep_at(*st, rep_col);
            any_rep |= r != kNoRep;
            rep.push_back(r);
          }
          if (with_category) {
            const std::string_view cat = Lookup(*categories, *st, category_col);
            any_category |= !cat.empty();
            category.push_back(cat);
          }
          if (n == kChunk) {
            if (auto s = flush(); !s.ok()) return s;
          }
        }
        if (n > 0) {
          if (auto s = flush(); !s.ok()) return s;
        }
      }
    }

    // Contracts, interactions, surveys, assignments (validated when written).
    {
      auto st = sql::Statement::Prepare(
          db, "SELECT customer, contract_id, start, \"end\", value, auto_renew FROM contracts ORDER BY pk");
      if (!st.ok()) return st.status();
      while (true) {
        auto row = st->Step();
        if (!row.ok()) return row.status();
        if (!*row) break;
        auto c = customer_at(*st, 0, "contracts");
        if (!c.ok()) return c.status();
        p.AppendContractUnchecked(*c, st->Text(1), static_cast<DayNumber>(st->Int(2)),
                                  static_cast<DayNumber>(st->Int(3)), st->Int(4), st->Int(5) != 0);
      }
    }
    {
      auto st = sql::Statement::Prepare(
          db, "SELECT customer, rep, date, channel, outcome FROM interactions ORDER BY pk");
      if (!st.ok()) return st.status();
      while (true) {
        auto row = st->Step();
        if (!row.ok()) return row.status();
        if (!*row) break;
        auto c = customer_at(*st, 0, "interactions");
        if (!c.ok()) return c.status();
        p.AppendInteractionUnchecked(*c, rep_at(*st, 1), static_cast<DayNumber>(st->Int(2)),
                                     Lookup(*channels, *st, 3), Lookup(*outcomes, *st, 4));
      }
    }
    {
      auto st = sql::Statement::Prepare(db, "SELECT customer, date, score FROM surveys ORDER BY pk");
      if (!st.ok()) return st.status();
      while (true) {
        auto row = st->Step();
        if (!row.ok()) return row.status();
        if (!*row) break;
        auto c = customer_at(*st, 0, "surveys");
        if (!c.ok()) return c.status();
        p.AppendSurveyUnchecked(*c, static_cast<DayNumber>(st->Int(1)), static_cast<int>(st->Int(2)));
      }
    }
    {
      auto st = sql::Statement::Prepare(db, "SELECT customer, rep, since, reason FROM assignments ORDER BY pk");
      if (!st.ok()) return st.status();
      while (true) {
        auto row = st->Step();
        if (!row.ok()) return row.status();
        if (!*row) break;
        auto c = customer_at(*st, 0, "assignments");
        if (!c.ok()) return c.status();
        const RepIndex r = rep_at(*st, 1);
        if (r == kNoRep) {
          return absl::DataLossError(StrCat(db.path(), ": table assignments: unknown rep key ", st->Int(1)));
        }
        p.AppendAssignmentUnchecked(*c, r, static_cast<DayNumber>(st->Int(2)), st->Text(3));
      }
    }
    {
      auto st = sql::Statement::Prepare(
          db, StrCat("SELECT alias, customer, merged_at, merged_by, ", kCustomerColumns,
                     " FROM customer_aliases ORDER BY pk"));
      if (!st.ok()) return st.status();
      std::vector<CustomerAlias> aliases;
      std::vector<Customer> records;
      while (true) {
        auto row = st->Step();
        if (!row.ok()) return row.status();
        if (!*row) break;
        auto c = customer_at(*st, 1, "customer_aliases");
        if (!c.ok()) return c.status();
        CustomerAlias a;
        a.alias = std::string(st->Text(0));
        a.customer_id = std::string(p.customers().id[*c]);
        a.merged_at = ToDate(static_cast<DayNumber>(st->Int(2)));
        a.merged_by = std::string(st->Text(3));
        aliases.push_back(std::move(a));
        records.push_back(ReadCustomerFields(*st, 4));
      }
      if (auto s = p.AddCustomerAliases(aliases, records); !s.ok()) {
        return absl::DataLossError(StrCat(db.path(), ": table customer_aliases: ", s.message()));
      }
    }
    return absl::OkStatus();
  }();
  if (!status.ok()) p.RollbackTo(empty);
  return status;
}

// --- Append -------------------------------------------------------------------

absl::StatusOr<AppendReport> Store::Append(const Portfolio& delta) {
  auto& db = impl_->db;
  // Outside any transaction of the caller's: the reader connection then
  // sees what this one does until it writes (src/store/customer_keys.h).
  const bool outermost = sqlite3_get_autocommit(db.get()) != 0;
  impl_->appended.first_seq = -1;
  auto tx = sql::Transaction::Begin(db);
  if (!tx.ok()) return tx.status();
  AppendReport report;
  std::int64_t first_seq = -1;

  // Customers: delta index -> store key, adding or updating records.
  const CustomerTable& dc = delta.customers();
  std::vector<std::int64_t> customer_pk(dc.size(), 0);
  // Per delta customer: its record or contracts changed (the refresh must
  // re-read it: dirty), or only transactions came (the refresh finds those
  // by seq), or nothing.
  constexpr std::uint8_t kRecordChanged = 2, kNewTransactions = 1;
  std::vector<std::uint8_t> affected(dc.size(), 0);
  {
    auto insert = sql::Statement::Prepare(
        db, StrCat("INSERT INTO customers(id, ", kCustomerColumns,
                   ") VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"));
    if (!insert.ok()) return insert.status();
    // Non-empty fields replace; the flags are the record's.
    auto update = sql::Statement::Prepare(
        db, "UPDATE customers SET name = coalesce(?2, name), document = coalesce(?3, document), "
            "email = coalesce(?4, email), phone = coalesce(?5, phone), city = coalesce(?6, city), "
            "state = coalesce(?7, state), region = coalesce(?8, region), "
            "segment = coalesce(?9, segment), created_at = coalesce(?10, created_at), "
            "key_account = ?11, delinquent = ?12 WHERE pk = ?1");
    if (!update.ok()) return update.status();
    auto attr = sql::Statement::Prepare(
        db, "INSERT OR REPLACE INTO customer_attributes(customer, name, value) VALUES(?1, ?2, ?3)");
    if (!attr.ok()) return attr.status();
    std::vector<std::uint32_t> by_id = internal::StringOrder(dc.id);
    if (by_id.empty()) {
      by_id.resize(dc.size());
      std::iota(by_id.begin(), by_id.end(), 0);
    }
    sql::Db* reader = outermost && dc.size() >= 2 * kIdsPerThread ? impl_->Reader() : nullptr;
    std::vector<std::int64_t> keys;
    if (auto s = FindCustomerKeys(db, reader, dc.id, by_id, &keys); !s.ok()) return s;
    for (const std::uint32_t i : by_id) {
      const std::string_view id = dc.id[i];
      const bool known = keys[i] != kUnknownCustomer;
      std::int64_t pk = keys[i];
      const bool bare = IsBare(dc, i);
      if (!known) {
        const Customer c = CustomerRecord(dc, i);
        insert->BindText(1, id);
        BindCustomerFields(*insert, 2, c);
        if (auto s = insert->Run(); !s.ok()) return WithRow(s, "customers", i);
        pk = sqlite3_last_insert_rowid(db.get());
        ++report.customers_added;
        affected[i] = kRecordChanged;
      } else if (!bare) {
        const Customer c = CustomerRecord(dc, i);
        update->BindInt(1, pk);
        BindCustomerFields(*update, 2, c);
        if (auto s = update->Run(); !s.ok()) return WithRow(s, "customers", i);
        ++report.customers_updated;
        affected[i] = kRecordChanged;
      }
      customer_pk[i] = pk;
      if (!bare) {
        for (size_t a = 0; a < dc.attributes.names().size(); ++a) {
          const std::string_view v = dc.attributes.column(a)[i];
          if (v.empty()) continue;
          attr->BindInt(1, pk);
          attr->BindText(2, dc.attributes.names()[a]);
          attr->BindText(3, v);
          if (auto s = attr->Run(); !s.ok()) return WithRow(s, "customer_attributes", i);
        }
      }
    }
    if (auto s = AddUsedColumns(db, "customers", CustomerColumnBits(dc)); !s.ok()) return s;
  }
  // Reps.
  const RepTable& dr = delta.reps();
  std::vector<std::int64_t> rep_pk(dr.size(), 0);
  {
    auto find = sql::Statement::Prepare(db, "SELECT pk FROM reps WHERE id = ?1");
    if (!find.ok()) return find.status();
    auto insert = sql::Statement::Prepare(
        db, "INSERT INTO reps(id, name, region, segments, capacity, active, team) "
            "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    if (!insert.ok()) return insert.status();
    auto update = sql::Statement::Prepare(
        db, "UPDATE reps SET name = coalesce(?2, name), region = coalesce(?3, region), "
            "segments = coalesce(?4, segments), capacity = ?5, active = ?6, "
            "team = coalesce(?7, team) WHERE pk = ?1");
    if (!update.ok()) return update.status();
    for (size_t i = 0; i < dr.size(); ++i) {
      find->BindText(1, dr.id[i]);
      auto row = find->Step();
      if (!row.ok()) return row.status();
      const bool known = *row;
      std::int64_t pk = known ? find->Int(0) : 0;
      find->Reset();
      std::string segments;
      for (const auto& seg : dr.segments[i]) StrAppend(&segments, segments.empty() ? "" : "|", seg);
      const bool bare = dr.name[i].empty() && dr.region[i].empty() && segments.empty() &&
                        dr.team[i].empty() && dr.capacity[i] == 0 && dr.active[i] != 0;
      sql::Statement& st = known ? *update : *insert;
      if (known && bare) {
        rep_pk[i] = pk;
        continue;
      }
      if (known) {
        st.BindInt(1, pk);
      } else {
        st.BindText(1, dr.id[i]);
      }
      st.BindTextOrNull(2, dr.name[i]);
      st.BindTextOrNull(3, dr.region[i]);
      st.BindTextOrNull(4, segments);
      st.BindInt(5, dr.capacity[i]);
      st.BindInt(6, dr.active[i]);
      st.BindTextOrNull(7, dr.team[i]);
      if (auto s = st.Run(); !s.ok()) return WithRow(s, "reps", i);
      if (!known) {
        pk = sqlite3_last_insert_rowid(db.get());
        ++report.reps_added;
      } else {
        ++report.reps_updated;
      }
      rep_pk[i] = pk;
    }
  }
  auto bind_rep = [&](sql::Statement& st, int col, RepIndex r) {
    if (r < 0) {
      st.BindNull(col);
    } else {
      st.BindInt(col, rep_pk[static_cast<size_t>(r)]);
    }
  };
  // Dictionary codes: delta code -> store code.
  auto map_dictionary = [&](std::string_view table,
                            const Dictionary& dict) -> absl::StatusOr<std::vector<std::int64_t>> {
    std::vector<std::int64_t> codes(dict.size());
    auto find = sql::Statement::Prepare(db, StrCat("SELECT code FROM ", table, " WHERE value = ?1"));
    if (!find.ok()) return find.status();
    auto insert = sql::Statement::Prepare(
        db, StrCat("INSERT INTO ", table, "(code, value) SELECT coalesce(max(code), -1) + 1, ?1 FROM ", table));
    if (!insert.ok()) return insert.status();
    for (size_t i = 0; i < dict.size(); ++i) {
      const std::string_view value = dict[static_cast<std::int32_t>(i)];
      find->BindText(1, value);
      auto row = find->Step();
      if (!row.ok()) return row.status();
      if (*row) {
        codes[i] = find->Int(0);
        find->Reset();
        continue;
      }
      find->Reset();
      insert->BindText(1, value);
      if (auto s = insert->Run(); !s.ok()) return s;
      find->BindText(1, value);
      auto again = find->Step();
      if (!again.ok()) return again.status();
      codes[i] = find->Int(0);
      find->Reset();
    }
    return codes;
  };
  auto categories = map_dictionary("categories", delta.categories());
  if (!categories.ok()) return categories.status();
  auto channels = map_dictionary("channels", delta.channels());
  if (!channels.ok()) return channels.status();
  auto outcomes = map_dictionary("outcomes", delta.outcomes());
  if (!outcomes.ok()) return outcomes.status();
  auto bind_code = [](sql::Statement& st, int col, std::int32_t code, const std::vector<std::int64_t>& map) {
    if (code < 0) {
      st.BindNull(col);
    } else {
      st.BindInt(col, map[static_cast<size_t>(code)]);
    }
  };

  // Transactions.
  {
    const TransactionTable& t = delta.transactions();
    auto next_seq = MetaInt(db, "next_seq", 0);
    if (!next_seq.ok()) return next_seq.status();
    first_seq = *next_seq;
    auto last_date = MetaInt(db, "last_transaction_date", kNoDay);
    if (!last_date.ok()) return last_date.status();
    auto rows = PrepareTransactionRows(db, TransactionColumnBits(t) == 0);
    if (!rows.ok()) return rows.status();
    auto attr = sql::Statement::Prepare(
        db, "INSERT INTO transaction_attributes(seq, name, value) VALUES(?1, ?2, ?3)");
    if (!attr.ok()) return attr.status();
    auto refused = [&](absl::Status s) {
      const size_t i = rows->failed().tag;
      if (s.code() == absl::StatusCode::kInvalidArgument && !t.order_id[i].empty()) {
        return absl::AlreadyExistsError(StrCat(db.path(), ": transaction ", i, ": order '", t.order_id[i],
                                               "' is already in the store; nothing appended"));
      }
      return WithRow(s, "transactions", i);
    };
    // In recording order: each row lands at the end of the table.
    std::int64_t last = *last_date;
    for (size_t i = 0; i < t.size(); ++i) {
      const std::int64_t seq = *next_seq + static_cast<std::int64_t>(i);
      const TransactionRow row{seq, customer_pk[t.customer[i]], t.date[i], t.amount[i], t.order_id[i],
                               t.rep[i] < 0 ? -1 : rep_pk[static_cast<size_t>(t.rep[i])],
                               t.category[i] < 0 ? -1 : (*categories)[static_cast<size_t>(t.category[i])], i};
      if (auto s = rows->Add(row); !s.ok()) return refused(s);
      for (size_t a = 0; a < t.attributes.names().size(); ++a) {
        const std::string_view v = t.attributes.column(a)[i];
        if (v.empty()) continue;
        attr->BindInt(1, seq);
        attr->BindText(2, t.attributes.names()[a]);
        attr->BindText(3, v);
        if (auto s = attr->Run(); !s.ok()) return WithRow(s, "transaction_attributes", i);
      }
      affected[t.customer[i]] |= kNewTransactions;
      last = std::max<std::int64_t>(last, t.date[i]);
    }
    if (auto s = rows->Flush(); !s.ok()) return refused(s);
    if (auto s = AddUsedColumns(db, "transactions", TransactionColumnBits(t)); !s.ok()) return s;
    report.transactions = static_cast<std::int64_t>(t.size());
    if (auto s = SetMetaInt(db, "next_seq", *next_seq + static_cast<std::int64_t>(t.size())); !s.ok()) return s;
    if (last != kNoDay) {
      if (auto s = SetMetaInt(db, "last_transaction_date", last); !s.ok()) return s;
    }
  }
  {
    const ContractTable& k = delta.contracts();
    auto st = sql::Statement::Prepare(
        db, "INSERT INTO contracts(customer, contract_id, start, \"end\", value, auto_renew) "
            "VALUES(?1, ?2, ?3, ?4, ?5, ?6)");
    if (!st.ok()) return st.status();
    for (size_t i = 0; i < k.size(); ++i) {
      st->BindInt(1, customer_pk[k.customer[i]]);
      st->BindTextOrNull(2, k.contract_id[i]);
      st->BindInt(3, k.start[i]);
      st->BindInt(4, k.end[i]);
      st->BindInt(5, k.value[i]);
      st->BindInt(6, k.auto_renew[i]);
      if (auto s = st->Run(); !s.ok()) return WithRow(s, "contracts", i);
      affected[k.customer[i]] |= kRecordChanged;
    }
    report.contracts = static_cast<std::int64_t>(k.size());
  }
  {
    const InteractionTable& n = delta.interactions();
    auto st = sql::Statement::Prepare(
        db, "INSERT INTO interactions(customer, rep, date, channel, outcome) VALUES(?1, ?2, ?3, ?4, ?5)");
    if (!st.ok()) return st.status();
    for (size_t i = 0; i < n.size(); ++i) {
      st->BindInt(1, customer_pk[n.customer[i]]);
      bind_rep(*st, 2, n.rep[i]);
      st->BindInt(3, n.date[i]);
      bind_code(*st, 4, n.channel[i], *channels);
      bind_code(*st, 5, n.outcome[i], *outcomes);
      if (auto s = st->Run(); !s.ok()) return WithRow(s, "interactions", i);
    }
    report.interactions = static_cast<std::int64_t>(n.size());
  }
  {
    const SurveyTable& v = delta.surveys();
    auto st = sql::Statement::Prepare(db, "INSERT INTO surveys(customer, date, score) VALUES(?1, ?2, ?3)");
    if (!st.ok()) return st.status();
    for (size_t i = 0; i < v.size(); ++i) {
      st->BindInt(1, customer_pk[v.customer[i]]);
      st->BindInt(2, v.date[i]);
      st->BindInt(3, v.score[i]);
      if (auto s = st->Run(); !s.ok()) return WithRow(s, "surveys", i);
    }
    report.surveys = static_cast<std::int64_t>(v.size());
  }
  {
    const AssignmentTable& a = delta.assignments();
    auto st = sql::Statement::Prepare(
        db, "INSERT INTO assignments(customer, rep, since, reason) VALUES(?1, ?2, ?3, ?4)");
    if (!st.ok()) return st.status();
    for (size_t i = 0; i < a.size(); ++i) {
      st->BindInt(1, customer_pk[a.customer[i]]);
      st->BindInt(2, rep_pk[static_cast<size_t>(a.rep[i])]);
      st->BindInt(3, a.since[i]);
      st->BindTextOrNull(4, a.reason[i]);
      if (auto s = st->Run(); !s.ok()) return WithRow(s, "assignments", i);
    }
    report.assignments = static_cast<std::int64_t>(a.size());
  }
  {
    // New transactions need no mark: the refresh reads every transaction
    // from meta folded_seq on.
    auto st = sql::Statement::Prepare(db, "INSERT OR IGNORE INTO dirty_customers(customer) VALUES(?1)");
    if (!st.ok()) return st.status();
    for (size_t i = 0; i < affected.size(); ++i) {
      if (!affected[i]) continue;
      ++report.affected_customers;
      if (!(affected[i] & kRecordChanged)) continue;
      st->BindInt(1, customer_pk[i]);
      if (auto s = st->Run(); !s.ok()) return s;
    }
  }
  // As of this transaction: read after the commit, it could already count
  // another connection's commit, whose changes the kept rows would miss.
  // (This connection's own commits never change it.)
  auto version = db.QueryInt("PRAGMA data_version");
  if (auto s = tx->Commit(); !s.ok()) return s;
  // Committed, and not inside a caller's transaction that could still be
  // rolled back: the refresh may take the rows from here.
  if (outermost) {
    if (version.ok()) {
      Impl::AppendedRows& a = impl_->appended;
      const TransactionTable& t = delta.transactions();
      a.customer.resize(t.size());
      for (size_t i = 0; i < t.size(); ++i) a.customer[i] = customer_pk[t.customer[i]];
      a.date.assign(t.date.begin(), t.date.end());
      a.amount.assign(t.amount.begin(), t.amount.end());
      a.data_version = *version;
      a.first_seq = first_seq;
    }
  }
  return report;
}

// --- Plans --------------------------------------------------------------------

absl::Status Store::ApplyAssignments(std::span<const Assignment> rows, const PlanRecord& plan) {
  auto& db = impl_->db;
  if (plan.applied_at.is_special()) return absl::InvalidArgumentError("plan: applied_at is not a date");
  auto tx = sql::Transaction::Begin(db);
  if (!tx.ok()) return tx.status();
  if (!plan.name.empty()) {
    // A plan applied twice would write its moves into the history twice.
    auto applied = sql::Statement::Prepare(db, "SELECT applied_at, applied_by FROM plans WHERE name = ?1 LIMIT 1");
    if (!applied.ok()) return applied.status();
    applied->BindText(1, plan.name);
    auto row = applied->Step();
    if (!row.ok()) return row.status();
    if (*row) {
      return absl::AlreadyExistsError(StrCat(db.path(), ": plan '", plan.name, "' was already applied on ",
                                             FormatDate(static_cast<DayNumber>(applied->Int(0))), " by '", applied->Text(1),
                                             "'; nothing applied"));
    }
  }
  auto insert_plan = sql::Statement::Prepare(
      db, "INSERT INTO plans(name, applied_at, applied_by, note, moves) VALUES(?1, ?2, ?3, ?4, ?5)");
  if (!insert_plan.ok()) return insert_plan.status();
  insert_plan->BindTextOrNull(1, plan.name);
  insert_plan->BindInt(2, ToDayNumber(plan.applied_at));
  insert_plan->BindTextOrNull(3, plan.applied_by);
  insert_plan->BindTextOrNull(4, plan.note);
  insert_plan->BindInt(5, static_cast<std::int64_t>(rows.size()));
  if (auto s = insert_plan->Run(); !s.ok()) return s;
  const std::int64_t plan_pk = sqlite3_last_insert_rowid(db.get());
  auto customer = sql::Statement::Prepare(
      db, "SELECT pk FROM customers WHERE id = ?1 UNION ALL "
          "SELECT customer FROM customer_aliases WHERE alias = ?1 LIMIT 1");
  if (!customer.ok()) return customer.status();
  auto rep = sql::Statement::Prepare(db, "SELECT pk FROM reps WHERE id = ?1");
  if (!rep.ok()) return rep.status();
  auto insert = sql::Statement::Prepare(
      db, "INSERT INTO assignments(customer, rep, since, reason, plan) VALUES(?1, ?2, ?3, ?4, ?5)");
  if (!insert.ok()) return insert.status();
  for (size_t i = 0; i < rows.size(); ++i) {
    const Assignment& a = rows[i];
    auto lookup = [&](sql::Statement& st, std::string_view id, std::string_view what) -> absl::StatusOr<std::int64_t> {
      st.BindText(1, id);
      auto row = st.Step();
      if (!row.ok()) return row.status();
      if (!*row) {
        st.Reset();
        return absl::InvalidArgumentError(StrCat(db.path(), ": plan row ", i, ": unknown ", what, " '", id,
                                                 "'; nothing applied"));
      }
      const std::int64_t pk = st.Int(0);
      st.Reset();
      return pk;
    };
    auto c = lookup(*customer, a.customer_id, "customer");
    if (!c.ok()) return c.status();
    auto r = lookup(*rep, a.rep_id, "rep");
    if (!r.ok()) return r.status();
    if (a.since.is_special()) {
      return absl::InvalidArgumentError(StrCat(db.path(), ": plan row ", i, ": since is not a date"));
    }
    insert->BindInt(1, *c);
    insert->BindInt(2, *r);
    insert->BindInt(3, ToDayNumber(a.since));
    insert->BindTextOrNull(4, a.reason);
    insert->BindInt(5, plan_pk);
    if (auto s = insert->Run(); !s.ok()) return WithRow(s, "assignments", i);
  }
  return tx->Commit();
}

// --- Merges -------------------------------------------------------------------

absl::Status Store::Atomically(const std::function<absl::Status(Store&)>& body) {
  auto& db = impl_->db;
  if (sqlite3_get_autocommit(db.get()) == 0) {
    return absl::FailedPreconditionError(StrCat(db.path(), ": Atomically inside Atomically"));
  }
  auto tx = sql::Transaction::Begin(db);
  if (!tx.ok()) return tx.status();
  if (auto s = body(*this); !s.ok()) return s;  // the transaction rolls back
  return tx->Commit();
}

absl::Status Store::Snapshot(const std::function<absl::Status(Store&)>& body) {
  // Inside a transaction already (Atomically), reads see it: nothing to pin.
  auto snapshot = sql::ReadTransaction::Begin(impl_->db);
  if (!snapshot.ok()) return snapshot.status();
  return body(*this);
}

absl::Status Store::MergeCustomers(std::span<const CustomerMerge> merges) {
  auto& db = impl_->db;
  impl_->appended.first_seq = -1;  // their customer keys change
  auto tx = sql::Transaction::Begin(db);
  if (!tx.ok()) return tx.status();
  // The records involved, in a small portfolio: Portfolio::MergeCustomers
  // validates the merges and builds the survivors' records exactly as an
  // in-memory merge does.
  Portfolio small;
  std::vector<std::int64_t> pk_of;  // small index -> store key
  {
    auto find = sql::Statement::Prepare(
        db, StrCat("SELECT pk, id, ", kCustomerColumns, " FROM customers WHERE id = ?1"));
    if (!find.ok()) return find.status();
    auto alias = sql::Statement::Prepare(
        db, "SELECT c.id FROM customer_aliases a JOIN customers c ON c.pk = a.customer WHERE a.alias = ?1");
    if (!alias.ok()) return alias.status();
    auto attrs = sql::Statement::Prepare(db, "SELECT name, value FROM customer_attributes WHERE customer = ?1");
    if (!attrs.ok()) return attrs.status();
    std::vector<std::string> ids;
    for (const CustomerMerge& m : merges) {
      ids.push_back(m.into);
      ids.insert(ids.end(), m.merged.begin(), m.merged.end());
    }
    for (size_t m = 0; m < merges.size(); ++m) {
      for (size_t k = 0; k <= merges[m].merged.size(); ++k) {
        const std::string& id = k == 0 ? merges[m].into : merges[m].merged[k - 1];
        if (id.empty() || small.FindCustomer(id)) continue;  // MergeCustomers names these
        find->BindText(1, id);
        auto row = find->Step();
        if (!row.ok()) return row.status();
        if (!*row) {
          find->Reset();
          alias->BindText(1, id);
          auto a = alias->Step();
          if (!a.ok()) return a.status();
          const std::string into = *a ? std::string(alias->Text(0)) : std::string();
          alias->Reset();
          if (!into.empty()) {
            return absl::InvalidArgumentError(StrCat("merge ", m, ": '", id, "' was already merged into '", into, "'"));
          }
          return absl::InvalidArgumentError(StrCat("merge ", m, ": unknown customer '", id, "'"));
        }
        Customer c = ReadCustomerFields(*find, 2);
        c.id = id;
        const std::int64_t pk = find->Int(0);
        find->Reset();
        attrs->BindInt(1, pk);
        while (true) {
          auto a = attrs->Step();
          if (!a.ok()) return a.status();
          if (!*a) break;
          c.attributes.push_back({std::string(attrs->Text(0)), std::string(attrs->Text(1))});
        }
        attrs->Reset();
        if (auto s = small.AddCustomers(std::span<const Customer>(&c, 1)); !s.ok()) return s;
        pk_of.push_back(pk);
      }
    }
  }
  absl::flat_hash_map<std::string, std::int64_t> pks;
  for (size_t i = 0; i < small.customers().size(); ++i) pks[std::string(small.customers().id[i])] = pk_of[i];
  auto pk_by_id = [&](std::string_view id) { return pks.at(std::string(id)); };
  if (auto s = small.MergeCustomers(merges); !s.ok()) return s;

  // Survivors' records.
  auto update = sql::Statement::Prepare(
      db, "UPDATE customers SET name = ?2, document = ?3, email = ?4, phone = ?5, city = ?6, "
          "state = ?7, region = ?8, segment = ?9, created_at = ?10, key_account = ?11, "
          "delinquent = ?12 WHERE pk = ?1");
  if (!update.ok()) return update.status();
  auto attr = sql::Statement::Prepare(
      db, "INSERT OR REPLACE INTO customer_attributes(customer, name, value) VALUES(?1, ?2, ?3)");
  if (!attr.ok()) return attr.status();
  auto dirty = sql::Statement::Prepare(db, "INSERT OR IGNORE INTO dirty_customers(customer) VALUES(?1)");
  if (!dirty.ok()) return dirty.status();
  for (const CustomerMerge& m : merges) {
    const auto idx = small.FindCustomer(m.into);
    const Customer c = CustomerRecord(small.customers(), *idx);
    const std::int64_t pk = pk_by_id(m.into);
    update->BindInt(1, pk);
    BindCustomerFields(*update, 2, c);
    if (auto s = update->Run(); !s.ok()) return s;
    for (const Attribute& a : c.attributes) {
      attr->BindInt(1, pk);
      attr->BindText(2, a.name);
      attr->BindText(3, a.value);
      if (auto s = attr->Run(); !s.ok()) return s;
    }
    dirty->BindInt(1, pk);
    if (auto s = dirty->Run(); !s.ok()) return s;
  }
  // Rows move; the merged records become aliases.
  // (Transactions move in one scan for the whole batch, below.)
  const char* kMoves[] = {
      "UPDATE contracts SET customer = ?1 WHERE customer = ?2",
      "UPDATE interactions SET customer = ?1 WHERE customer = ?2",
      "UPDATE surveys SET customer = ?1 WHERE customer = ?2",
      "UPDATE assignments SET customer = ?1 WHERE customer = ?2",
      "UPDATE customer_aliases SET customer = ?1 WHERE customer = ?2",
      "UPDATE status_events SET customer = ?1 WHERE customer = ?2",
      "DELETE FROM customer_attributes WHERE customer = ?2 AND ?1 IS NOT NULL",
      "DELETE FROM dirty_customers WHERE customer = ?2 AND ?1 IS NOT NULL",
      "DELETE FROM customers WHERE pk = ?2 AND ?1 IS NOT NULL",
  };
  std::vector<sql::Statement> moves;
  for (const char* text : kMoves) {
    auto st = sql::Statement::Prepare(db, text);
    if (!st.ok()) return st.status();
    moves.push_back(std::move(*st));
  }
  auto alias = sql::Statement::Prepare(
      db, StrCat("INSERT INTO customer_aliases(alias, customer, merged_at, merged_by, ", kCustomerColumns,
                 ") VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)"));
  if (!alias.ok()) return alias.status();
  const CustomerAliasTable& al = small.customer_aliases();
  std::vector<std::pair<std::int64_t, std::int64_t>> moved;  // merged -> survivor keys
  // The loyalty ledger first, per survivor: it may refuse the merge
  // (store_internal::MergeLoyalty says when), before anything else moves.
  {
    std::map<std::int64_t, std::vector<std::pair<std::int64_t, std::string>>> groups;  // survivor -> merged
    std::map<std::int64_t, std::string> survivor_id;
    for (size_t i = 0; i < al.size(); ++i) {
      const std::string_view into_id = small.customers().id[al.customer[i]];
      const std::int64_t into = pk_by_id(into_id);
      groups[into].emplace_back(pk_by_id(al.alias[i]), std::string(al.alias[i]));
      survivor_id[into] = std::string(into_id);
    }
    for (const auto& [into, merged] : groups) {
      if (auto s = store_internal::MergeLoyalty(db, into, survivor_id[into], merged); !s.ok()) return s;
    }
  }
  for (size_t i = 0; i < al.size(); ++i) {
    const std::int64_t into = pk_by_id(small.customers().id[al.customer[i]]);
    const std::int64_t merged = pk_by_id(al.alias[i]);
    moved.emplace_back(merged, into);
    // Move the merged customer's rows to the survivor, then record the alias.
    for (auto& st : moves) {
      st.BindInt(1, into);
      st.BindInt(2, merged);
      if (auto s = st.Run(); !s.ok()) return s;
    }
    alias->BindText(1, al.alias[i]);
    alias->BindInt(2, into);
    alias->BindInt(3, al.merged_at[i]);
    alias->BindTextOrNull(4, al.merged_by[i]);
    // Bound text is not copied: the record must live until Run().
    const Customer record = CustomerRecord(small.merged_customers(), i);
    BindCustomerFields(*alias, 5, record);
    if (auto s = alias->Run(); !s.ok()) return s;
  }
  if (moved.empty()) return tx->Commit();
  // Transactions are not indexed by customer (an index would be rewritten
  // all over by every append): one scan moves the whole batch's.
  if (auto s = db.Exec("CREATE TEMP TABLE IF NOT EXISTS merge_moves(merged INTEGER PRIMARY KEY, survivor INTEGER);"
                       "DELETE FROM merge_moves");
      !s.ok()) {
    return s;
  }
  {
    auto st = sql::Statement::Prepare(db, "INSERT INTO merge_moves(merged, survivor) VALUES(?1, ?2)");
    if (!st.ok()) return st.status();
    for (const auto& [merged, into] : moved) {
      st->BindInt(1, merged);
      st->BindInt(2, into);
      if (auto s = st->Run(); !s.ok()) return s;
    }
  }
  if (auto s = db.Exec("UPDATE transactions SET customer = (SELECT survivor FROM merge_moves WHERE merged = customer) "
                       "WHERE customer IN (SELECT merged FROM merge_moves); DELETE FROM merge_moves");
      !s.ok()) {
    return s;
  }
  // The merged customers' purchase digests join the survivor's (who is
  // dirty: the next refresh judges it again).
  auto state = StateTable::Prepare(db);
  if (!state.ok()) return state.status();
  StateBlock from, to;
  for (const auto& [merged, into] : moved) {
    if (auto s = state->Read(StateBlockOf(merged), &from); !s.ok()) return s;
    StateEntry* gone = from.Find(merged);
    if (gone == nullptr) continue;
    const StateEntry taken = *gone;
    const std::vector<DayNumber> taken_days(from.DaysOf(taken).begin(), from.DaysOf(taken).end());
    from.entries.erase(from.entries.begin() + (gone - from.entries.data()));
    if (auto s = state->Write(from); !s.ok()) return s;
    if (auto s = state->Read(StateBlockOf(into), &to); !s.ok()) return s;
    StateEntry* survivor = to.Find(into);
    if (survivor == nullptr) {
      StateEntry e;
      e.pk = into;
      auto at = std::lower_bound(to.entries.begin(), to.entries.end(), into,
                                 [](const StateEntry& x, std::int64_t key) { return x.pk < key; });
      survivor = &*to.entries.insert(at, e);
    }
    std::vector<DayNumber> days(to.DaysOf(*survivor).begin(), to.DaysOf(*survivor).end());
    days.insert(days.end(), taken_days.begin(), taken_days.end());
    std::sort(days.begin(), days.end());
    days.erase(std::unique(days.begin(), days.end()), days.end());
    to.SetDays(*survivor, days);
    survivor->revenue += taken.revenue;
    if (auto s = state->Write(to); !s.ok()) return s;
  }
  return tx->Commit();
}

absl::StatusOr<DayNumber> Store::LastTransactionDate() {
  auto d = MetaInt(impl_->db, "last_transaction_date", kNoDay);
  if (!d.ok()) return d.status();
  return static_cast<DayNumber>(*d);
}

absl::StatusOr<DayNumber> Store::LastRefreshDate() {
  auto d = impl_->db.QueryInt("SELECT coalesce(max(as_of), -2147483648) FROM status_runs");
  if (!d.ok()) return d.status();
  return static_cast<DayNumber>(*d);
}

// --- Stored statuses and history ------------------------------------------------

absl::StatusOr<std::vector<StoredStatus>> Store::Statuses() {
  auto& db = impl_->db;
  auto rtx = sql::ReadTransaction::Begin(db);
  if (!rtx.ok()) return rtx.status();
  auto last = LastRefreshDate();
  if (!last.ok()) return last.status();
  // Blocks and customers both in key order: one walk pairs them.
  auto customers = sql::Statement::Prepare(db, "SELECT pk, id FROM customers ORDER BY pk");
  if (!customers.ok()) return customers.status();
  auto blocks = sql::Statement::Prepare(db, "SELECT block FROM customer_state ORDER BY block");
  if (!blocks.ok()) return blocks.status();
  auto state = StateTable::Prepare(db);
  if (!state.ok()) return state.status();
  if (auto s = state->StreamLog(); !s.ok()) return s;  // every block is read
  std::vector<StoredStatus> out;
  StateBlock block;
  bool customer_row = false;
  while (true) {
    auto row = blocks->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    if (auto s = state->Read(blocks->Int(0), &block); !s.ok()) return s;
    for (const StateEntry& e : block.entries) {
      if (!e.has_status) continue;
      while (!customer_row || customers->Int(0) < e.pk) {
        auto c = customers->Step();
        if (!c.ok()) return c.status();
        customer_row = *c;
        if (!customer_row) break;
      }
      if (!customer_row) break;
      if (customers->Int(0) != e.pk) continue;  // no such customer (carteira db check)
      StoredStatus s;
      s.customer_id = std::string(customers->Text(1));
      s.status = e.status;
      s.flags = e.flags;
      s.as_of = *last;
      out.push_back(std::move(s));
    }
  }
  std::sort(out.begin(), out.end(),
            [](const StoredStatus& a, const StoredStatus& b) { return a.customer_id < b.customer_id; });
  return out;
}

absl::StatusOr<std::vector<StatusHistoryEvent>> Store::History(DayNumber from, DayNumber to) {
  if (to < from) {
    return absl::InvalidArgumentError(StrCat(path(), ": history from ", FormatDate(from), " to ", FormatDate(to),
                                             ": the end is before the start"));
  }
  auto& db = impl_->db;
  auto rtx = sql::ReadTransaction::Begin(db);
  if (!rtx.ok()) return rtx.status();
  auto st = sql::Statement::Prepare(
      db,
      "SELECT r.as_of, c.id, e.from_status, e.to_status, e.from_flags, e.to_flags FROM status_events e "
      "JOIN status_runs r ON r.pk = e.run JOIN customers c ON c.pk = e.customer "
      "WHERE r.as_of > ?1 AND r.as_of <= ?2 ORDER BY r.as_of, c.id");
  if (!st.ok()) return st.status();
  st->BindInt(1, from);
  st->BindInt(2, to);
  std::vector<StatusHistoryEvent> out;
  while (true) {
    auto row = st->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    StatusHistoryEvent h;
    h.as_of = static_cast<DayNumber>(st->Int(0));
    h.event.customer_id = std::string(st->Text(1));
    h.event.first = st->IsNull(2);
    h.event.from = h.event.first ? Status::kProspect : static_cast<Status>(st->Int(2));
    h.event.to = static_cast<Status>(st->Int(3));
    h.event.from_flags = st->IsNull(4) ? 0 : static_cast<std::uint8_t>(st->Int(4));
    h.event.to_flags = static_cast<std::uint8_t>(st->Int(5));
    out.push_back(std::move(h));
  }
  return out;
}

// --- Counts and check -----------------------------------------------------------

absl::StatusOr<StoreCounts> Store::Counts() {
  auto& db = impl_->db;
  auto rtx = sql::ReadTransaction::Begin(db);
  if (!rtx.ok()) return rtx.status();
  StoreCounts counts;
  for (const char* table : {"customers", "reps", "transactions", "contracts", "interactions",
                            "surveys", "assignments", "plans", "customer_aliases",
                            "status_runs", "status_events", "loyalty_ledger"}) {
    auto n = db.QueryInt(StrCat("SELECT count(*) FROM ", table));
    if (!n.ok()) return n.status();
    counts[table == std::string_view("customer_aliases") ? "merged_customers" : table] = *n;
  }
  // customer_state: the customers with a state (its rows are blocks of them).
  // A block with live log rows is read whole (the log may add entries).
  auto st = sql::Statement::Prepare(
      db, "SELECT block, data, EXISTS(SELECT 1 FROM customer_state_log l WHERE l.block = s.block) "
          "FROM customer_state s");
  if (!st.ok()) return st.status();
  auto state = StateTable::Prepare(db);
  if (!state.ok()) return state.status();
  if (auto s = state->StreamLog(); !s.ok()) return s;  // every block is read
  StateBlock block;
  std::int64_t states = 0;
  while (true) {
    auto row = st->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    const auto* data = static_cast<const std::uint8_t*>(sqlite3_column_blob(st->get(), 1));
    const std::span<const std::uint8_t> bytes(data, static_cast<size_t>(sqlite3_column_bytes(st->get(), 1)));
    auto n = CountStateEntries(st->Int(0), bytes);
    if (!n.ok()) return absl::DataLossError(StrCat(db.path(), ": ", n.status().message()));
    if (st->Int(2) != 0) {
      if (auto s = state->Read(st->Int(0), &block); !s.ok()) return s;
      n = static_cast<std::int64_t>(block.entries.size());
    }
    states += *n;
  }
  counts["customer_state"] = states;
  return counts;
}

namespace {

// The state blocks: each decodes, lies in its block, names existing
// customers, carries the earliest next_check of its entries; and the
// statuses agree with the last refresh's events (unless the customer
// changed since, i.e. is dirty).
absl::Status CheckCustomerState(sql::Db& db, CheckReport& report) {
  std::vector<std::int64_t> customers;
  {
    auto st = sql::Statement::Prepare(db, "SELECT pk FROM customers ORDER BY pk");
    if (!st.ok()) return st.status();
    while (true) {
      auto row = st->Step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      customers.push_back(st->Int(0));
    }
  }
  absl::flat_hash_map<std::int64_t, std::int64_t> last_event;  // customer -> to_status
  {
    auto st = sql::Statement::Prepare(
        db, "SELECT customer, to_status FROM status_events WHERE run = (SELECT max(pk) FROM status_runs) "
            "AND customer NOT IN (SELECT customer FROM dirty_customers) ORDER BY pk");
    if (!st.ok()) return st.status();
    while (true) {
      auto row = st->Step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      last_event[st->Int(0)] = st->Int(1);
    }
  }
  auto st = sql::Statement::Prepare(db, "SELECT block, next_check, data FROM customer_state ORDER BY block");
  if (!st.ok()) return st.status();
  auto state = StateTable::Prepare(db);
  if (!state.ok()) return state.status();
  if (auto s = state->StreamLog(); !s.ok()) return s;  // every block is read
  StateBlock block;
  std::vector<std::int64_t> block_rows;  // ascending
  std::int64_t unknown = 0, differing = 0, wrong_next = 0, homeless = 0;
  size_t matched = 0;
  while (true) {
    auto row = st->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    const auto* data = static_cast<const std::uint8_t*>(sqlite3_column_blob(st->get(), 2));
    const size_t size = static_cast<size_t>(sqlite3_column_bytes(st->get(), 2));
    block_rows.push_back(st->Int(0));
    if (auto s = DecodeStateBlock(st->Int(0), {data, size}, &block); !s.ok()) {
      report.problems.push_back(std::string(s.message()));
      continue;
    }
    wrong_next += block.NextCheck() != st->Int(1);
    // The entries as the refresh sees them: the live log laid over.
    if (auto s = state->Read(st->Int(0), &block); !s.ok()) {
      report.problems.push_back(std::string(s.message()));
      continue;
    }
    for (const StateEntry& e : block.entries) {
      unknown += !std::binary_search(customers.begin(), customers.end(), e.pk);
      if (auto it = last_event.find(e.pk); it != last_event.end()) {
        ++matched;
        differing += !e.has_status || static_cast<std::int64_t>(e.status) != it->second;
      }
    }
  }
  // Log rows: each decodes, carries the earliest next_check of its
  // entries, and belongs to a block that has a row.
  auto log = sql::Statement::Prepare(db, "SELECT id, block, next_check, data FROM customer_state_log ORDER BY id");
  if (!log.ok()) return log.status();
  while (true) {
    auto row = log->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    const std::int64_t b = log->Int(1);
    const auto* data = static_cast<const std::uint8_t*>(sqlite3_column_blob(log->get(), 3));
    const size_t size = static_cast<size_t>(sqlite3_column_bytes(log->get(), 3));
    if (auto s = DecodeStateBlock(b, {data, size}, &block); !s.ok()) {
      report.problems.push_back(StrCat("customer_state_log, row ", log->Int(0), ": ", s.message()));
      continue;
    }
    wrong_next += block.NextCheck() != log->Int(2);
    homeless += StateLogId(log->Int(0) >> kStateLogRunShift, b) != log->Int(0) ||
                !std::binary_search(block_rows.begin(), block_rows.end(), b);
  }
  if (homeless != 0) {
    report.problems.push_back(StrCat(homeless, " customer state log rows without their block"));
  }
  differing += static_cast<std::int64_t>(last_event.size() - matched);
  if (unknown != 0) report.problems.push_back(StrCat(unknown, " customer states of unknown customers"));
  if (wrong_next != 0) report.problems.push_back(StrCat(wrong_next, " customer state blocks with a wrong next_check"));
  if (differing != 0) {
    report.problems.push_back(StrCat(differing, " status events whose new status differs from the stored one"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<CheckReport> Store::Check() {
  auto& db = impl_->db;
  auto rtx = sql::ReadTransaction::Begin(db);
  if (!rtx.ok()) return rtx.status();
  CheckReport report;
  {
    auto st = sql::Statement::Prepare(db, "PRAGMA integrity_check");
    if (!st.ok()) return st.status();
    while (true) {
      auto row = st->Step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      if (st->Text(0) != "ok") report.problems.push_back(StrCat("integrity: ", st->Text(0)));
    }
  }
  {
    auto st = sql::Statement::Prepare(db, "PRAGMA foreign_key_check");
    if (!st.ok()) return st.status();
    while (true) {
      auto row = st->Step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      report.problems.push_back(StrCat("table ", st->Text(0), ", row ", st->Text(1), ": no row ",
                                       "in ", st->Text(2), " for its reference"));
      if (report.problems.size() > 1000) break;
    }
  }
  struct Probe {
    const char* what;
    const char* sql;
  };
  const Probe probes[] = {
      {"aliases that are also a customer's own id",
       "SELECT count(*) FROM customer_aliases a JOIN customers c ON c.id = a.alias"},
      {"customers with an empty id", "SELECT count(*) FROM customers WHERE id = ''"},
      {"contracts ending before they start", "SELECT count(*) FROM contracts WHERE \"end\" < start"},
      {"transactions with a date outside 1900..2199",
       "SELECT count(*) FROM transactions WHERE date < -25567 OR date > 84005"},
      {"transaction seq not below meta next_seq",
       "SELECT count(*) FROM transactions WHERE seq >= (SELECT coalesce((SELECT value FROM meta WHERE "
       "key = 'next_seq'), 0))"},
      {"meta folded_seq past next_seq",
       "SELECT count(*) FROM meta WHERE key = 'folded_seq' AND CAST(value AS INTEGER) > "
       "coalesce((SELECT value FROM meta WHERE key = 'next_seq'), 0)"},
      {"pending transactions that do not exist",
       "SELECT count(*) FROM pending_transactions p LEFT JOIN transactions t ON t.seq = p.seq WHERE t.seq IS NULL"},
      {"transactions with an order id, rep or category that meta columns:transactions does not list",
       "SELECT count(*) FROM transactions WHERE (order_id IS NOT NULL AND NOT (SELECT value FROM meta WHERE "
       "key = 'columns:transactions') & 1) OR (rep IS NOT NULL AND NOT (SELECT value FROM meta WHERE "
       "key = 'columns:transactions') & 2) OR (category IS NOT NULL AND NOT (SELECT value FROM meta WHERE "
       "key = 'columns:transactions') & 4)"},
      {"transactions after meta last_transaction_date",
       "SELECT count(*) FROM transactions WHERE date > (SELECT value FROM meta WHERE key = "
       "'last_transaction_date')"},
      {"status events of an unknown run",
       "SELECT count(*) FROM status_events e LEFT JOIN status_runs r ON r.pk = e.run WHERE r.pk IS NULL"},
      {"plans whose move count differs from their assignments",
       "SELECT count(*) FROM plans p WHERE moves != (SELECT count(*) FROM assignments WHERE plan = p.pk)"},
  };
  for (const Probe& probe : probes) {
    auto n = db.QueryInt(probe.sql);
    if (!n.ok()) return n.status();
    if (*n != 0) report.problems.push_back(StrCat(*n, " ", probe.what));
  }
  {
    // Customers' columns that meta columns:customers does not list.
    auto used = UsedColumns(db, "customers");
    if (!used.ok()) return used.status();
    std::string sql = "SELECT 0";
    for (int f = 0; f < 11; ++f) {
      if ((*used >> f) & 1) continue;
      StrAppend(&sql, f < 9 ? StrCat(" + count(", kCustomerFieldNames[f], ")")
                            : StrCat(" + sum(", kCustomerFieldNames[f], " != 0)"));
    }
    auto n = db.QueryInt(StrCat("SELECT coalesce((", sql, " FROM customers), 0)"));
    if (!n.ok()) return n.status();
    if (*n != 0) report.problems.push_back(StrCat(*n, " customer fields that meta columns:customers does not list"));
  }
  if (auto s = CheckCustomerState(db, report); !s.ok()) return s;
  return report;
}

}  // namespace carteira
