#include "carteira/status/status_engine.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <string>

#include "carteira/io/import.h"

namespace carteira {
namespace {

constexpr DayNumber kDay0 = DaysFromCivil(2025, 1, 1);

// A small portfolio built row by row.
class Book {
 public:
  void AddCustomer(const std::string& id, const std::string& segment = "", bool key_account = false,
                   bool delinquent = false) {
    Customer c;
    c.id = id;
    c.segment = segment;
    c.key_account = key_account;
    c.delinquent = delinquent;
    ASSERT_TRUE(p.AddCustomers(std::vector<Customer>{c}).ok());
  }
  void Buy(const std::string& id, DayNumber day, MinorUnits amount = 1000) {
    ASSERT_TRUE(p.AddTransactions(std::vector<Transaction>{{id, ToDate(day), amount, "", "", "", {}}}).ok());
  }
  void AddContract(const std::string& id, const std::string& contract, DayNumber start,
                   DayNumber end, bool auto_renew = false) {
    ASSERT_TRUE(p.AddContracts(std::vector<Contract>{
                                   {id, contract, ToDate(start), ToDate(end), 0, auto_renew}})
                    .ok());
  }
  StatusEngine Engine(StatusPolicy policy = StatusPolicy::Default()) {
    auto e = StatusEngine::Create(p, std::move(policy));
    EXPECT_TRUE(e.ok()) << e.status();
    return std::move(*e);
  }
  Portfolio p;
};

StatusPolicy Fixed(int a, int i, int l) { return StatusPolicy::FixedThresholds(a, i, l); }

TEST(StatusEngine, FixedThresholdsAreCrossedOnlyWhenStrictlyGreater) {
  Book b;
  b.AddCustomer("A", "varejo");
  b.Buy("A", kDay0);
  auto policy = StatusPolicy::FromJson(R"({"cadence": {"enabled": false},
      "lifecycle": {"new_within": 0},
      "segments": {"varejo": {"recency": {"at_risk_after": 90, "inactive_after": 180, "lost_after": 365}}}})");
  ASSERT_TRUE(policy.ok()) << policy.status();
  StatusEngine e = b.Engine(*policy);
  const std::vector<std::pair<int, Status>> cases = {
      {90, Status::kActive},    {91, Status::kAtRisk},   {180, Status::kAtRisk},
      {181, Status::kInactive}, {365, Status::kInactive}, {366, Status::kLost}};
  for (const auto& [days, expected] : cases) {
    auto t = e.Classify(kDay0 + days);
    ASSERT_TRUE(t.ok()) << t.status();
    EXPECT_EQ(t->status[0], expected) << days << " days";
    EXPECT_EQ(t->days_since_last[0], days);
    EXPECT_EQ(t->RuleName(0), "recency");
  }
  auto t = e.Classify(kDay0 + 181);
  EXPECT_EQ(t->Reason(b.p, 0), "181 days without purchase > 180 (segment varejo)");
  EXPECT_EQ(t->threshold_days[0], 180);
  t = e.Classify(kDay0 + 45);
  EXPECT_EQ(t->Reason(b.p, 0), "45 days without purchase <= 90 (segment varejo)");
}

TEST(StatusEngine, ProspectsNewCustomersSameDayPurchasesAndReturns) {
  Book b;
  b.AddCustomer("never");         // no transaction at all
  b.AddCustomer("returns_only");  // only a return: not a purchase
  b.AddCustomer("later");         // buys after the as-of date
  b.AddCustomer("fresh");         // first purchase 10 days ago, twice that day
  b.Buy("returns_only", kDay0 + 5, -500);
  b.Buy("later", kDay0 + 400);
  b.Buy("fresh", kDay0 + 90);
  b.Buy("fresh", kDay0 + 90, 250);
  StatusEngine e = b.Engine();
  auto t = e.Classify(kDay0 + 100);
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(t->status[0], Status::kProspect);
  EXPECT_EQ(t->status[1], Status::kProspect);
  EXPECT_EQ(t->status[2], Status::kProspect);  // future-dated purchases are ignored
  EXPECT_EQ(t->Reason(b.p, 1), "no purchase on or before 2025-04-11");
  EXPECT_EQ(t->days_since_last[1], -1);
  EXPECT_EQ(t->status[3], Status::kNew);
  EXPECT_EQ(t->purchase_days[3], 1);  // same-day purchases are one purchase-day
  EXPECT_EQ(t->Reason(b.p, 3), "first purchase on 2025-04-01, 10 days ago <= 90 (default)");
  const auto counts = t->Counts();
  EXPECT_EQ(counts[static_cast<int>(Status::kProspect)], 3u);
  EXPECT_EQ(counts[static_cast<int>(Status::kNew)], 1u);
  // One purchase, long ago: fixed thresholds (too little history for cadence).
  t = e.Classify(kDay0 + 90 + 200);
  EXPECT_EQ(t->status[3], Status::kInactive);
  EXPECT_EQ(t->RuleName(3), "recency");
}

TEST(StatusEngine, CadenceJudgesEachCustomerAgainstTheirOwnRhythm) {
  Book b;
  b.AddCustomer("weekly");
  b.AddCustomer("sparse");  // every 60 days: 2 x 60 = 120 > 90
  for (int i = 0; i < 6; ++i) b.Buy("weekly", kDay0 + 7 * i);
  for (int i = 0; i < 6; ++i) b.Buy("sparse", kDay0 - 60 * 5 + 60 * i);
  StatusPolicy policy;
  policy.defaults.lifecycle.new_within = 0;  // judge recency only
  StatusEngine e = b.Engine(policy);
  const DayNumber last = kDay0 + 35;
  auto t = e.Classify(last + 15);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->status[0], Status::kAtRisk);  // 15 > 14 = 2 x 7
  EXPECT_EQ(t->RuleName(0), "cadence");
  EXPECT_EQ(t->Reason(b.p, 0), "15 days without purchase > 14 (2 x median gap of 7 days; default)");
  t = e.Classify(last + 29);
  EXPECT_EQ(t->status[0], Status::kInactive);  // 29 > 28 = 4 x 7
  t = e.Classify(last + 14);
  EXPECT_EQ(t->status[0], Status::kActive);
  // The sparse buyer at 100 days: fixed says at_risk (> 90), cadence says
  // active (<= 120); cadence_first takes the cadence verdict.
  t = e.Classify(kDay0 + 100);
  EXPECT_EQ(t->status[1], Status::kActive);
  EXPECT_EQ(t->Reason(b.p, 1), "100 days without purchase <= 120 (2 x median gap of 60 days; default)");
  // stricter takes the fixed one, looser the cadence one.
  StatusPolicy stricter = policy;
  stricter.defaults.cadence.combine = CadenceCombine::kStricter;
  auto s = b.Engine(stricter).Classify(kDay0 + 100);
  EXPECT_EQ(s->status[1], Status::kAtRisk);
  EXPECT_EQ(s->RuleName(1), "recency");
  // A floor: a daily buyer's thresholds (2 and 4 days) are both raised to
  // min_days, so the customer goes from active to inactive at once.
  Book daily;
  daily.AddCustomer("d");
  for (int i = 0; i < 10; ++i) daily.Buy("d", kDay0 + i);
  StatusEngine de = daily.Engine(policy);
  EXPECT_EQ(de.Classify(kDay0 + 9 + 14)->status[0], Status::kActive);
  auto d = de.Classify(kDay0 + 9 + 15);
  EXPECT_EQ(d->status[0], Status::kInactive);
  EXPECT_EQ(d->Reason(daily.p, 0),
            "15 days without purchase > 14 (4 x median gap of 1 day = 4, raised to the minimum; default)");
}

