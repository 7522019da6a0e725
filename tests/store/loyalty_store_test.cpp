// The loyalty ledger in the store: saved, read back equal (entries, balances,
// what is left to earn), appended to in later saves, refused when the ledger
// was not made from the store's, and the ledger's rules checked on restore.
#include <filesystem>

#include "carteira/actions/loyalty.h"
#include "carteira/io/import.h"
#include "carteira/store/store.h"
#include "gtest/gtest.h"

namespace carteira {
namespace {

namespace fs = std::filesystem;

class LoyaltyStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("carteira_loyalty_store_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    path_ = (dir_ / "carteira.db").string();
    Portfolio sample;
    absl::Status imported = ImportDirectory(sample, CARTEIRA_SAMPLE_DIR, ImportOptions{}, nullptr);
    ASSERT_TRUE(imported.ok()) << imported;
    auto store = Store::Open(path_);
    ASSERT_TRUE(store.ok()) << store.status();
    ASSERT_TRUE(store->Save(sample).ok());
  }
  void TearDown() override { fs::remove_all(dir_); }

  static LoyaltyRules Rules() {
    LoyaltyRules rules;
    rules.points_per_unit = 1;
    rules.unit = 1000;  // a point per R$ 10,00
    rules.expiry_months = 6;
    rules.tiers = {{"Bronze", 0, 100}, {"Prata", 500000, 150}};
    return rules;
  }

