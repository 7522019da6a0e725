// Store::MergeCustomers and the loyalty ledger: the merged customers'
// entries become the survivor's (ordered by date into the ids they held)
// when that changes no balance or lot, and the merge is refused whole when
// pooling the points would (docs/store.md).
#include <filesystem>
#include <unistd.h>

#include "carteira/actions/loyalty.h"
#include "carteira/store/store.h"
#include "gtest/gtest.h"

namespace carteira {
namespace {

namespace fs = std::filesystem;

class LoyaltyMergeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("carteira_loyalty_merge_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    path_ = (dir_ / "carteira.db").string();
    Portfolio p;
    ASSERT_TRUE(p.AddCustomers(std::vector<Customer>{
                                   {.id = "A"}, {.id = "B"}, {.id = "C"}, {.id = "D"}, {.id = "E"}, {.id = "F"}})
                    .ok());
    auto store = Store::Open(path_);
    ASSERT_TRUE(store.ok()) << store.status();
    ASSERT_TRUE(store->Save(p).ok());
  }
  void TearDown() override { fs::remove_all(dir_); }

  static DayNumber Day(int month, int day) { return DaysFromCivil(2026, month, day); }

  static CustomerMerge Merge(std::string into, std::string merged) {
    return CustomerMerge{std::move(into), {std::move(merged)}, ToDate(Day(12, 1)), "test"};
  }