TEST(StatusEngine, CadenceNeedsMinimumHistoryAndLostStaysFixed) {
  Book b;
  b.AddCustomer("three");
  for (int i = 0; i < 3; ++i) b.Buy("three", kDay0 + 7 * i);  // 3 purchase-days < 4
  StatusPolicy policy;
  policy.defaults.lifecycle.new_within = 0;
  StatusEngine e = b.Engine(policy);
  auto t = e.Classify(kDay0 + 14 + 30);
  EXPECT_EQ(t->status[0], Status::kActive);  // fixed: 30 <= 90
  EXPECT_EQ(t->RuleName(0), "recency");
  t = e.Classify(kDay0 + 14 + 366);
  EXPECT_EQ(t->status[0], Status::kLost);
}

TEST(StatusEngine, ContractsSetRenewalDueAndEndedContractsMakeInactive) {
  Book b;
  b.AddCustomer("ending");
  b.AddCustomer("renewed");
  b.AddCustomer("ended");
  b.AddCustomer("auto");
  for (const char* id : {"ending", "renewed", "ended", "auto"}) b.Buy(id, kDay0);
  b.AddContract("ending", "K-1", kDay0 - 300, kDay0 + 60);
  b.AddContract("renewed", "K-2", kDay0 - 300, kDay0 + 60);
  b.AddContract("renewed", "K-3", kDay0 + 61, kDay0 + 425);
  b.AddContract("ended", "K-4", kDay0 - 300, kDay0 + 5);
  b.AddContract("auto", "K-5", kDay0 - 300, kDay0 + 20, /*auto_renew=*/true);
  StatusEngine e = b.Engine();
  auto t = e.Classify(kDay0 + 30);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->flags[0] & kFlagRenewalDue, kFlagRenewalDue);
  EXPECT_EQ(t->status[0], Status::kNew);
  EXPECT_EQ(t->Reason(b.p, 0),
            "first purchase on 2025-01-01, 30 days ago <= 90 (default); renewal_due: contract K-1 "
            "ends on 2025-03-02, in 30 days <= 60");
  EXPECT_EQ(t->flags[1] & kFlagRenewalDue, 0);  // a later contract exists
  EXPECT_EQ(t->flags[3] & kFlagRenewalDue, 0);  // auto-renewing
  EXPECT_EQ(t->status[2], Status::kInactive);
  EXPECT_EQ(t->RuleName(2), "contract_ended");
  EXPECT_EQ(t->Reason(b.p, 2),
            "contract K-4 ended on 2025-01-06 unrenewed; no purchase since (last on 2025-01-01)");
  EXPECT_EQ(t->status[3], Status::kNew);  // auto-renewing contracts never end unrenewed
  // The window is inclusive: 60 days before the end is due, 61 is not.
  EXPECT_NE(e.Classify(kDay0)->flags[0] & kFlagRenewalDue, 0);
  EXPECT_EQ(e.Classify(kDay0 - 1)->flags[0] & kFlagRenewalDue, 0);
  // A purchase after the end: not inactive by contract.
  b.Buy("ended", kDay0 + 10);
  auto t2 = b.Engine().Classify(kDay0 + 30);
  EXPECT_NE(t2->status[2], Status::kInactive);
}