  fs::path dir_;
  std::string path_;
};

bool SameEntry(const LedgerEntry& a, const LedgerEntry& b) {
  return a.id == b.id && a.customer == b.customer && a.day == b.day && a.kind == b.kind && a.points == b.points &&
         a.expires == b.expires && a.reverses == b.reverses && a.reference == b.reference && a.note == b.note;
}

TEST_F(LoyaltyStoreTest, ALedgerSavedIsReadBackEqualAndAppendedTo) {
  auto store = Store::Open(path_);
  ASSERT_TRUE(store.ok()) << store.status();
  auto portfolio = store->Load();
  ASSERT_TRUE(portfolio.ok()) << portfolio.status();
  auto empty = store->LoadLoyalty(*portfolio, Rules());
  ASSERT_TRUE(empty.ok()) << empty.status();
  EXPECT_TRUE(empty->entries().empty());
  EXPECT_EQ(empty->earned_until(), kNoDay);

  auto ledger = LoyaltyLedger::Create(*portfolio, Rules());
  ASSERT_TRUE(ledger.ok()) << ledger.status();
  const DayNumber june = DaysFromCivil(2026, 6, 30);
  ASSERT_TRUE(ledger->EarnFromTransactions(june).ok());
  ASSERT_TRUE(ledger->ExpireUntil(june).ok());
  // A customer with points: redeem some, adjust, reverse the adjustment.
  CustomerIndex rich = 0;
  for (CustomerIndex c = 0; c < portfolio->customers().size(); ++c) {
    if (ledger->Balance(c, june) > ledger->Balance(rich, june)) rich = c;
  }
  ASSERT_GT(ledger->Balance(rich, june), 100);
  ASSERT_TRUE(ledger->Redeem(rich, june, 100, "VALE-1").ok());
  auto adjusted = ledger->Adjust(rich, june, 7, "bônus de boas-vindas");
  ASSERT_TRUE(adjusted.ok()) << adjusted.status();
  ASSERT_TRUE(ledger->Reverse(*adjusted, june, "lançado em dobro").ok());
  ASSERT_TRUE(store->SaveLoyalty(*portfolio, *ledger).ok());
  ASSERT_TRUE(store->SaveLoyalty(*portfolio, *ledger).ok());  // nothing new: nothing written
  EXPECT_EQ(store->Counts()->at("loyalty_ledger"), static_cast<std::int64_t>(ledger->entries().size()));

  // Reopened, read back: the same entries, balances and earning point.
  auto again = Store::Open(path_);
  ASSERT_TRUE(again.ok());
  auto reloaded = again->Load();
  ASSERT_TRUE(reloaded.ok());
  auto back = again->LoadLoyalty(*reloaded, Rules());
  ASSERT_TRUE(back.ok()) << back.status();
  ASSERT_EQ(back->entries().size(), ledger->entries().size());
  for (size_t i = 0; i < back->entries().size(); ++i) {
    EXPECT_TRUE(SameEntry(back->entries()[i], ledger->entries()[i])) << "entry " << i + 1;
  }
  EXPECT_EQ(back->earned_until(), june);
  for (CustomerIndex c = 0; c < reloaded->customers().size(); ++c) {
    ASSERT_EQ(back->Balance(c, june), ledger->Balance(c, june)) << reloaded->customers().id[c];
  }
  // It goes on from where it was: earning to October adds entries, saved on top.
  const size_t before = back->entries().size();
  auto more = back->EarnFromTransactions(DaysFromCivil(2026, 10, 31));
  ASSERT_TRUE(more.ok()) << more.status();
  EXPECT_GT(*more, 0u);
  ASSERT_TRUE(again->SaveLoyalty(*reloaded, *back).ok());
  EXPECT_EQ(again->Counts()->at("loyalty_ledger"), static_cast<std::int64_t>(before + *more));
  EXPECT_TRUE(again->Check()->ok());

  // A ledger made apart from the store's (earned to another day) is refused whole.
  auto apart = LoyaltyLedger::Create(*reloaded, Rules());
  ASSERT_TRUE(apart.ok());
  ASSERT_TRUE(apart->EarnFromTransactions(DaysFromCivil(2026, 10, 31)).ok());
  ASSERT_TRUE(apart->Redeem(rich, DaysFromCivil(2026, 10, 31), 1, "X").ok());
  ASSERT_TRUE(apart->ExpireUntil(DaysFromCivil(2026, 10, 31)).ok());
  absl::Status refused = again->SaveLoyalty(*reloaded, *apart);
  EXPECT_EQ(refused.code(), absl::StatusCode::kFailedPrecondition) << refused;
  EXPECT_EQ(again->Counts()->at("loyalty_ledger"), static_cast<std::int64_t>(before + *more));
}

TEST_F(LoyaltyStoreTest, AtomicallyCommitsTheDaysRowsAndLedgerTogetherOrNeither) {
  auto store = Store::Open(path_);
  ASSERT_TRUE(store.ok()) << store.status();
  const StoreCounts before = *store->Counts();
  Portfolio delta;
  ASSERT_TRUE(delta.AddCustomers(std::vector<Customer>{{.id = "NOVO"}}).ok());
  // A failure after both writes: neither stays.
  absl::Status failed = store->Atomically([&](Store& s) -> absl::Status {
    if (auto a = s.Append(delta); !a.ok()) return a.status();
    auto all = s.Load();  // inside: sees the new customer
    if (!all.ok()) return all.status();
    EXPECT_TRUE(all->FindCustomer("NOVO").has_value());
    auto ledger = s.LoadLoyalty(*all, Rules());
    if (!ledger.ok()) return ledger.status();
    if (auto e = ledger->Earn(*all->FindCustomer("NOVO"), DaysFromCivil(2026, 11, 1), 10, "boas-vindas"); !e.ok()) {
      return e.status();
    }
    if (auto st = s.SaveLoyalty(*all, *ledger); !st.ok()) return st;
    return absl::AbortedError("the host changed its mind");
  });
  EXPECT_EQ(failed.code(), absl::StatusCode::kAborted);
  EXPECT_EQ(*store->Counts(), before);
  // The same, succeeding: both stay.
  absl::Status done = store->Atomically([&](Store& s) -> absl::Status {
    if (auto a = s.Append(delta); !a.ok()) return a.status();
    auto all = s.Load();
    if (!all.ok()) return all.status();
    auto ledger = s.LoadLoyalty(*all, Rules());
    if (!ledger.ok()) return ledger.status();
    if (auto e = ledger->Earn(*all->FindCustomer("NOVO"), DaysFromCivil(2026, 11, 1), 10, "boas-vindas"); !e.ok()) {
      return e.status();
    }
    return s.SaveLoyalty(*all, *ledger);
  });
  ASSERT_TRUE(done.ok()) << done;
  EXPECT_EQ(store->Counts()->at("customers"), before.at("customers") + 1);
  EXPECT_EQ(store->Counts()->at("loyalty_ledger"), 1);
  // Not reentrant.
  absl::Status nested = store->Atomically([](Store& s) { return s.Atomically([](Store&) { return absl::OkStatus(); }); });
  EXPECT_EQ(nested.code(), absl::StatusCode::kFailedPrecondition) << nested;
  EXPECT_TRUE(store->Check()->ok());
}

TEST(LoyaltyRestore, NamesTheEntryThatBreaksTheLedgersRules) {
  Portfolio p;
  ASSERT_TRUE(p.AddCustomers(std::vector<Customer>{{.id = "A"}, {.id = "B"}}).ok());
  LoyaltyRules rules;
  auto entry = [](std::uint64_t id, CustomerIndex c, DayNumber day, LedgerKind kind, std::int64_t points,
                  std::uint64_t reverses = 0) {
    LedgerEntry e;
    e.id = id;
    e.customer = c;
    e.day = day;
    e.kind = kind;
    e.points = points;
    e.reverses = reverses;
    // Lots: earns, and reverses that give points back.
    e.expires = kind == LedgerKind::kEarn || (kind == LedgerKind::kReverse && points > 0) ? day + 365 : kNoDay;
    return e;
  };
  const DayNumber d = DaysFromCivil(2026, 1, 10);
  auto ok = LoyaltyLedger::Restore(p, rules,
                                   {entry(1, 0, d, LedgerKind::kEarn, 50), entry(2, 0, d + 1, LedgerKind::kRedeem, -20),
                                    entry(3, 0, d + 2, LedgerKind::kReverse, 20, 2)},
                                   d);
  ASSERT_TRUE(ok.ok()) << ok.status();
  EXPECT_EQ(ok->Balance(0, d + 2), 50);
  auto gap = LoyaltyLedger::Restore(p, rules, {entry(2, 0, d, LedgerKind::kEarn, 50)}, d);
  EXPECT_EQ(gap.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_NE(gap.status().message().find("entry 1: its id is 2"), std::string_view::npos) << gap.status();
  auto backwards = LoyaltyLedger::Restore(
      p, rules, {entry(1, 0, d, LedgerKind::kEarn, 50), entry(2, 0, d - 1, LedgerKind::kRedeem, -5)}, d);
  EXPECT_NE(backwards.status().message().find("entry 2: dated"), std::string_view::npos) << backwards.status();
  auto other = LoyaltyLedger::Restore(
      p, rules, {entry(1, 0, d, LedgerKind::kEarn, 50), entry(2, 1, d, LedgerKind::kReverse, -50, 1)}, d);
  EXPECT_NE(other.status().message().find("entry 2: it names entry 1, which is not an earlier entry of the same"),
            std::string_view::npos)
      << other.status();
  auto stranger = LoyaltyLedger::Restore(p, rules, {entry(1, 7, d, LedgerKind::kEarn, 50)}, d);
  EXPECT_NE(stranger.status().message().find("customer index 7"), std::string_view::npos) << stranger.status();
}

}  // namespace
}  // namespace carteira
