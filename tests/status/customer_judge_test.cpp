// CustomerJudge (the store's refresh) must judge every customer exactly as
// StatusEngine does: the same status, flags and rule as Classify, and the
// first change FirstTransitions finds. Checked on the sample portfolio
// (contracts, key accounts, delinquents, every status) under the default
// policy and one with per-segment rules, on dates from its last purchase on.
#include "src/status/customer_judge.h"

#include <gtest/gtest.h>

#include "carteira/io/import.h"
#include "carteira/status/status_engine.h"
#include "carteira/summary/purchase_history.h"

namespace carteira::status_internal {
namespace {

constexpr DayNumber kHorizon = 730;

// The customers whose status changes within the horizon (judged alike).
size_t ExpectJudgedAsTheEngine(const Portfolio& p, const StatusPolicy& policy, DayNumber as_of) {
  auto engine = StatusEngine::Create(p, policy);
  EXPECT_TRUE(engine.ok()) << engine.status();
  if (!engine.ok()) return 0;
  auto table = engine->Classify(as_of);
  auto transitions = engine->FirstTransitions(as_of, as_of + kHorizon);
  EXPECT_TRUE(table.ok() && transitions.ok());
  if (!table.ok() || !transitions.ok()) return 0;
  const size_t n = p.customers().size();
  std::vector<DayNumber> first_change(n, kNever);
  for (const StatusTransition& t : *transitions) first_change[t.customer] = t.date;

  const PurchaseHistory history = PurchaseHistory::Build(p);
  std::vector<std::vector<ContractRef>> contracts(n);
  const ContractTable& k = p.contracts();
  for (size_t i = 0; i < k.size(); ++i) {
    contracts[k.customer[i]].push_back({k.start[i], k.end[i], static_cast<std::int32_t>(i), k.auto_renew[i] != 0, false});
  }
  const CustomerJudge judge(policy);
  size_t changes = 0;
  for (CustomerIndex c = 0; c < n; ++c) {
    SortContracts(contracts[c]);
    const std::uint8_t flags = (p.customers().delinquent[c] != 0 ? kFlagDelinquent : 0) |
                               (p.customers().key_account[c] != 0 ? kFlagKeyAccount : 0);
    const Judgement j = judge.Judge(as_of, as_of + kHorizon, history.days(c), flags,
                                    judge.RulesFor(p.customers().segment[c]), contracts[c]);
    const std::string_view id = p.customers().id[c];
    const bool same = j.verdict.status == table->status[c] && j.verdict.flags == table->flags[c] &&
                      j.verdict.rule == table->rule[c] && j.first_change == first_change[c];
    EXPECT_TRUE(same) << id << " as of " << FormatDate(as_of) << ": judged " << StatusName(j.verdict.status)
                      << " flags " << int{j.verdict.flags} << " rule " << j.verdict.rule << " change "
                      << j.first_change << "; the engine " << StatusName(table->status[c]) << " flags "
                      << int{table->flags[c]} << " rule " << table->rule[c] << " change " << first_change[c];
    if (!same) return 0;
    changes += j.first_change != kNever;
  }
  return changes;
}

Portfolio Sample() {
  Portfolio p;
  ImportReport report;
  const absl::Status imported = ImportDirectory(p, CARTEIRA_SAMPLE_DIR, ImportOptions(), &report);
  EXPECT_TRUE(imported.ok()) << imported;
  return p;
}

DayNumber LastPurchase(const Portfolio& p) {
  DayNumber last = kNoDay;
  for (const DayNumber d : p.transactions().date) last = std::max(last, d);
  return last;
}

TEST(CustomerJudge, JudgesTheSampleAsTheEngineDoes) {
  const Portfolio p = Sample();
  ASSERT_GT(p.contracts().size(), 0u);
  const DayNumber last = LastPurchase(p);
  size_t changes = 0;
  for (const DayNumber as_of : {last, last + 45, last + 400}) {
    changes += ExpectJudgedAsTheEngine(p, StatusPolicy::Default(), as_of);
  }
  // Not a vacuous comparison: many customers change within the horizon.
  EXPECT_GT(changes, p.customers().size() / 2);
}

TEST(CustomerJudge, UsesEachSegmentsRules) {
  const Portfolio p = Sample();
  auto policy = StatusPolicy::FromJson(R"({
      "segments": {"atacado": {"recency": {"at_risk_after": 20, "inactive_after": 40, "lost_after": 90}},
                   "varejo": {"cadence": {"enabled": false}}}})");
  ASSERT_TRUE(policy.ok()) << policy.status();
  const DayNumber last = LastPurchase(p);
  size_t changes = 0;
  for (const DayNumber as_of : {last, last + 30}) changes += ExpectJudgedAsTheEngine(p, *policy, as_of);
  EXPECT_GT(changes, p.customers().size() / 2);
  const CustomerJudge judge(*policy);
  EXPECT_EQ(&judge.RulesFor("atacado"), &policy->segments[0].rules);
  EXPECT_EQ(&judge.RulesFor("no such segment"), &policy->defaults);
  EXPECT_EQ(&judge.RulesFor(""), &policy->defaults);
}

}  // namespace
}  // namespace carteira::status_internal