TEST(StatusEngine, ReactivatedAfterALongGapWithinTheWindow) {
  Book b;
  b.AddCustomer("back");
  b.Buy("back", kDay0);
  b.Buy("back", kDay0 + 10);
  b.Buy("back", kDay0 + 300);  // 290 days later: > 180
  b.Buy("back", kDay0 + 320);
  StatusPolicy policy;
  policy.defaults.cadence.enabled = false;
  StatusEngine e = b.Engine(policy);
  auto t = e.Classify(kDay0 + 330);
  EXPECT_EQ(t->status[0], Status::kReactivated);
  EXPECT_EQ(t->event_day[0], kDay0 + 300);
  EXPECT_EQ(t->comeback_gap_days[0], 290);
  EXPECT_EQ(t->Reason(b.p, 0),
            "bought again on 2025-10-28 after 290 days without purchase; 30 days ago <= 90 (default)");
  EXPECT_EQ(e.Classify(kDay0 + 390)->status[0], Status::kReactivated);
  EXPECT_EQ(e.Classify(kDay0 + 391)->status[0], Status::kActive);
}

TEST(StatusEngine, FlagsAndKeyAccountsNeverLost) {
  Book b;
  b.AddCustomer("key", "", /*key_account=*/true, /*delinquent=*/true);
  b.Buy("key", kDay0);
  auto policy = StatusPolicy::FromJson(R"({"lifecycle": {"key_account_never": ["lost"]}})");
  StatusEngine e = b.Engine(*policy);
  auto t = e.Classify(kDay0 + 500);
  EXPECT_EQ(t->status[0], Status::kInactive);
  EXPECT_EQ(t->RuleName(0), "key_account_never");
  EXPECT_EQ(t->flags[0], kFlagKeyAccount | kFlagDelinquent);
  EXPECT_EQ(FlagNames(t->flags[0]), "delinquent,key_account");
  EXPECT_EQ(t->Reason(b.p, 0), "key account, never lost (default); 500 days without purchase");
}

