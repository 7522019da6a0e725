// The checkpointer (src/store/checkpointer.h): a commit that takes the WAL
// past 1,000 pages is copied into the database by its thread, not by the
// committing one; once it is gone, the writer checkpoints by itself again.
#include "src/store/checkpointer.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>

namespace carteira::store_internal {
namespace {

namespace fs = std::filesystem;

class CheckpointerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = (fs::temp_directory_path() / ("carteira_checkpointer_test_" + std::to_string(::getpid()) + "_" +
                                          ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".db"))
                .string();
    Remove();
    auto db = sql::Db::Open(path_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, 1000);
    ASSERT_TRUE(db.ok()) << db.status();
    writer_ = std::move(*db);
    ASSERT_TRUE(writer_.Exec("PRAGMA journal_mode=WAL; CREATE TABLE t(x BLOB)").ok());
  }
  void TearDown() override {
    writer_ = sql::Db();
    Remove();
  }
  void Remove() {
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(path_ + suffix);
  }
  // One transaction of ~1,200 new pages (4 KiB each).
  void WriteManyPages() {
    ASSERT_TRUE(writer_.Exec("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1200) "
                             "INSERT INTO t SELECT randomblob(4000) FROM n").ok());
  }
  std::uintmax_t DatabaseBytes() const { return fs::file_size(path_); }

  std::string path_;
  sql::Db writer_;
};

TEST_F(CheckpointerTest, ItsThreadCopiesABigCommitIntoTheDatabase) {
  auto checkpointer = Checkpointer::Start(writer_, path_, "NORMAL");
  ASSERT_TRUE(checkpointer.ok()) << checkpointer.status();
  ASSERT_NE(*checkpointer, nullptr);
  const std::uintmax_t before = DatabaseBytes();
  WriteManyPages();
  (*checkpointer)->WaitIdle();
  EXPECT_GT(DatabaseBytes(), before + 1000 * 4096) << "the pages were not checkpointed";
  // Nothing is left in the WAL to copy.
  int wal_pages = -1, copied = -1;
  ASSERT_EQ(sqlite3_wal_checkpoint_v2(writer_.get(), nullptr, SQLITE_CHECKPOINT_PASSIVE, &wal_pages, &copied),
            SQLITE_OK);
  EXPECT_EQ(copied, wal_pages);
}

TEST_F(CheckpointerTest, SmallCommitsAreLeftInTheWal) {
  auto checkpointer = Checkpointer::Start(writer_, path_, "FULL");
  ASSERT_TRUE(checkpointer.ok()) << checkpointer.status();
  const std::uintmax_t before = DatabaseBytes();
  ASSERT_TRUE(writer_.Exec("INSERT INTO t VALUES(randomblob(100))").ok());
  (*checkpointer)->WaitIdle();
  EXPECT_EQ(DatabaseBytes(), before);
}

TEST_F(CheckpointerTest, WithoutItTheWriterCheckpointsItself) {
  {
    auto checkpointer = Checkpointer::Start(writer_, path_, "NORMAL");
    ASSERT_TRUE(checkpointer.ok()) << checkpointer.status();
  }
  const std::uintmax_t before = DatabaseBytes();
  WriteManyPages();  // SQLite's own checkpoint, inside the commit
  EXPECT_GT(DatabaseBytes(), before + 1000 * 4096);
}

}  // namespace
}  // namespace carteira::store_internal
