// The loyalty ledger: earn rules (segment, tier, campaign multipliers),
// redemptions closest-to-expiry first and refused beyond the balance,
// expiry, reversals, tiers by rolling spend, history as of a date.
#include "carteira/actions/loyalty.h"
#include "carteira/actions/loyalty_file.h"

#include <gtest/gtest.h>

namespace carteira {
namespace {

DayNumber D(int y, unsigned m, unsigned d) { return DaysFromCivil(y, m, d); }

class LoyaltyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Customer ana{.id = "ANA"}, bia{.id = "BIA"};
    ana.segment = "varejo";
    bia.segment = "atacado";
    ASSERT_TRUE(p.AddCustomers(std::vector<Customer>{ana, bia}).ok());
    rules.tiers = {{"Bronze", 0, 100}, {"Prata", 100000, 150}, {"Ouro", 500000, 200}};
    rules.segment_multiplier_percent = {{"atacado", 50}};
    rules.campaigns = {{"Black Friday", D(2025, 11, 28), D(2025, 11, 30), 300, ""}};
    rules.expiry_months = 6;
  }
  void Buy(const char* id, DayNumber day, MinorUnits amount, const char* order) {
    ASSERT_TRUE(p.AddTransactions(std::vector<Transaction>{{id, ToDate(day), amount, order, "", "", {}}}).ok());
  }
  LoyaltyLedger Ledger() {
    auto ledger = LoyaltyLedger::Create(p, rules);
    EXPECT_TRUE(ledger.ok()) << ledger.status();
    return std::move(*ledger);
  }
  Portfolio p;
  LoyaltyRules rules;
  const CustomerIndex ana = 0, bia = 1;
};

TEST_F(LoyaltyTest, EarnRulesMultiply) {
  Buy("ANA", D(2025, 1, 10), 123456, "O1");  // 1,234.56 -> 1234 points (Bronze 100%)
  Buy("BIA", D(2025, 1, 10), 100000, "O2");  // atacado 50%: 500
  Buy("ANA", D(2025, 11, 29), 10000, "O3");  // Prata by then (1,234.56 spent) 150% x campaign 300%: 450
  LoyaltyLedger ledger = Ledger();
  auto n = ledger.EarnFromTransactions(D(2025, 12, 31));
  ASSERT_TRUE(n.ok()) << n.status();
  ASSERT_EQ(*n, 3u);
  const auto& e = ledger.entries();
  EXPECT_EQ(e[0].points, 1234);
  EXPECT_EQ(e[0].expires, D(2025, 7, 10));
  EXPECT_EQ(e[0].reference, "O1");
  EXPECT_EQ(e[1].points, 500);
  EXPECT_EQ(e[1].note, "purchase of 1000.00; segment atacado 50%; tier Bronze 100%");
  EXPECT_EQ(e[2].points, 450);
  EXPECT_EQ(e[2].note, "purchase of 100.00; tier Prata 150%; campaign Black Friday 300%");
  // Earning again up to the same day appends nothing.
  EXPECT_EQ(*ledger.EarnFromTransactions(D(2025, 12, 31)), 0u);
}