TEST(StatusEngine, PolicySegmentsMustExist) {
  Book b;
  b.AddCustomer("A", "varejo");
  b.AddCustomer("B", "atacado");
  auto policy = StatusPolicy::FromJson(R"({"segments": {"industria": {}}})");
  ASSERT_TRUE(policy.ok());
  auto e = StatusEngine::Create(b.p, *policy);
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.status().message(),
            "policy: segments.industria: no customer has this segment (the customers' segments: "
            "atacado, varejo)");
}

class VetoLostForBigSpenders : public StatusRule {
 public:
  std::string_view name() const override { return "vip_never_lost"; }
  absl::Status Apply(const Portfolio&, const StatusFacts& facts, StatusDecision& d) const override {
    if (facts.purchase_days.size() >= 3) return d.Veto(Status::kLost, "3+ purchase-days");
    return absl::OkStatus();
  }
};

class MarkProspectsAtRisk : public StatusRule {
 public:
  std::string_view name() const override { return "prospects_at_risk"; }
  absl::Status Apply(const Portfolio& p, const StatusFacts& f, StatusDecision& d) const override {
    if (p.customers().id[f.customer] == "boom") return absl::InternalError("no data for boom");
    if (d.status() == Status::kProspect) return d.Override(Status::kAtRisk, "never bought");
    if (d.status() == Status::kActive) d.AddReason("looked at");
    return absl::OkStatus();
  }
};

TEST(StatusEngine, PluginRulesOverrideVetoAndExplain) {
  Book b;
  b.AddCustomer("many");
  b.AddCustomer("none");
  b.AddCustomer("one");
  for (int i = 0; i < 3; ++i) b.Buy("many", kDay0 + i);
  b.Buy("one", kDay0 + 550);
  StatusEngine e = b.Engine(Fixed(90, 180, 365));
  ASSERT_TRUE(e.AddRule(std::make_unique<VetoLostForBigSpenders>()).ok());
  ASSERT_TRUE(e.AddRule(std::make_unique<MarkProspectsAtRisk>()).ok());
  EXPECT_EQ(e.AddRule(std::make_unique<MarkProspectsAtRisk>()).message(),
            "status rule 'prospects_at_risk' is already registered");
  auto t = e.Classify(kDay0 + 600);
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(t->status[0], Status::kInactive);
  EXPECT_EQ(t->RuleName(0), "vip_never_lost");
  EXPECT_EQ(t->Reason(b.p, 0), "vip_never_lost: 3+ purchase-days");
  EXPECT_EQ(t->status[1], Status::kAtRisk);
  EXPECT_EQ(t->RuleName(1), "prospects_at_risk");
  EXPECT_EQ(t->status[2], Status::kActive);  // fixed thresholds only: no "new"
  EXPECT_EQ(t->RuleName(2), "recency");       // a reason alone does not take the decision
  EXPECT_EQ(t->Reason(b.p, 2), "50 days without purchase <= 90 (default); prospects_at_risk: looked at");
  // A failing rule stops the classification and names rule and customer.
  b.AddCustomer("boom");
  StatusEngine e2 = b.Engine();
  ASSERT_TRUE(e2.AddRule(std::make_unique<MarkProspectsAtRisk>()).ok());
  StatusTable out;
  const absl::Status s = e2.ClassifyInto(kDay0, &out);
  EXPECT_EQ(s.message(), "status rule 'prospects_at_risk' failed for customer 'boom': no data for boom");
  EXPECT_EQ(out.size(), 0u);  // nothing half-done
}

