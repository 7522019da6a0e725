// WAL checkpoints on a thread of their own. In WAL mode a commit appends
// the pages it changed to the -wal file; a checkpoint copies them back into
// the database and fsyncs it. SQLite's default runs that checkpoint inside
// the commit that takes the WAL past 1,000 pages, on the caller's thread: a
// day's append and refresh write ~2,000 pages, so every refresh paid for a
// checkpoint (~50 ms of copying and ~60-80 ms of fsync on the benchmark
// machine) before returning. Here the commit only signals, and this thread
// runs a PASSIVE checkpoint with its own connection (SQLite's documented
// pattern: sqlite3_wal_hook, "Checkpointing in a separate thread").
//
// Nothing about safety changes: a commit is as durable as its synchronous
// setting makes it whether or not it was checkpointed (the WAL is replayed
// on the next open), and the checkpointer's connection has the writer's
// synchronous setting, so a checkpoint fsyncs the database before the WAL
// can be reused.
#ifndef CARTEIRA_SRC_STORE_CHECKPOINTER_H_
#define CARTEIRA_SRC_STORE_CHECKPOINTER_H_

#include <sys/types.h>

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "absl/status/statusor.h"
#include "src/store/sqlite.h"

namespace carteira::store_internal {

class Checkpointer {
 public:
  // Takes over `writer`'s checkpoints (its wal hook), with a connection of
  // its own to `file` (the writer's, as SQLite opened it); `synchronous` is
  // the writer's PRAGMA synchronous value ("NORMAL" or "FULL").
  static absl::StatusOr<std::unique_ptr<Checkpointer>> Start(sql::Db& writer, const std::string& file,
                                                             const std::string& synchronous);
  // Finishes a checkpoint under way, then stops; the writer checkpoints by
  // itself again (SQLite's default). In a process forked from the one that
  // started it (where its thread does not exist) it only lets go of the
  // thread: a store must not be used across fork() (nor may any SQLite
  // connection), but closing it there must not hang.
  ~Checkpointer();
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

  // Waits until no checkpoint is asked for or running (tests).
  void WaitIdle();

 private:
  Checkpointer() = default;
  static int OnCommit(void* self, sqlite3* db, const char* schema, int wal_pages);
  void Run();

  sqlite3* writer_ = nullptr;
  pid_t pid_ = 0;  // the process whose thread this is
  sql::Db db_;  // the checkpointer's own connection
  std::mutex mu_;
  std::condition_variable cv_;
  bool asked_ = false, running_ = false, stop_ = false;
  std::thread thread_;
};

}  // namespace carteira::store_internal

#endif  // CARTEIRA_SRC_STORE_CHECKPOINTER_H_
