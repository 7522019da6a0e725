#include "src/store/sqlite.h"

#include <mutex>

#include "carteira/core/strings.h"

namespace carteira::sql {

absl::Status ErrorFor(int rc, std::string_view file, std::string_view what, sqlite3* db) {
  const std::string detail = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  const std::string message = StrCat(file, ": ", what, ": ", detail);
  // A full disk (ENOSPC) is SQLITE_FULL; a write refused for another
  // reason (a quota, the file size limit, a failing device) is an I/O
  // error, whose errno SQLite does not keep reliably.
  if (rc == SQLITE_IOERR_WRITE) {
    return absl::UnavailableError(
        StrCat(message, " (writing failed: disk full, or over a quota or the file size limit?)"));
  }
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return absl::UnavailableError(
          StrCat(file, ": busy: another process or thread is writing to the database (", what,
                 "); try again later"));
    case SQLITE_FULL:
      return absl::ResourceExhaustedError(StrCat(message, " (disk full?); nothing was written"));
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_AUTH:
      return absl::PermissionDeniedError(StrCat(message, "; nothing was written"));
    case SQLITE_CANTOPEN:
      return absl::NotFoundError(message);
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
      return absl::DataLossError(message);
    case SQLITE_CONSTRAINT:
    case SQLITE_MISMATCH:
    case SQLITE_RANGE:
      return absl::InvalidArgumentError(message);
    case SQLITE_NOMEM:
      return absl::ResourceExhaustedError(message);
    case SQLITE_IOERR:
      return absl::UnavailableError(StrCat(message, " (I/O error)"));
    default:
      return absl::InternalError(message);
  }
}

Db& Db::operator=(Db&& other) noexcept {
  if (this != &other) {
    sqlite3_close_v2(db_);
    db_ = other.db_;
    path_ = std::move(other.path_);
    other.db_ = nullptr;
  }
  return *this;
}

Db::~Db() { sqlite3_close_v2(db_); }

namespace {

// Before SQLite's first use in the process: no memory statistics (SQLite's
// recommended SQLITE_DEFAULT_MEMSTATUS=0). Keeping them takes one
// process-wide lock around every SQLite allocation, which the store's two
// threads (a refresh reading blocks on both) contend for: ~70 ms of a
// day's ~380 in the store benchmark. Once SQLite is initialized (a host
// that uses it and called sqlite3_initialize first) the call is refused
// and changes nothing: the host keeps its statistics (docs/store.md).
void ConfigureSqliteOnce() {
  static std::once_flag once;
  std::call_once(once, [] { (void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); });
}

}  // namespace

absl::StatusOr<Db> Db::Open(const std::string& path, int flags, int busy_timeout_ms) {
  ConfigureSqliteOnce();
  Db db;
  db.path_ = path;
  const int rc = sqlite3_open_v2(path.c_str(), &db.db_, flags | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) return ErrorFor(rc, path, "cannot open", db.db_);
  sqlite3_extended_result_codes(db.db_, 1);
  sqlite3_busy_timeout(db.db_, busy_timeout_ms);
  return db;
}

absl::Status Db::Exec(std::string_view sql) {
  const std::string text(sql);
  char* message = nullptr;
  const int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &message);
  sqlite3_free(message);
  if (rc != SQLITE_OK) return Error(rc, text.substr(0, 60));
  return absl::OkStatus();
}

absl::StatusOr<std::int64_t> Db::QueryInt(std::string_view sql) {
  auto stmt = Statement::Prepare(*this, sql);
  if (!stmt.ok()) return stmt.status();
  auto row = stmt->Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::int64_t{0};
  return stmt->Int(0);
}

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    sqlite3_finalize(stmt_);
    db_ = other.db_;
    stmt_ = other.stmt_;
    other.stmt_ = nullptr;
  }
  return *this;
}

absl::StatusOr<Statement> Statement::Prepare(Db& db, std::string_view sql) {
  Statement s;
  s.db_ = &db;
  const int rc = sqlite3_prepare_v3(db.get(), sql.data(), static_cast<int>(sql.size()),
                                    SQLITE_PREPARE_PERSISTENT, &s.stmt_, nullptr);
  if (rc != SQLITE_OK) return db.Error(rc, StrCat("preparing '", sql.substr(0, 60), "'"));
  return s;
}

absl::StatusOr<bool> Statement::Step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  const std::string sql = sqlite3_sql(stmt_) ? sqlite3_sql(stmt_) : "";
  absl::Status s = db_->Error(rc, sql.substr(0, 60));
  sqlite3_reset(stmt_);
  return s;
}

absl::Status Statement::Run() {
  auto r = Step();
  Reset();
  return r.status();
}

// Inside an open transaction (Store::Atomically), a write is a savepoint
// of it: its Commit() releases the savepoint into the outer transaction, and
// a failure rolls back to the savepoint, so the outer one decides.
absl::StatusOr<Transaction> Transaction::Begin(Db& db) {
  if (sqlite3_get_autocommit(db.get()) == 0) {
    if (auto s = db.Exec("SAVEPOINT carteira_nested"); !s.ok()) return s;
    return Transaction(&db, /*nested=*/true);
  }
  if (auto s = db.Exec("BEGIN IMMEDIATE"); !s.ok()) return s;
  return Transaction(&db, /*nested=*/false);
}

Transaction::~Transaction() {
  if (db_ == nullptr) return;
  if (nested_) {
    sqlite3_exec(db_->get(), "ROLLBACK TO carteira_nested; RELEASE carteira_nested", nullptr, nullptr, nullptr);
  } else {
    sqlite3_exec(db_->get(), "ROLLBACK", nullptr, nullptr, nullptr);
  }
}

absl::Status Transaction::Commit() {
  if (db_ == nullptr) return absl::FailedPreconditionError("transaction already ended");
  absl::Status s = db_->Exec(nested_ ? "RELEASE carteira_nested" : "COMMIT");
  // A failed COMMIT (busy readers do not block a WAL commit; a full disk
  // does) leaves the transaction open: the destructor rolls it back.
  if (s.ok()) db_ = nullptr;
  return s;
}

absl::StatusOr<ReadTransaction> ReadTransaction::Begin(Db& db) {
  // Inside an open transaction, reads see it (its own writes included).
  if (sqlite3_get_autocommit(db.get()) == 0) return ReadTransaction(nullptr);
  if (auto s = db.Exec("BEGIN DEFERRED"); !s.ok()) return s;
  ReadTransaction t(&db);
  // The snapshot starts at the first read: take it now.
  if (auto s = db.QueryInt("SELECT count(*) FROM sqlite_schema"); !s.ok()) return s.status();
  return t;
}

ReadTransaction::~ReadTransaction() {
  if (db_ != nullptr) sqlite3_exec(db_->get(), "COMMIT", nullptr, nullptr, nullptr);
}

}  // namespace carteira::sql