// A random portfolio with contracts, for the consistency tests.
Portfolio RandomPortfolio(unsigned seed, int customers) {
  std::mt19937 rng(seed);
  Portfolio p;
  std::vector<Customer> cs(static_cast<size_t>(customers));
  const char* segments[] = {"varejo", "atacado", "industria", ""};
  for (int i = 0; i < customers; ++i) {
    cs[static_cast<size_t>(i)].id = "C" + std::to_string(i);
    cs[static_cast<size_t>(i)].segment = segments[rng() % 4];
    cs[static_cast<size_t>(i)].key_account = rng() % 10 == 0;
  }
  EXPECT_TRUE(p.AddCustomers(cs).ok());
  std::vector<Transaction> tx;
  std::vector<Contract> contracts;
  for (int i = 0; i < customers; ++i) {
    const std::string id = "C" + std::to_string(i);
    const int rhythm = 3 + static_cast<int>(rng() % 120);
    DayNumber day = kDay0 - static_cast<DayNumber>(rng() % 700);
    const int n = static_cast<int>(rng() % 12);
    for (int k = 0; k < n; ++k) {
      tx.push_back({id, ToDate(day), static_cast<MinorUnits>(rng() % 50000) - 2000, "", "", "", {}});
      day += static_cast<DayNumber>(rng() % 4 == 0 ? rng() % 400 : rng() % (2 * rhythm));
    }
    if (rng() % 4 == 0) {
      const DayNumber start = kDay0 - static_cast<DayNumber>(rng() % 500);
      contracts.push_back({id, "K" + std::to_string(i), ToDate(start),
                           ToDate(start + 200 + static_cast<DayNumber>(rng() % 400)), 0, rng() % 3 == 0});
    }
  }
  EXPECT_TRUE(p.AddTransactions(tx).ok());
  EXPECT_TRUE(p.AddContracts(contracts).ok());
  return p;
}

StatusPolicy MixedPolicy() {
  auto p = StatusPolicy::FromJson(R"({
    "lifecycle": {"key_account_never": ["lost"]},
    "segments": {
      "varejo": {"recency": {"inactive_after": 180}},
      "atacado": {"cadence": {"combine": "stricter", "at_risk_multiple": 1.5}},
      "industria": {"cadence": {"enabled": false}, "recency": {"at_risk_after": 30, "inactive_after": 60, "lost_after": 120}}
    }})");
  EXPECT_TRUE(p.ok()) << p.status();
  return *p;
}

