// The store under other processes and a full disk:
// - a writer process appends while reader processes read: every read
//   (a whole load, or the counts) sees a committed state, never part of an
//   append: row counts and money totals match a whole number of appends;
// - a write that runs out of room fails whole with a clear error naming
//   the file, and leaves the store as it was and working: out of room in
//   the database (StoreOptions::max_bytes, SQLite's max_page_count: the
//   SQLITE_FULL a full disk gives, RESOURCE_EXHAUSTED), and out of room
//   in the file system (the file size limit RLIMIT_FSIZE in a child
//   process: the OS refuses the writes past a size, as on a full disk or
//   quota, without root or a small file system).
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <string>
#include <vector>

#include "carteira/store/store.h"
#include "gtest/gtest.h"

namespace carteira {
namespace {

namespace fs = std::filesystem;

class StoreRobustnessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("carteira_robustness_" + std::to_string(::getpid()) + "_" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    path_ = (dir_ / "p.db").string();
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  fs::path dir_;
  std::string path_;
};

constexpr int kCustomers = 200;
constexpr int kBatch = 500;  // transactions per append, amounts 1..kBatch
constexpr std::int64_t kBatchMoney = std::int64_t{kBatch} * (kBatch + 1) / 2;

Portfolio Customers() {
  Portfolio p;
  std::vector<Customer> customers(kCustomers);
  for (int i = 0; i < kCustomers; ++i) customers[i].id = "K" + std::to_string(i);
  EXPECT_TRUE(p.AddCustomers(customers).ok());
  return p;
}

Portfolio Batch(int round, int size = kBatch) {
  Portfolio delta;
  std::vector<std::string> ids(static_cast<size_t>(size));
  for (int i = 0; i < size; ++i) ids[static_cast<size_t>(i)] = "K" + std::to_string((round * 7 + i) % kCustomers);
  std::vector<std::string_view> views(ids.begin(), ids.end());
  std::vector<CustomerIndex> index(views.size());
  EXPECT_TRUE(delta.InternCustomers(views, index).ok());
  std::vector<DayNumber> dates(index.size(), DaysFromCivil(2025, 1, 1) + round % 300);
  std::vector<MinorUnits> amounts(index.size());
  std::iota(amounts.begin(), amounts.end(), 1);
  EXPECT_TRUE(delta.AppendTransactions({index, dates, amounts, {}, {}, {}}).ok());
  return delta;
}

// Child process bodies report through the exit code: 0 fine, else the
// number of the failed step.
[[noreturn]] void Writer(const std::string& path, int rounds) {
  StoreOptions options;
  options.durable = false;
  options.busy_timeout = std::chrono::milliseconds(10000);
  auto store = Store::Open(path, options);
  if (!store.ok()) _exit(2);
  for (int round = 0; round < rounds; ++round) {
    if (!store->Append(Batch(round)).ok()) _exit(3);
    if (round % 4 == 3 && !store->RefreshStatuses(DaysFromCivil(2025, 1, 1) + round % 300 + 1,
                                                 StatusPolicy::Default()).ok()) {
      _exit(4);
    }
  }
  _exit(0);
}

// Reads until the writer is done (the file `done` exists); every read must
// see a whole number of appends. Exit code 0 when every read did and the
// reads saw at least two different states (they overlapped the writes).
[[noreturn]] void Reader(const std::string& path, const std::string& done, int id) {
  StoreOptions options;
  options.read_only = true;
  options.create = false;
  options.busy_timeout = std::chrono::milliseconds(10000);
  auto store = Store::Open(path, options);
  if (!store.ok()) _exit(2);
  std::int64_t first = -1, last = -1;
  bool finished = false;
  for (int i = 0; !finished; ++i) {
    finished = fs::exists(done);  // one more read after the writer ended
    if (i % 2 == id % 2) {
      auto p = store->Load();
      if (!p.ok()) _exit(5);
      const auto& t = p->transactions();
      const auto n = static_cast<std::int64_t>(t.size());
      const std::int64_t money = std::accumulate(t.amount.begin(), t.amount.end(), std::int64_t{0});
      if (n % kBatch != 0 || money != n / kBatch * kBatchMoney) _exit(6);
      if (static_cast<std::int64_t>(p->customers().size()) != kCustomers) _exit(7);
      last = n;
    } else {
      auto counts = store->Counts();
      if (!counts.ok()) _exit(8);
      const std::int64_t n = counts->at("transactions");
      if (n % kBatch != 0) _exit(9);
      last = n;
    }
    if (first < 0) first = last;
  }
  _exit(last > first ? 0 : 10);
}

TEST_F(StoreRobustnessTest, ReadersInOtherProcessesSeeOnlyCommittedStates) {
  {
    auto store = Store::Open(path_);
    ASSERT_TRUE(store.ok()) << store.status();
    ASSERT_TRUE(store->Save(Customers()).ok());
  }
  const std::string done = (dir_ / "done").string();
#if defined(__SANITIZE_ADDRESS__)
  constexpr int kRounds = 60;
#else
  constexpr int kRounds = 300;
#endif
  constexpr int kReaders = 3;
  std::vector<pid_t> readers;
  for (int r = 0; r < kReaders; ++r) {
    const pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) Reader(path_, done, r);
    readers.push_back(pid);
  }
  const pid_t writer = fork();
  ASSERT_GE(writer, 0);
  if (writer == 0) Writer(path_, kRounds);
  int status = 0;
  ASSERT_EQ(waitpid(writer, &status, 0), writer);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "writer: " << status;
  { std::ofstream(done) << "done\n"; }
  for (const pid_t pid : readers) {
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFEXITED(status)) << "reader killed by signal " << WTERMSIG(status);
    EXPECT_EQ(WEXITSTATUS(status), 0) << "reader failed at step " << WEXITSTATUS(status)
                                      << " (6, 9: a partial append was seen; 10: no write was seen)";
  }
  auto store = Store::Open(path_);
  ASSERT_TRUE(store.ok());
  EXPECT_EQ(store->Counts()->at("transactions"), std::int64_t{kRounds} * kBatch);
  EXPECT_TRUE(store->Check()->ok());
}

