#include "src/store/checkpointer.h"

#include <unistd.h>

#include <system_error>

#include "carteira/core/strings.h"

namespace carteira::store_internal {
namespace {

// SQLite's default threshold (PRAGMA wal_autocheckpoint): a checkpoint once
// the WAL holds this many pages.
constexpr int kCheckpointPages = 1000;

}  // namespace

absl::StatusOr<std::unique_ptr<Checkpointer>> Checkpointer::Start(sql::Db& writer, const std::string& file,
                                                                  const std::string& synchronous) {
  auto db = sql::Db::Open(file, SQLITE_OPEN_READWRITE, /*busy_timeout_ms=*/0);
  if (!db.ok()) return db.status();
  if (auto s = db->Exec(StrCat("PRAGMA synchronous=", synchronous)); !s.ok()) return s;
  // A first read opens the database in WAL mode (until a connection has
  // read, a checkpoint through it finds no WAL and does nothing).
  if (auto n = db->QueryInt("SELECT count(*) FROM sqlite_schema"); !n.ok()) return n.status();
  std::unique_ptr<Checkpointer> c(new Checkpointer());
  c->writer_ = writer.get();
  c->pid_ = ::getpid();
  c->db_ = std::move(*db);
  try {
    c->thread_ = std::thread([p = c.get()] { p->Run(); });
  } catch (const std::system_error&) {
    return nullptr;  // no thread to be had: the writer keeps checkpointing itself
  }
  sqlite3_wal_hook(c->writer_, &Checkpointer::OnCommit, c.get());
  return c;
}

Checkpointer::~Checkpointer() {
  if (::getpid() != pid_) {
    // Forked: the thread (and maybe its lock's owner) is not in this process.
    if (thread_.joinable()) thread_.detach();
    return;
  }
  // Back to SQLite's own checkpoints on the writer's commits.
  if (writer_ != nullptr) sqlite3_wal_autocheckpoint(writer_, kCheckpointPages);
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

int Checkpointer::OnCommit(void* self, sqlite3*, const char*, int wal_pages) {
  auto* c = static_cast<Checkpointer*>(self);
  if (wal_pages < kCheckpointPages || ::getpid() != c->pid_) return SQLITE_OK;
  {
    std::lock_guard<std::mutex> lock(c->mu_);
    c->asked_ = true;
  }
  c->cv_.notify_all();
  return SQLITE_OK;
}

void Checkpointer::WaitIdle() {
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait(lock, [this] { return (!asked_ && !running_) || stop_; });
}

void Checkpointer::Run() {
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    cv_.wait(lock, [this] { return asked_ || stop_; });
    if (stop_) break;
    asked_ = false;
    running_ = true;
    lock.unlock();
    // PASSIVE: copies what no reader still needs, never waits for a lock
    // and never blocks the writer. A failure (busy, a full disk) leaves the
    // pages in the WAL, safe, for the next checkpoint.
    (void)sqlite3_wal_checkpoint_v2(db_.get(), nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    lock.lock();
    running_ = false;
    cv_.notify_all();
  }
}

}  // namespace carteira::store_internal