TEST(StatusEngine, SummaryFastPathEqualsTheFullPath) {
  const Portfolio p = RandomPortfolio(11, 3000);
  auto e = StatusEngine::Create(p, MixedPolicy());
  ASSERT_TRUE(e.ok()) << e.status();
  for (DayNumber as_of : {kDay0 - 100, kDay0 + 50, kDay0 + 2000}) {
    SummaryOptions options;
    options.as_of = ToDate(as_of);
    auto summary = Summarize(p, options);
    ASSERT_TRUE(summary.ok());
    StatusTable fast, full;
    ASSERT_TRUE(e->ClassifyInto(*summary, &fast).ok());
    ASSERT_TRUE(e->ClassifyInto(as_of, &full).ok());
    ASSERT_EQ(fast.size(), full.size());
    for (size_t c = 0; c < full.size(); ++c) {
      ASSERT_EQ(fast.status[c], full.status[c]) << c;
      ASSERT_EQ(fast.rule[c], full.rule[c]) << c;
      ASSERT_TRUE(fast.threshold_days[c] == full.threshold_days[c] ||
                  (std::isnan(fast.threshold_days[c]) && std::isnan(full.threshold_days[c])))
          << c;
      ASSERT_TRUE(fast.median_gap_days[c] == full.median_gap_days[c] ||
                  (std::isnan(fast.median_gap_days[c]) && std::isnan(full.median_gap_days[c])))
          << c;
    }
  }
  // A summary with customers appended after the engine was made does not match.
  {
    Portfolio q = RandomPortfolio(11, 50);
    auto small = StatusEngine::Create(q, StatusPolicy::Default());
    ASSERT_TRUE(small.ok());
    ASSERT_TRUE(q.AddTransactions(std::vector<Transaction>{{"NEW", ToDate(kDay0), 100, "", "", "", {}}}).ok());
    SummaryOptions o;
    o.as_of = ToDate(kDay0 + 10);
    auto s = Summarize(q, o);
    StatusTable t;
    const absl::Status st = small->ClassifyInto(*s, &t);
    EXPECT_FALSE(st.ok());
    EXPECT_NE(st.message().find("the summary has customers the engine does not"), std::string::npos) << st;
  }
  // A summary of another date does not match.
  SummaryOptions options;
  options.as_of = ToDate(kDay0);
  auto summary = Summarize(p, options);
  summary->purchase_days[0] += 1;
  StatusTable t;
  EXPECT_FALSE(e->ClassifyInto(*summary, &t).ok());
}

TEST(StatusEngine, HistoryEqualsClassifyAtEachDate) {
  const Portfolio p = RandomPortfolio(12, 2000);
  auto e = StatusEngine::Create(p, MixedPolicy());
  ASSERT_TRUE(e.ok());
  std::vector<DayNumber> dates;
  for (int m = 1; m <= 12; ++m) dates.push_back(DaysFromCivil(2025, static_cast<unsigned>(m), 1) - 1);
  dates.push_back(dates[3]);  // duplicates are merged
  auto h = e->History(dates);
  ASSERT_TRUE(h.ok()) << h.status();
  ASSERT_EQ(h->dates.size(), 12u);
  for (size_t d = 0; d < h->dates.size(); ++d) {
    auto t = e->Classify(h->dates[d]);
    ASSERT_TRUE(t.ok());
    EXPECT_EQ(h->status[d], t->status) << FormatDate(h->dates[d]);
    EXPECT_EQ(h->flags[d], t->flags);
    EXPECT_EQ(h->Counts()[d], t->Counts());
  }
}

TEST(StatusEngine, TransitionsEqualDayByDayClassification) {
  const Portfolio p = RandomPortfolio(13, 400);
  auto e = StatusEngine::Create(p, MixedPolicy());
  ASSERT_TRUE(e.ok());
  const DayNumber from = kDay0 - 30, to = kDay0 + 400;
  auto transitions = e->Transitions(from, to);
  ASSERT_TRUE(transitions.ok()) << transitions.status();
  std::vector<StatusTransition> expected;
  std::vector<DayNumber> days;
  for (DayNumber d = from; d <= to; ++d) days.push_back(d);
  auto h = e->History(days);
  ASSERT_TRUE(h.ok());
  for (CustomerIndex c = 0; c < p.customers().size(); ++c) {
    for (size_t d = 1; d < days.size(); ++d) {
      if (h->status[d][c] != h->status[d - 1][c]) {
        expected.push_back({c, h->status[d - 1][c], h->status[d][c], days[d], 0});
      }
    }
  }
  ASSERT_EQ(transitions->size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    StatusTransition got = (*transitions)[i];
    got.rule = 0;
    ASSERT_EQ(got, expected[i]) << i;
  }
  EXPECT_GT(expected.size(), 100u);  // the data does move
  EXPECT_FALSE(e->Transitions(to, from).ok());
}