// The store as it was before the failed write, and still working.
void ExpectUnchangedAndWorking(const std::string& path) {
  auto store = Store::Open(path);
  ASSERT_TRUE(store.ok()) << store.status();
  EXPECT_EQ(store->Counts()->at("transactions"), kBatch);
  EXPECT_EQ(store->Counts()->at("customers"), kCustomers);
  auto check = store->Check();
  ASSERT_TRUE(check.ok());
  EXPECT_TRUE(check->ok()) << check->problems.front();
  EXPECT_TRUE(store->Append(Batch(2)).ok());
  EXPECT_EQ(store->Counts()->at("transactions"), 2 * kBatch);
  EXPECT_TRUE(store->RefreshStatuses(DaysFromCivil(2025, 1, 3), StatusPolicy::Default()).ok());
}

void MakeSmallStore(const std::string& path) {
  auto store = Store::Open(path);
  ASSERT_TRUE(store.ok()) << store.status();
  ASSERT_TRUE(store->Save(Customers()).ok());
  ASSERT_TRUE(store->Append(Batch(0)).ok());
  ASSERT_TRUE(store->RefreshStatuses(DaysFromCivil(2025, 1, 2), StatusPolicy::Default()).ok());
}

TEST_F(StoreRobustnessTest, AFullDatabaseFailsTheWriteWholeWithAClearError) {
  MakeSmallStore(path_);
  {
    // Room for a few pages more than the file has: a 40,000-row append
    // needs far more.
    StoreOptions options;
    options.max_bytes = static_cast<std::int64_t>(fs::file_size(path_)) + 8 * 4096;
    auto store = Store::Open(path_, options);
    ASSERT_TRUE(store.ok()) << store.status();
    auto appended = store->Append(Batch(1, 40000));
    EXPECT_EQ(appended.status().code(), absl::StatusCode::kResourceExhausted) << appended.status();
    EXPECT_NE(appended.status().message().find(path_), std::string_view::npos) << appended.status();
    EXPECT_NE(appended.status().message().find("disk is full"), std::string_view::npos) << appended.status();
    EXPECT_NE(appended.status().message().find("nothing was written"), std::string_view::npos);
    // The same connection reads the state before the append.
    EXPECT_EQ(store->Counts()->at("transactions"), kBatch);
  }
  ExpectUnchangedAndWorking(path_);
}

TEST_F(StoreRobustnessTest, AWriteTheSystemRefusesFailsWhole) {
  MakeSmallStore(path_);
  // A child process may write no file past 512 KiB (the file size limit);
  // an append of 40,000 rows needs more. It reports the status code, and
  // whether the message names the file and the likely cause, through its
  // exit code.
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    signal(SIGXFSZ, SIG_IGN);  // a refused write, not a killed process
    const rlimit limit{512 * 1024, 512 * 1024};
    if (setrlimit(RLIMIT_FSIZE, &limit) != 0) _exit(100);
    auto store = Store::Open(path_);
    if (!store.ok()) _exit(101);
    auto appended = store->Append(Batch(1, 40000));
    if (appended.ok()) _exit(102);
    const bool names_file = appended.status().message().find(path_) != std::string_view::npos;
    const bool says_why = appended.status().message().find("disk full") != std::string_view::npos;
    _exit(static_cast<int>(appended.status().code()) + (names_file ? 0 : 50) + (says_why ? 0 : 60));
  }
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status)) << "killed by signal " << WTERMSIG(status);
  EXPECT_EQ(WEXITSTATUS(status), static_cast<int>(absl::StatusCode::kUnavailable))
      << "(+50: the message does not name the file; +60: it does not name the likely cause; "
         "100-102: the child could not set up, or the append did not fail)";
  ExpectUnchangedAndWorking(path_);
}

}  // namespace
}  // namespace carteira
