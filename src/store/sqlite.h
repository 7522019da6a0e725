// A thin RAII layer over SQLite's C API: a connection, a prepared
// statement, a transaction. Every failure becomes an absl::Status naming
// the database file; SQLITE_BUSY/LOCKED become UNAVAILABLE ("busy"),
// SQLITE_FULL becomes RESOURCE_EXHAUSTED, SQLITE_READONLY/PERM
// PERMISSION_DENIED, SQLITE_NOTADB/CORRUPT DATA_LOSS. Written by hand
// because the C++ wrappers in Debian (SQLiteCpp) throw exceptions, which
// the core does not let cross its API, and this is all we need of them.
#ifndef CARTEIRA_SRC_STORE_SQLITE_H_
#define CARTEIRA_SRC_STORE_SQLITE_H_

#include <sqlite3.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace carteira::sql {

// The status for SQLite result code `rc` (extended codes accepted).
absl::Status ErrorFor(int rc, std::string_view file, std::string_view what, sqlite3* db);

class Db {
 public:
  Db() = default;
  Db(Db&& other) noexcept : db_(other.db_), path_(std::move(other.path_)) { other.db_ = nullptr; }
  Db& operator=(Db&& other) noexcept;
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;
  ~Db();

  // flags: SQLITE_OPEN_* (READONLY or READWRITE[|CREATE]).
  static absl::StatusOr<Db> Open(const std::string& path, int flags, int busy_timeout_ms);

  sqlite3* get() const { return db_; }
  const std::string& path() const { return path_; }

  // Runs one or more statements without results.
  absl::Status Exec(std::string_view sql);
  // The first column of the first row of a query as an integer.
  absl::StatusOr<std::int64_t> QueryInt(std::string_view sql);
  absl::Status Error(int rc, std::string_view what) const { return ErrorFor(rc, path_, what, db_); }

 private:
  sqlite3* db_ = nullptr;
  std::string path_;
};

class Statement {
 public:
  Statement() = default;
  Statement(Statement&& other) noexcept : db_(other.db_), stmt_(other.stmt_) { other.stmt_ = nullptr; }
  Statement& operator=(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement() { sqlite3_finalize(stmt_); }

  static absl::StatusOr<Statement> Prepare(Db& db, std::string_view sql);

  // Binds (1-based). Empty text and kNull bind NULL.
  void BindInt(int i, std::int64_t v) { sqlite3_bind_int64(stmt_, i, v); }
  void BindNull(int i) { sqlite3_bind_null(stmt_, i); }
  // Text is bound without a copy: it must outlive the next Step().
  void BindText(int i, std::string_view v) {
    sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
  }
  void BindTextOrNull(int i, std::string_view v) {
    if (v.empty()) {
      sqlite3_bind_null(stmt_, i);
    } else {
      BindText(i, v);
    }
  }
  void BindBlob(int i, const void* data, size_t bytes) {
    sqlite3_bind_blob64(stmt_, i, data, bytes, SQLITE_STATIC);
  }

  // true: a row is ready; false: done. Errors name `what`.
  absl::StatusOr<bool> Step();
  // Step() of a statement that returns no rows, then Reset().
  absl::Status Run();
  void Reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }

  std::int64_t Int(int col) const { return sqlite3_column_int64(stmt_, col); }
  bool IsNull(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }
  // Valid until the next Step()/Reset().
  std::string_view Text(int col) const {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
    return p ? std::string_view(p, static_cast<size_t>(sqlite3_column_bytes(stmt_, col)))
             : std::string_view();
  }
  sqlite3_stmt* get() const { return stmt_; }

 private:
  Db* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
};

// BEGIN IMMEDIATE on construction (so that a second writer waits for the
// busy timeout and then fails up front, not halfway); ROLLBACK on
// destruction unless Commit() succeeded. Inside an open transaction, a
// savepoint of it instead.
class Transaction {
 public:
  static absl::StatusOr<Transaction> Begin(Db& db);
  Transaction(Transaction&& other) noexcept : db_(other.db_), nested_(other.nested_) { other.db_ = nullptr; }
  Transaction& operator=(Transaction&&) = delete;
  Transaction(const Transaction&) = delete;
  ~Transaction();
  absl::Status Commit();

 private:
  Transaction(Db* db, bool nested) : db_(db), nested_(nested) {}
  Db* db_ = nullptr;
  bool nested_ = false;  // a savepoint inside an open transaction
};

// A read transaction: every query inside sees one snapshot (WAL).
class ReadTransaction {
 public:
  static absl::StatusOr<ReadTransaction> Begin(Db& db);
  ReadTransaction(ReadTransaction&& other) noexcept : db_(other.db_) { other.db_ = nullptr; }
  ReadTransaction& operator=(ReadTransaction&&) = delete;
  ReadTransaction(const ReadTransaction&) = delete;
  ~ReadTransaction();

 private:
  explicit ReadTransaction(Db* db) : db_(db) {}
  Db* db_ = nullptr;
};

}  // namespace carteira::sql

#endif  // CARTEIRA_SRC_STORE_SQLITE_H_