TEST(StatusEngine, FirstTransitionsAreEachCustomersFirstChange) {
  const Portfolio p = RandomPortfolio(17, 400);
  auto e = StatusEngine::Create(p, MixedPolicy());
  ASSERT_TRUE(e.ok());
  const DayNumber from = kDay0 - 30, to = kDay0 + 400;
  auto all = e->Transitions(from, to);
  auto first = e->FirstTransitions(from, to);
  ASSERT_TRUE(all.ok() && first.ok());
  std::vector<StatusTransition> expected;
  for (const StatusTransition& t : *all) {
    if (expected.empty() || expected.back().customer != t.customer) expected.push_back(t);
  }
  EXPECT_EQ(*first, expected);
  EXPECT_GT(expected.size(), 50u);
  EXPECT_FALSE(e->FirstTransitions(to, from).ok());
}

TEST(StatusEngine, TransitionsOfSomeCustomersAreTheirsAmongAll) {
  const Portfolio p = RandomPortfolio(17, 400);
  auto e = StatusEngine::Create(p, MixedPolicy());
  ASSERT_TRUE(e.ok());
  const DayNumber from = kDay0 - 30, to = kDay0 + 400;
  auto all = e->Transitions(from, to);
  ASSERT_TRUE(all.ok()) << all.status();
  std::vector<CustomerIndex> some;
  for (CustomerIndex c = 1; c < p.customers().size(); c += 3) some.push_back(c);
  auto part = e->Transitions(from, to, some);
  ASSERT_TRUE(part.ok()) << part.status();
  std::vector<StatusTransition> expected;
  for (const StatusTransition& t : *all) {
    if (t.customer % 3 == 1) expected.push_back(t);
  }
  EXPECT_EQ(*part, expected);
  EXPECT_GT(expected.size(), 10u);
  EXPECT_TRUE(e->Transitions(from, to, std::span<const CustomerIndex>()).value().empty());

  const std::vector<CustomerIndex> unordered = {5, 2};
  EXPECT_EQ(e->Transitions(from, to, unordered).status().message(),
            "status: transitions: customers[1] = 2 is not above the one before");
  const std::vector<CustomerIndex> beyond = {0, 400};
  EXPECT_EQ(e->Transitions(from, to, beyond).status().message(),
            "status: transitions: customers[1] = 400 is not in the portfolio (400 customers)");
}

TEST(StatusEngine, SamplePortfolioIsClassifiedDeterministically) {
  Portfolio p;
  ImportReport report;
  const absl::Status imported = ImportDirectory(p, CARTEIRA_SAMPLE_DIR, ImportOptions(), &report);
  ASSERT_TRUE(imported.ok()) << imported;
  auto e = StatusEngine::Create(p, StatusPolicy::Default());
  ASSERT_TRUE(e.ok()) << e.status();
  const DayNumber as_of = *ParseDate("2026-10-31");
  auto a = e->Classify(as_of);
  auto b = e->Classify(as_of);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->status, b->status);
  const auto counts = a->Counts();
  // Every status but prospect shows up in a realistic portfolio.
  for (Status s : {Status::kNew, Status::kActive, Status::kAtRisk, Status::kInactive, Status::kLost,
                   Status::kReactivated}) {
    EXPECT_GT(counts[static_cast<size_t>(s)], 0u) << StatusName(s);
  }
  size_t renewal = 0;
  for (std::uint8_t f : a->flags) renewal += (f & kFlagRenewalDue) != 0;
  EXPECT_GT(renewal, 0u);
  for (size_t c = 0; c < a->size(); ++c) EXPECT_FALSE(a->Reason(p, c).empty());
}

}  // namespace
}  // namespace carteira

