// Automation: the events between two days (status transitions, new agenda
// tasks, tier changes) reach every handler in the documented order, and a
// handler's error or exception is reported without stopping anything.
#include "carteira/actions/automation.h"

#include <gtest/gtest.h>

#include <stdexcept>

namespace carteira {
namespace {

DayNumber D(int y, unsigned m, unsigned d) { return DaysFromCivil(y, m, d); }
const DayNumber kFrom = DaysFromCivil(2026, 1, 15);
const DayNumber kTo = DaysFromCivil(2026, 2, 20);

// Writes "<kind>:<customer id>[:detail]" for each call into a shared log.
class Recorder : public AutomationHandler {
 public:
  Recorder(std::string name, const Portfolio& p, std::vector<std::string>* log,
           std::vector<AutomationEvent> kinds = {AutomationEvent::kTransition, AutomationEvent::kNewTask,
                                                 AutomationEvent::kTierChange})
      : name_(std::move(name)), p_(p), log_(log), kinds_(std::move(kinds)) {}
  std::string_view name() const override { return name_; }
  bool handles(AutomationEvent e) const override {
    return std::find(kinds_.begin(), kinds_.end(), e) != kinds_.end();
  }
  absl::Status OnTransition(const StatusTransition& t) override {
    log_->push_back(StrCat(name_, " transition:", Id(t.customer), ":", StatusName(t.to), ":", FormatDate(t.date)));
    return Fail(t.customer);
  }
  absl::Status OnNewTask(const NewTask& t) override {
    log_->push_back(StrCat(name_, " new_task:", t.key));
    return Fail(t.task.customer);
  }
  absl::Status OnTierChange(const TierChange& c) override {
    log_->push_back(StrCat(name_, " tier_change:", Id(c.customer), ":", c.from_tier, "->", c.to_tier));
    if (throw_on_tier_) throw std::runtime_error("the CRM is down");
    return Fail(c.customer);
  }
  std::string fail_for;  // a customer id whose events this handler refuses
  bool throw_on_tier_ = false;

 private:
  std::string Id(CustomerIndex c) const { return std::string(p_.customers().id[c]); }
  absl::Status Fail(CustomerIndex c) const {
    if (Id(c) == fail_for) return absl::UnavailableError(StrCat("cannot reach ", fail_for));
    return absl::OkStatus();
  }
  std::string name_;
  const Portfolio& p_;
  std::vector<std::string>* log_;
  std::vector<AutomationEvent> kinds_;
};

class AutomationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(p.AddReps(std::vector<Rep>{{.id = "R1"}}).ok());
    // Added out of id order: the calls must follow ids, not indices.
    for (const char* id : {"B", "A", "C"}) {
      ASSERT_TRUE(p.AddAssignments(std::vector<Assignment>{{id, "R1", ToDate(D(2024, 1, 1)), ""}}).ok());
    }
    Buy("B", D(2026, 1, 1), 10000);  // at_risk on 2026-02-01
    Buy("A", D(2026, 1, 1), 10000);  // at_risk on 2026-02-01 too
    Buy("C", D(2026, 2, 10), 150000);  // prospect -> active; Bronze -> Prata
    rules.tiers = {{"Bronze", 0, 100}, {"Prata", 100000, 150}};
  }
  void Buy(const char* id, DayNumber day, MinorUnits amount) {
    ASSERT_TRUE(p.AddTransactions(std::vector<Transaction>{{id, ToDate(day), amount, "", "", "", {}}}).ok());
  }
  Portfolio p;
  LoyaltyRules rules;
};

