// FindCustomerKeys (src/store/customer_keys.h): the keys of a day's ids,
// looked up on two threads through two connections, are the ones a single
// connection finds, merged customers' ids give the survivor, and unknown
// ids stay unknown.
#include "src/store/customer_keys.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <numeric>
#include <random>
#include <string>

#include "carteira/store/store.h"
#include "src/core/parallel.h"
#include "src/portfolio/string_order.h"

namespace carteira::store_internal {
namespace {

namespace fs = std::filesystem;

TEST(CustomerKeys, TwoThreadsFindWhatOneFinds) {
  const std::string path = (fs::temp_directory_path() / ("carteira_customer_keys_" + std::to_string(::getpid()) + ".db")).string();
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(path + suffix);
  constexpr int kCustomers = 50'000;
  {
    auto store = Store::Open(path);
    ASSERT_TRUE(store.ok()) << store.status();
    Portfolio p;
    std::vector<Customer> customers(kCustomers);
    for (int i = 0; i < kCustomers; ++i) customers[static_cast<size_t>(i)].id = "K" + std::to_string(i);
    ASSERT_TRUE(p.AddCustomers(customers).ok());
    ASSERT_TRUE(store->Save(p).ok());
    const CustomerMerge merge{"K7", {"K8"}, ToDate(DaysFromCivil(2026, 1, 2)), "test"};
    ASSERT_TRUE(store->MergeCustomers(std::span<const CustomerMerge>(&merge, 1)).ok());
  }
  // The day's ids: known ones shuffled, the merged K8, and unknown ones.
  StringColumn ids;
  std::vector<int> known(kCustomers);
  std::iota(known.begin(), known.end(), 0);
  std::shuffle(known.begin(), known.end(), std::mt19937(5));
  for (int i = 0; i < 45'000; ++i) ids.Append("K" + std::to_string(known[static_cast<size_t>(i)]));
  ids.Append("K8");
  for (int i = 0; i < 10; ++i) ids.Append("unknown" + std::to_string(i));
  const std::vector<std::uint32_t> order = internal::StringOrder(ids);
  ASSERT_EQ(order.size(), ids.size());

  auto writer = sql::Db::Open(path, SQLITE_OPEN_READWRITE, 1000);
  auto reader = sql::Db::Open(path, SQLITE_OPEN_READONLY, 1000);
  ASSERT_TRUE(writer.ok() && reader.ok());
  std::vector<std::int64_t> one, two;
  ASSERT_TRUE(FindCustomerKeys(*writer, nullptr, ids, order, &one).ok());
  {
    internal::ScopedMaxThreadsForTesting threads(2);
    ASSERT_TRUE(FindCustomerKeys(*writer, &*reader, ids, order, &two).ok());
  }
  EXPECT_EQ(one, two);
  auto key_of = [&](std::string_view id) {
    auto st = sql::Statement::Prepare(*writer, "SELECT pk FROM customers WHERE id = ?1");
    st->BindText(1, id);
    EXPECT_TRUE(*st->Step());
    return st->Int(0);
  };
  for (size_t i = 0; i < 45'000; i += 997) EXPECT_EQ(two[i], key_of(ids[i])) << ids[i];
  EXPECT_EQ(two[45'000], key_of("K7"));  // K8's survivor
  for (size_t i = 45'001; i < ids.size(); ++i) EXPECT_EQ(two[i], kUnknownCustomer) << ids[i];
  *writer = sql::Db();
  *reader = sql::Db();
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(path + suffix);
}

}  // namespace
}  // namespace carteira::store_internal