TEST_F(LoyaltyTest, RedemptionsTakeTheLotsClosestToExpiryAndStopAtTheBalance) {
  Buy("ANA", D(2025, 1, 1), 10000, "O1");   // 100 points, expire 2025-07-01
  Buy("ANA", D(2025, 3, 1), 20000, "O2");   // 200 points, expire 2025-09-01
  LoyaltyLedger ledger = Ledger();
  ASSERT_TRUE(ledger.EarnFromTransactions(D(2025, 3, 31)).ok());
  EXPECT_EQ(ledger.Balance(ana, D(2025, 4, 1)), 300);
  auto refused = ledger.Redeem(ana, D(2025, 4, 1), 301, "R0");
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(refused.status().message().find("redeeming 301 points exceeds the balance of 300 on 2025-04-01"),
            absl::string_view::npos);
  EXPECT_EQ(ledger.entries().size(), 2u);  // nothing appended
  ASSERT_TRUE(ledger.Redeem(ana, D(2025, 4, 1), 150, "R1").ok());
  auto lots = ledger.Lots(ana, D(2025, 4, 1));
  ASSERT_EQ(lots.size(), 1u);  // the January lot went first, then 50 of March's
  EXPECT_EQ(lots[0].remaining, 150);
  EXPECT_EQ(lots[0].expires, D(2025, 9, 1));
  EXPECT_EQ(ledger.ExpiringWithin(ana, D(2025, 4, 1), 30), 0);
  EXPECT_EQ(ledger.ExpiringWithin(ana, D(2025, 8, 15), 30), 150);
  // The balance falls when the lot expires; ExpireUntil writes it down.
  EXPECT_EQ(ledger.Balance(ana, D(2025, 8, 31)), 150);
  EXPECT_EQ(ledger.Balance(ana, D(2025, 9, 1)), 0);
  auto expired = ledger.ExpireUntil(D(2025, 9, 1));
  ASSERT_TRUE(expired.ok());
  EXPECT_EQ(*expired, 1u);
  const LedgerEntry& x = ledger.entries().back();
  EXPECT_EQ(x.kind, LedgerKind::kExpire);
  EXPECT_EQ(x.points, -150);
  EXPECT_EQ(x.note, "earned 2025-03-01, expired 2025-09-01");
  // Now the entries sum to the balance, and a second run writes nothing.
  std::int64_t sum = 0;
  for (const LedgerEntry& e : ledger.entries()) sum += e.points;
  EXPECT_EQ(sum, ledger.Balance(ana, D(2025, 9, 1)));
  EXPECT_EQ(*ledger.ExpireUntil(D(2025, 9, 2)), 0u);
  // History as of a date.
  EXPECT_EQ(ledger.History(ana, D(2025, 2, 1)).size(), 1u);
  EXPECT_EQ(ledger.History(ana, D(2025, 9, 1)).size(), 4u);
}