TEST_F(AutomationTest, EventsReachEveryHandlerInTheDocumentedOrder) {
  auto engine = StatusEngine::Create(p, StatusPolicy::FixedThresholds(30, 90, 365));
  ASSERT_TRUE(engine.ok());
  auto ledger = LoyaltyLedger::Create(p, rules);
  ASSERT_TRUE(ledger.ok());
  std::vector<std::string> log;
  Automation automation;
  automation.AddHandler(std::make_unique<Recorder>("all", p, &log));
  automation.AddHandler(std::make_unique<Recorder>("tasks", p, &log, std::vector{AutomationEvent::kNewTask}));
  const std::vector<std::string> known = {"visit:B:never"};
  AutomationInput in;
  in.from = kFrom;
  in.to = kTo;
  in.known_task_keys = known;
  in.agenda.types = {TaskType::kReactivation};
  auto report = automation.Run(p, *engine, &*ledger, in);
  ASSERT_TRUE(report.ok()) << report.status();
  const std::vector<std::string> expected = {
      // Transitions by date, then customer id (A before B though added after).
      "all transition:A:at_risk:2026-02-01",
      "all transition:B:at_risk:2026-02-01",
      "all transition:C:active:2026-02-10",
      // New tasks in agenda order, each to both handlers before the next.
      "all new_task:reactivation:A:2026-02-01",
      "tasks new_task:reactivation:A:2026-02-01",
      "all new_task:reactivation:B:2026-02-01",
      "tasks new_task:reactivation:B:2026-02-01",
      // Tier changes by customer id.
      "all tier_change:C:0->1",
  };
  EXPECT_EQ(log, expected);
  EXPECT_EQ(report->transitions, 3u);
  EXPECT_EQ(report->new_tasks, 2u);
  EXPECT_EQ(report->tier_changes, 1u);
  EXPECT_EQ(report->calls, 8u);
  EXPECT_EQ(report->delivered, 8u);
  EXPECT_TRUE(report->failures.empty());

  // Known tasks are not new; without a ledger there are no tier changes.
  log.clear();
  const std::vector<std::string> both = {"reactivation:A:2026-02-01", "reactivation:B:2026-02-01"};
  in.known_task_keys = both;
  report = automation.Run(p, *engine, nullptr, in);
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->new_tasks, 0u);
  EXPECT_EQ(report->tier_changes, 0u);
  EXPECT_EQ(log.size(), 3u);
}

TEST_F(AutomationTest, AHandlersErrorStopsNothingAndIsReported) {
  auto engine = StatusEngine::Create(p, StatusPolicy::FixedThresholds(30, 90, 365));
  ASSERT_TRUE(engine.ok());
  auto ledger = LoyaltyLedger::Create(p, rules);
  ASSERT_TRUE(ledger.ok());
  std::vector<std::string> log;
  auto failing = std::make_unique<Recorder>("crm", p, &log);
  failing->fail_for = "A";
  failing->throw_on_tier_ = true;
  Automation automation;
  automation.AddHandler(std::move(failing));
  automation.AddHandler(std::make_unique<Recorder>("mail", p, &log));
  AutomationInput in;
  in.from = kFrom;
  in.to = kTo;
  in.agenda.types = {TaskType::kReactivation};
  auto report = automation.Run(p, *engine, &*ledger, in);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->calls, 12u);  // 6 events x 2 handlers: every one was called
  EXPECT_EQ(log.size(), 12u);
  ASSERT_EQ(report->failures.size(), 3u);
  EXPECT_EQ(report->delivered, 9u);
  const AutomationFailure& first = report->failures[0];
  EXPECT_EQ(first.kind, AutomationEvent::kTransition);
  EXPECT_EQ(p.customers().id[first.customer], "A");
  EXPECT_EQ(first.handler, "crm");
  EXPECT_EQ(first.message, "cannot reach A");
  EXPECT_EQ(report->failures[1].kind, AutomationEvent::kNewTask);
  const AutomationFailure& thrown = report->failures[2];
  EXPECT_EQ(thrown.kind, AutomationEvent::kTierChange);
  EXPECT_EQ(p.customers().id[thrown.customer], "C");
  EXPECT_EQ(thrown.message, "exception: the CRM is down");
  EXPECT_EQ(AutomationEventName(thrown.kind), "tier_change");
}

TEST_F(AutomationTest, BadInputFailsTheRunBeforeAnyHandler) {
  auto engine = StatusEngine::Create(p, StatusPolicy::FixedThresholds(30, 90, 365));
  ASSERT_TRUE(engine.ok());
  std::vector<std::string> log;
  Automation automation;
  automation.AddHandler(std::make_unique<Recorder>("all", p, &log));
  AutomationInput in;
  in.from = kTo;
  in.to = kFrom;
  EXPECT_NE(automation.Run(p, *engine, nullptr, in).status().message().find("is before from"),
            absl::string_view::npos);
  Portfolio other;
  auto other_ledger = LoyaltyLedger::Create(other, rules);
  ASSERT_TRUE(other_ledger.ok());
  in.from = kFrom;
  in.to = kTo;
  EXPECT_NE(automation.Run(p, *engine, &*other_ledger, in).status().message().find("ledger is of another"),
            absl::string_view::npos);
  EXPECT_FALSE(automation.Run(other, *engine, nullptr, in).ok());
  EXPECT_TRUE(log.empty());
}

}  // namespace
}  // namespace carteira