namespace carteira {
namespace {

// Reactivation is judged by the status on the eve of the comeback purchase,
// with the rules as they stood then (review finding).
TEST(StatusEngine, ReactivatedOnlyAfterHavingBeenInactive) {
  StatusPolicy policy;
  policy.defaults.lifecycle.new_within = 0;
  {
    // Cadence: median gap 5 days, inactive beyond 20 (floor 14 / 4 x 5):
    // inactive on day 64, then the purchase on day 65 is a comeback.
    Book b;
    b.AddCustomer("A");
    for (int d : {0, 5, 10, 40, 65}) b.Buy("A", kDay0 + d);
    StatusEngine e = b.Engine(policy);
    EXPECT_EQ(e.Classify(kDay0 + 64)->status[0], Status::kInactive);
    auto t = e.Classify(kDay0 + 65);
    EXPECT_EQ(t->status[0], Status::kReactivated) << t->Reason(b.p, 0);
    EXPECT_EQ(t->comeback_gap_days[0], 25);
  }
  {
    // Only at_risk (fixed thresholds: 3 purchase-days) before the purchase
    // on day 102: not a comeback.
    Book b;
    b.AddCustomer("B");
    for (int d : {0, 1, 2, 102}) b.Buy("B", kDay0 + d);
    StatusEngine e = b.Engine(policy);
    EXPECT_EQ(e.Classify(kDay0 + 101)->status[0], Status::kAtRisk);
    EXPECT_EQ(e.Classify(kDay0 + 102)->status[0], Status::kActive);
  }
  {
    // Inactive because a contract ended unrenewed, then a purchase.
    Book b;
    b.AddCustomer("C");
    b.Buy("C", kDay0);
    b.AddContract("C", "K-9", kDay0 - 300, kDay0 + 20);
    b.Buy("C", kDay0 + 40);
    StatusPolicy fixed = policy;
    fixed.defaults.cadence.enabled = false;
    StatusEngine e = b.Engine(fixed);
    EXPECT_EQ(e.Classify(kDay0 + 39)->RuleName(0), "contract_ended");
    EXPECT_EQ(e.Classify(kDay0 + 40)->status[0], Status::kReactivated);
  }
}

class LateChange : public StatusRule {
 public:
  explicit LateChange(DayNumber from) : from_(from) {}
  std::string_view name() const override { return "late_change"; }
  absl::Status Apply(const Portfolio&, const StatusFacts& f, StatusDecision& d) const override {
    if (d.status() == Status::kLost && f.as_of >= from_) return d.Override(Status::kAtRisk, "late");
    return absl::OkStatus();
  }

 private:
  DayNumber from_;
};

// With plugins, the end of the range is always evaluated (review finding).
TEST(StatusEngine, TransitionsWithPluginsEvaluateTheEnd) {
  Book b;
  b.AddCustomer("A");
  b.Buy("A", kDay0 - 1000);
  StatusEngine e = b.Engine();
  ASSERT_TRUE(e.AddRule(std::make_unique<LateChange>(kDay0 + 100)).ok());
  auto t = e.Transitions(kDay0, kDay0 + 200);
  ASSERT_TRUE(t.ok());
  ASSERT_EQ(t->size(), 1u);
  EXPECT_EQ((*t)[0].from, Status::kLost);
  EXPECT_EQ((*t)[0].to, Status::kAtRisk);
}

TEST(StatusPolicy, TooManySegmentsAndHugeNumbersAreErrors) {
  StatusPolicy p;
  for (int i = 0; i < 32768; ++i) p.segments.push_back({"s" + std::to_string(i), p.defaults});
  EXPECT_EQ(p.Validate().message(), "segments: 32768 segments; at most 32767");
  auto q = StatusPolicy::FromJson(R"({"recency": {"lost_after": 18446744073709551615}})");
  EXPECT_EQ(q.status().message(),
            "policy: recency.lost_after: must be at most 36500 days, got 18446744073709551615");
}

TEST(StatusEngine, FractionalThresholdsNeverReadAsWhole) {
  Book b;
  b.AddCustomer("A");
  for (int d : {0, 5, 10, 15, 20}) b.Buy("A", kDay0 + d);
  StatusPolicy policy;
  policy.defaults.lifecycle.new_within = 0;
  policy.defaults.cadence.at_risk_multiple = 2.999;
  policy.defaults.cadence.min_days = 1;
  auto t = b.Engine(policy).Classify(kDay0 + 20 + 15);
  EXPECT_EQ(t->status[0], Status::kAtRisk);  // 15 > 14.995
  EXPECT_EQ(t->Reason(b.p, 0), "15 days without purchase > 14.995 (2.999 x median gap of 5 days; default)");
}

}  // namespace
}  // namespace carteira