TEST_F(LoyaltyTest, CorrectionsAreNewEntries) {
  Buy("ANA", D(2025, 1, 1), 10000, "O1");
  LoyaltyLedger ledger = Ledger();
  ASSERT_TRUE(ledger.EarnFromTransactions(D(2025, 1, 31)).ok());
  auto redeem = ledger.Redeem(ana, D(2025, 2, 1), 40, "R1");
  ASSERT_TRUE(redeem.ok());
  // Reversing the earn is refused while some of its points are spent.
  EXPECT_EQ(ledger.Reverse(1, D(2025, 2, 2), "wrong order").status().code(),
            absl::StatusCode::kFailedPrecondition);
  // Reverse the redemption: the 40 points come back.
  ASSERT_TRUE(ledger.Reverse(*redeem, D(2025, 2, 3), "cancelled").ok());
  EXPECT_EQ(ledger.Balance(ana, D(2025, 2, 3)), 100);
  EXPECT_EQ(ledger.Reverse(*redeem, D(2025, 2, 3), "again").status().code(),
            absl::StatusCode::kFailedPrecondition);
  ASSERT_TRUE(ledger.Adjust(ana, D(2025, 2, 4), -30, "goodwill mistake").ok());
  EXPECT_EQ(ledger.Balance(ana, D(2025, 2, 4)), 70);
  EXPECT_FALSE(ledger.Adjust(ana, D(2025, 2, 4), -71, "too much").ok());
  // Entries are dated in order per customer.
  EXPECT_EQ(ledger.Redeem(ana, D(2025, 1, 15), 1, "late").status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(ledger.Redeem(bia, D(2025, 1, 15), 1, "none").status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST_F(LoyaltyTest, AReturnTakesItsPointsBackUpToTheBalance) {
  Buy("ANA", D(2025, 1, 1), 10000, "O1");   // 100 points
  Buy("ANA", D(2025, 1, 5), -4000, "D1");   // return of 40.00: 40 points back
  Buy("ANA", D(2025, 1, 6), -9000, "D2");   // 90 points, only 60 left
  LoyaltyLedger ledger = Ledger();
  ASSERT_TRUE(ledger.EarnFromTransactions(D(2025, 1, 31)).ok());
  ASSERT_EQ(ledger.entries().size(), 3u);
  EXPECT_EQ(ledger.entries()[1].kind, LedgerKind::kAdjust);
  EXPECT_EQ(ledger.entries()[1].points, -40);
  EXPECT_EQ(ledger.entries()[2].points, -60);
  EXPECT_EQ(ledger.entries()[2].note, "return of 90.00 (90 points, 60 left to take)");
  EXPECT_EQ(ledger.Balance(ana, D(2025, 1, 31)), 0);
}

TEST_F(LoyaltyTest, TiersByRollingTwelveMonthSpend) {
  Buy("ANA", D(2025, 1, 10), 400000, "O1");
  Buy("ANA", D(2025, 6, 10), 150000, "O2");
  LoyaltyLedger ledger = Ledger();
  TierStanding t = ledger.Tier(ana, D(2025, 6, 10));
  EXPECT_EQ(t.tier, 2);  // 5,500.00 in the last 365 days: Ouro
  EXPECT_EQ(t.spend, 550000);
  EXPECT_EQ(t.next, -1);
  t = ledger.Tier(ana, D(2026, 1, 10));  // January 2025 left the window
  EXPECT_EQ(t.tier, 1);
  EXPECT_EQ(t.next, 2);
  EXPECT_EQ(t.to_next, 350000);
  EXPECT_EQ(ledger.Tier(bia, D(2026, 1, 10)).tier, 0);  // Bronze from 0
}

TEST(LoyaltyRules, BadRulesAreErrors) {
  Portfolio p;
  LoyaltyRules r;
  r.tiers = {{"A", 100, 100}, {"B", 100, 100}};
  EXPECT_NE(LoyaltyLedger::Create(p, r).status().message().find("tier B: thresholds must ascend"),
            absl::string_view::npos);
  r.tiers.clear();
  r.expiry_months = 0;
  EXPECT_FALSE(LoyaltyLedger::Create(p, r).ok());
  r.expiry_months = 12;
  r.campaigns = {{"X", DaysFromCivil(2025, 2, 1), DaysFromCivil(2025, 1, 1), 200, ""}};
  EXPECT_FALSE(LoyaltyLedger::Create(p, r).ok());
}

}  // namespace
}  // namespace carteira

namespace carteira {
namespace {

// The host's ledger file: earnings kept by the host are lots with the
// rules' expiry; a file without the needed columns, or a manual earn of no
// points, is refused with the place named.
TEST_F(LoyaltyTest, AHostsLedgerFileIsReplayedThroughTheLedgersRules) {
  LoyaltyLedger ledger = Ledger();
  auto report = ReplayLoyaltyText(
      "customer_id,date,kind,points,reference\n"
      "ANA,2025-01-10,earn,100,P1\n"
      "ANA,2025-02-01,redeem,-30,V1\n"
      "BIA,2025-03-01,earn,50,P2\n"
      "BIA,2025-03-02,reverse,0,P2\n"
      "ANA,2025-03-05,expire,-1,x\n",
      "loyalty.csv", p, ledger);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->rows, 4u);
  EXPECT_EQ(report->expired, 1u);
  EXPECT_EQ(ledger.Balance(ana, D(2025, 3, 31)), 70);
  EXPECT_EQ(ledger.Balance(bia, D(2025, 3, 31)), 0);
  EXPECT_EQ(ledger.entries()[0].expires, D(2025, 7, 10));  // 6 months
  EXPECT_EQ(ledger.Balance(ana, D(2025, 7, 10)), 0);       // the lot expired

  LoyaltyLedger other = Ledger();
  auto missing = ReplayLoyaltyText("customer_id;date;points\nANA;10/01/2025;5\n", "l.csv", p, other);
  EXPECT_EQ(missing.status().message(),
            "l.csv:1: no column 'kind' (expected customer_id, date, kind, points, reference)");
  auto bad_points = ReplayLoyaltyText("customer_id;date;kind;points\nANA;10/01/2025;earn;5,5\n", "l.csv", p, other);
  EXPECT_EQ(bad_points.status().message(), "l.csv:2: points '5,5' is not a whole number");
  auto nothing = ReplayLoyaltyText("customer_id;date;kind;points\nANA;10/01/2025;earn;0\n", "l.csv", p, other);
  EXPECT_EQ(nothing.status().message(), "l.csv:2: loyalty: an earn entry takes a positive number of points");
  auto no_target = ReplayLoyaltyText("customer_id;date;kind;points;reference\nBIA;10/01/2025;reverse;0;ZZ\n",
                                     "l.csv", p, other);
  EXPECT_EQ(no_target.status().message(), "l.csv:2: reverse: customer BIA has no entry with reference 'ZZ' to reverse");
}

}  // namespace
}  // namespace carteira