  fs::path dir_;
  std::string path_;
};

TEST_F(LoyaltyMergeTest, InterleavedEntriesJoinTheSurvivorInDateOrderWithTheSameBalances) {
  auto store = Store::Open(path_);
  ASSERT_TRUE(store.ok());
  auto p = store->Load();
  ASSERT_TRUE(p.ok());
  const CustomerIndex a = *p->FindCustomer("A"), b = *p->FindCustomer("B"), c = *p->FindCustomer("C");
  auto ledger = LoyaltyLedger::Create(*p, LoyaltyRules{});
  ASSERT_TRUE(ledger.ok());
  ASSERT_TRUE(ledger->Earn(b, Day(1, 5), 100, "B1").ok());     // 1
  ASSERT_TRUE(ledger->Earn(c, Day(1, 6), 10, "C1").ok());      // 2
  ASSERT_TRUE(ledger->Earn(a, Day(1, 10), 50, "A1").ok());     // 3
  ASSERT_TRUE(ledger->Redeem(b, Day(2, 1), 30, "R-B").ok());   // 4: B's lot expires first, pooled or not
  ASSERT_TRUE(ledger->Earn(a, Day(3, 1), 20, "A2").ok());      // 5
  ASSERT_TRUE(ledger->Earn(b, Day(2, 20), 5, "B2").ok());      // 6: before A's entry 5
  ASSERT_TRUE(ledger->Reverse(4, Day(3, 2), "desfeito").ok());  // 7: names 4
  ASSERT_TRUE(ledger->Redeem(c, Day(3, 3), 5, "R-C").ok());    // 8
  ASSERT_TRUE(store->SaveLoyalty(*p, *ledger).ok());
  const std::vector<DayNumber> days = {Day(1, 5), Day(2, 1), Day(2, 25), Day(3, 2), Day(6, 1), Day(12, 31),
                                       DaysFromCivil(2027, 1, 7), DaysFromCivil(2027, 3, 1)};
  std::vector<std::int64_t> pooled_before, c_before;
  for (DayNumber d : days) {
    pooled_before.push_back(ledger->Balance(a, d) + ledger->Balance(b, d));
    c_before.push_back(ledger->Balance(c, d));
  }
  const std::int64_t expiring_before = ledger->ExpiringWithin(a, Day(12, 31), 30) +
                                       ledger->ExpiringWithin(b, Day(12, 31), 30);

  ASSERT_TRUE(store->MergeCustomers(std::vector<CustomerMerge>{Merge("A", "B")}).ok());
  auto merged = store->Load();
  ASSERT_TRUE(merged.ok());
  auto back = store->LoadLoyalty(*merged, LoyaltyRules{});
  ASSERT_TRUE(back.ok()) << back.status();
  const CustomerIndex a2 = *merged->FindCustomer("A"), c2 = *merged->FindCustomer("C");
  for (size_t i = 0; i < days.size(); ++i) {
    EXPECT_EQ(back->Balance(a2, days[i]), pooled_before[i]) << FormatDate(days[i]);
    EXPECT_EQ(back->Balance(c2, days[i]), c_before[i]) << FormatDate(days[i]);
  }
  EXPECT_EQ(back->ExpiringWithin(a2, Day(12, 31), 30), expiring_before);
  // Every entry kept; C's keep their ids; A's (with B's) fill the ids 1, 3-7 by date.
  const std::vector<LedgerEntry>& e = back->entries();
  ASSERT_EQ(e.size(), 8u);
  EXPECT_EQ(e[1].reference, "C1");
  EXPECT_EQ(e[7].reference, "R-C");
  EXPECT_EQ(e[1].customer, c2);
  const std::vector<std::string> survivor = {"B1", "", "A1", "R-B", "B2", "A2", ""};
  for (size_t i : std::vector<size_t>{0, 2, 3, 4, 5}) {
    EXPECT_EQ(e[i].customer, a2) << i;
    EXPECT_EQ(e[i].reference, survivor[i]) << i;
  }
  EXPECT_EQ(e[6].kind, LedgerKind::kReverse);
  EXPECT_EQ(e[6].reverses, 4u);  // still the redemption it cancelled
  EXPECT_EQ(e[6].customer, a2);
  EXPECT_TRUE(store->Check()->ok());
  // The ledger goes on: a redemption of everything the pooled customer has.
  const std::int64_t all = back->Balance(a2, Day(12, 1));
  ASSERT_TRUE(back->Redeem(a2, Day(12, 1), all, "tudo").ok());
  EXPECT_TRUE(store->SaveLoyalty(*merged, *back).ok());
}

TEST_F(LoyaltyMergeTest, OneCustomersEntriesMoveAsTheyAre) {
  auto store = Store::Open(path_);
  ASSERT_TRUE(store.ok());
  auto p = store->Load();
  ASSERT_TRUE(p.ok());
  auto ledger = LoyaltyLedger::Create(*p, LoyaltyRules{});
  ASSERT_TRUE(ledger.ok());
  ASSERT_TRUE(ledger->Earn(*p->FindCustomer("C"), Day(1, 5), 40, "C1").ok());
  ASSERT_TRUE(ledger->Redeem(*p->FindCustomer("C"), Day(2, 5), 15, "R").ok());
  ASSERT_TRUE(ledger->ExpireUntil(DaysFromCivil(2027, 1, 10)).ok());
  ASSERT_TRUE(store->SaveLoyalty(*p, *ledger).ok());
  ASSERT_TRUE(store->MergeCustomers(std::vector<CustomerMerge>{Merge("F", "C")}).ok());
  auto merged = store->Load();
  ASSERT_TRUE(merged.ok());
  auto back = store->LoadLoyalty(*merged, LoyaltyRules{});
  ASSERT_TRUE(back.ok()) << back.status();
  const CustomerIndex f = *merged->FindCustomer("F");
  EXPECT_EQ(back->Balance(f, Day(3, 1)), 25);
  EXPECT_EQ(back->Balance(f, DaysFromCivil(2027, 1, 10)), 0);
  ASSERT_EQ(back->entries().size(), 3u);
  EXPECT_EQ(back->entries()[2].kind, LedgerKind::kExpire);
  EXPECT_EQ(back->entries()[2].points, -25);
}

TEST_F(LoyaltyMergeTest, AMergeThatWouldMovePointsBetweenLotsIsRefusedWhole) {
  auto store = Store::Open(path_);
  ASSERT_TRUE(store.ok());
  auto p = store->Load();
  ASSERT_TRUE(p.ok());
  const CustomerIndex d = *p->FindCustomer("D"), e = *p->FindCustomer("E");
  auto ledger = LoyaltyLedger::Create(*p, LoyaltyRules{});
  ASSERT_TRUE(ledger.ok());
  ASSERT_TRUE(ledger->Earn(d, Day(1, 1), 100, "D1").ok());
  ASSERT_TRUE(ledger->Earn(e, Day(6, 1), 100, "E1").ok());
  // Apart, E's redemption takes from E's lot; pooled it would take D's,
  // which expires first, and leave 50 more points after January.
  ASSERT_TRUE(ledger->Redeem(e, Day(7, 1), 50, "R-E").ok());
  ASSERT_TRUE(store->SaveLoyalty(*p, *ledger).ok());
  const StoreCounts counts = *store->Counts();
  absl::Status refused = store->MergeCustomers(std::vector<CustomerMerge>{Merge("D", "E")});
  EXPECT_EQ(refused.code(), absl::StatusCode::kFailedPrecondition) << refused;
  EXPECT_NE(refused.message().find("loyalty entries of 'E' and 'D'"), std::string_view::npos) << refused;
  EXPECT_NE(refused.message().find(FormatDate(Day(7, 1))), std::string_view::npos) << refused;
  EXPECT_NE(refused.message().find("nothing merged"), std::string_view::npos) << refused;
  // Nothing written: E is still a customer, the ledger loads as it was.
  EXPECT_EQ(*store->Counts(), counts);
  auto same = store->Load();
  ASSERT_TRUE(same.ok());
  ASSERT_TRUE(same->FindCustomer("E").has_value());
  auto back = store->LoadLoyalty(*same, LoyaltyRules{});
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->Balance(*same->FindCustomer("E"), Day(7, 1)), 50);
  EXPECT_EQ(back->Balance(*same->FindCustomer("D"), Day(7, 1)), 100);
}

}  // namespace
}  // namespace carteira
