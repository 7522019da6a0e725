// The agenda: each task type on a hand-built portfolio, tested alone (the
// `types` option), then priorities, order, keys and determinism.
#include "carteira/actions/agenda.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "carteira/core/strings.h"
#include "src/core/parallel.h"

namespace carteira {
namespace {

DayNumber D(int y, unsigned m, unsigned d) { return DaysFromCivil(y, m, d); }
const DayNumber kAsOf = DaysFromCivil(2026, 6, 30);

class AgendaTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(p.AddReps(std::vector<Rep>{{.id = "R1"}, {.id = "R2"}}).ok());
    for (const char* id : {"A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K", "L", "AUTO"}) {
      ASSERT_TRUE(p.AddAssignments(std::vector<Assignment>{{id, "R1", ToDate(D(2024, 1, 1)), ""}}).ok());
    }
  }
  void Buy(const char* id, DayNumber day, MinorUnits amount = 10000) {
    ASSERT_TRUE(p.AddTransactions(std::vector<Transaction>{{id, ToDate(day), amount, "", "", "", {}}}).ok());
  }
  void Contact(const char* id, DayNumber day, const char* channel = "call") {
    ASSERT_TRUE(p.AddInteractions(std::vector<Interaction>{{id, "R1", ToDate(day), channel, ""}}).ok());
  }
  // A task with the words the agenda makes for it on demand.
  struct Row : Task {
    std::string key, reason;
  };
  std::vector<Row> Agenda(TaskType type, AgendaOptions o = {}) {
    o.as_of = kAsOf;
    o.types = {type};
    auto engine = StatusEngine::Create(p, StatusPolicy::FixedThresholds(30, 90, 365));
    EXPECT_TRUE(engine.ok());
    auto tasks = BuildAgenda(p, *engine, o);
    EXPECT_TRUE(tasks.ok()) << tasks.status();
    std::vector<Row> rows;
    if (!tasks.ok()) return rows;
    for (const Task& t : *tasks) rows.push_back({t, tasks->Key(t), tasks->Reason(t)});
    return rows;
  }
  std::map<std::string, Row> ByCustomer(const std::vector<Row>& tasks) {
    std::map<std::string, Row> out;
    for (const Row& t : tasks) out[std::string(p.customers().id[t.customer])] = t;
    return out;
  }
  Portfolio p;
};

TEST_F(AgendaTest, RenewalTasksStartBeforeTheEndAndEscalate) {
  ASSERT_TRUE(p.AddContracts(std::vector<Contract>{
                  {"A", "K1", ToDate(D(2025, 8, 1)), ToDate(kAsOf + 40), 120000, false},
                  {"B", "K2", ToDate(D(2025, 8, 1)), ToDate(kAsOf + 10), 50000, false},
                  {"C", "K3", ToDate(D(2025, 8, 1)), ToDate(kAsOf + 40), 50000, false},
                  {"C", "K4", ToDate(kAsOf - 5), ToDate(kAsOf + 400), 50000, false},  // renewed
                  {"AUTO", "K5", ToDate(D(2025, 8, 1)), ToDate(kAsOf + 20), 50000, true},
                  {"D", "K6", ToDate(D(2025, 1, 1)), ToDate(kAsOf - 1), 50000, false}})  // already ended
                  .ok());
  auto tasks = ByCustomer(Agenda(TaskType::kRenewal));
  ASSERT_EQ(tasks.size(), 2u);
  const Row& a = tasks["A"];
  EXPECT_EQ(a.due, kAsOf + 40 - 60);
  EXPECT_TRUE(a.overdue);
  EXPECT_EQ(a.anchor, kAsOf + 40);
  EXPECT_EQ(a.key, "renewal:A:2026-08-09:early");
  EXPECT_EQ(a.reason, "contract K1 ends on 2026-08-09 (in 40 days), value 1200.00, no renewal yet");
  EXPECT_EQ(RepIndex{0}, a.rep);
  const Row& b = tasks["B"];
  EXPECT_EQ(b.due, kAsOf + 10 - 15);
  EXPECT_EQ(b.key, "renewal:B:2026-07-10:urgent");
  EXPECT_NE(b.reason.find("; urgent"), std::string::npos);
  // A contact after the stage began closes it; the urgent stage still comes.
  Contact("A", kAsOf - 3);
  Contact("B", kAsOf - 3);
  tasks = ByCustomer(Agenda(TaskType::kRenewal));
  EXPECT_EQ(tasks.count("A"), 0u);
  EXPECT_EQ(tasks.count("B"), 0u);
  AgendaOptions o;
  o.horizon_days = 30;  // A's urgent stage (due 15 days before 2026-08-09) is inside
  tasks = ByCustomer(Agenda(TaskType::kRenewal, o));
  ASSERT_EQ(tasks.count("A"), 1u);
  EXPECT_EQ(tasks["A"].key, "renewal:A:2026-08-09:urgent");
  EXPECT_FALSE(tasks["A"].overdue);
}

TEST_F(AgendaTest, ReactivationOncePerTransitionUntilSomeoneActs) {
  Buy("D", kAsOf - 40);  // at_risk since kAsOf - 9 (31 days after the purchase)
  Buy("E", kAsOf - 40);
  Contact("E", kAsOf - 5);  // someone acted after the transition
  Buy("F", kAsOf - 100);  // inactive since kAsOf - 9, at_risk before the window too
  Buy("G", kAsOf - 200);  // inactive since long ago: outside the 30-day window
  auto tasks = ByCustomer(Agenda(TaskType::kReactivation));
  ASSERT_EQ(tasks.size(), 2u);
  EXPECT_EQ(tasks["D"].due, kAsOf - 9);
  EXPECT_EQ(tasks["D"].key, "reactivation:D:2026-06-21");
  EXPECT_EQ(tasks["D"].reason, "became at_risk on 2026-06-21 (was active); last purchase 2026-05-21; no contact since");
  EXPECT_NE(tasks["F"].reason.find("became inactive on 2026-06-21 (was at_risk)"), std::string::npos);
  // The next day, the same task (same key) if still open.
  AgendaOptions o;
  auto again = ByCustomer(Agenda(TaskType::kReactivation, o));
  EXPECT_EQ(again["D"].key, tasks["D"].key);
}

TEST_F(AgendaTest, VisitsByAbcClassFromTheLastVisit) {
  Buy("F", kAsOf - 10, 1000000);  // class A: most of the revenue
  Buy("G", kAsOf - 10, 100);      // class C
  Buy("H", kAsOf - 10, 100);      // never visited
  Buy("L", kAsOf - 400, 100);     // lost: no visits
  Contact("F", kAsOf - 40, "visit");
  Contact("F", kAsOf - 2, "call");  // a call is not a visit
  Contact("G", kAsOf - 20, "visit");
  auto tasks = ByCustomer(Agenda(TaskType::kVisit));
  ASSERT_EQ(tasks.size(), 2u);
  EXPECT_EQ(tasks["F"].due, kAsOf - 10);
  EXPECT_TRUE(tasks["F"].overdue);
  EXPECT_EQ(tasks["F"].reason, "class A: a visit every 30 days; last visit 2026-05-21 (40 days ago)");
  EXPECT_EQ(tasks["H"].due, kAsOf);
  EXPECT_EQ(tasks["H"].reason, "class C: a visit every 90 days; never visited");
}

TEST_F(AgendaTest, NpsSurveysAfterAPurchaseAtMostOncePerInterval) {
  Buy("I", kAsOf - 5);
  Buy("J", kAsOf - 5);
  ASSERT_TRUE(p.AddSurveyAnswers(std::vector<SurveyAnswer>{{"J", ToDate(kAsOf - 30), 9},
                                                           {"K", ToDate(kAsOf - 200), 3}})
                  .ok());
  Buy("K", kAsOf - 6);
  Buy("L", kAsOf - 100);  // too old to ask about
  auto tasks = ByCustomer(Agenda(TaskType::kNpsSurvey));
  ASSERT_EQ(tasks.size(), 2u);
  EXPECT_EQ(tasks["I"].due, kAsOf + 2);
  EXPECT_FALSE(tasks["I"].overdue);
  EXPECT_EQ(tasks["K"].reason, "purchase on 2026-06-24; last survey answer 2025-12-12");
}

TEST_F(AgendaTest, FollowUpUnlessSomeoneCalledAfterThePurchase) {
  Buy("K", kAsOf - 2);
  Buy("L", kAsOf - 2);
  Contact("L", kAsOf - 1);
  auto tasks = ByCustomer(Agenda(TaskType::kFollowUp));
  ASSERT_EQ(tasks.size(), 1u);
  EXPECT_EQ(tasks["K"].due, kAsOf + 1);
  EXPECT_EQ(tasks["K"].key, "follow_up:K:2026-06-28");
}

TEST_F(AgendaTest, PrioritiesOrderAndDeterminism) {
  Buy("D", kAsOf - 40, 900000);  // at_risk and valuable
  Buy("E", kAsOf - 40, 100);     // at_risk, little value
  Buy("K", kAsOf - 2, 100);
  auto engine = StatusEngine::Create(p, StatusPolicy::FixedThresholds(30, 90, 365));
  ASSERT_TRUE(engine.ok());
  AgendaOptions o;
  o.as_of = kAsOf;
  auto first = BuildAgenda(p, *engine, o);
  auto second = BuildAgenda(p, *engine, o);
  ASSERT_TRUE(first.ok() && second.ok());
  ASSERT_EQ(first->size(), second->size());
  for (size_t i = 0; i < first->size(); ++i) EXPECT_EQ(first->Key((*first)[i]), second->Key((*second)[i]));
  // Due dates ascend; on the same day the higher priority comes first.
  for (size_t i = 1; i < first->size(); ++i) {
    const Task& a = (*first)[i - 1];
    const Task& b = (*first)[i];
    EXPECT_TRUE(a.due < b.due || (a.due == b.due && a.priority >= b.priority));
  }
  std::map<std::string, int> reactivation;
  for (const Task& t : *first) {
    EXPECT_GE(t.priority, 0);
    EXPECT_LE(t.priority, 100);
    if (t.type == TaskType::kReactivation) reactivation[std::string(p.customers().id[t.customer])] = t.priority;
  }
  // Value ranks: D 1; E and K tie at 2/3 (the group's top). Same risk and
  // urgency: 0.5 x (1 - 2/3) x 100 = 16.7 apart.
  EXPECT_EQ(reactivation["D"] - reactivation["E"], 17);
  // Expected values (a model's) rank instead of the revenue: E first now.
  std::vector<double> expected(p.customers().size(), 0.0);
  expected[*p.FindCustomer("E")] = 900000;
  expected[*p.FindCustomer("D")] = 100;
  expected[*p.FindCustomer("K")] = 100;
  o.expected_value = expected;
  auto valued = BuildAgenda(p, *engine, o);
  ASSERT_TRUE(valued.ok()) << valued.status();
  std::map<std::string, int> by_expected;
  for (const Task& t : *valued) {
    if (t.type == TaskType::kReactivation) by_expected[std::string(p.customers().id[t.customer])] = t.priority;
  }
  EXPECT_EQ(by_expected["E"] - by_expected["D"], 17);
}

// Ties on (due, priority) are ordered by customer id, then type. The sort
// compares ids by their first 8 bytes and only then in full: ids sharing
// those bytes, prefixes of each other, and accented (bytes above 0x7f,
// which compare unsigned) must come out as a full comparison orders them.
TEST(AgendaOrderTest, TiesFollowTheWholeCustomerIdThenTheType) {
  Portfolio p;
  ASSERT_TRUE(p.AddReps(std::vector<Rep>{{.id = "R1"}}).ok());
  const std::vector<std::string> ids = {"CUSTOMER-10", "CUSTOMER-1", "CUSTOMER", "CUSTOMER-2", "CUSTOME",
                                        "CUSTOMERZ",   "ÁGUA-1",     "ÁGUA",     "AGUA",       "Z",
                                        "CUSTOMER-09", "ÉDEN",       "OLD"};
  for (const std::string& id : ids) {
    // Same purchase day and value: the same due days and priorities.
    ASSERT_TRUE(p.AddTransactions(std::vector<Transaction>{{id, ToDate(kAsOf - 2), 5000, "", "", "", {}}}).ok());
    ASSERT_TRUE(p.AddAssignments(std::vector<Assignment>{{id, "R1", ToDate(D(2024, 1, 1)), ""}}).ok());
  }
  // OLD's last visit was 20 years ago: due days spanning that far (and so
  // few tasks) take the sort's radix path instead of its counting tables.
  ASSERT_TRUE(p.AddInteractions(std::vector<Interaction>{{"OLD", "R1", ToDate(D(2006, 5, 2)), "visita", ""}}).ok());
  auto engine = StatusEngine::Create(p, StatusPolicy::FixedThresholds(30, 90, 365));
  ASSERT_TRUE(engine.ok());
  AgendaOptions o;
  o.as_of = kAsOf;
  o.follow_up_after_days = 7;  // due with the survey: two types per customer on one day
  auto agenda = BuildAgenda(p, *engine, o);
  ASSERT_TRUE(agenda.ok()) << agenda.status();
  ASSERT_EQ(agenda->size(), 3 * ids.size());  // visit, survey, follow-up
  EXPECT_EQ(agenda->Reason((*agenda)[0]), "class A: a visit every 30 days; last visit 2006-05-02 (7364 days ago)");
  auto before = [&](const Task& a, const Task& b) {
    if (a.due != b.due) return a.due < b.due;
    if (a.priority != b.priority) return a.priority > b.priority;
    const std::string_view x = p.customers().id[a.customer], y = p.customers().id[b.customer];
    if (x != y) return x < y;
    return a.type < b.type;
  };
  EXPECT_TRUE(std::is_sorted(agenda->begin(), agenda->end(), before));
  // And the order is total: no two tasks compare equal.
  for (size_t i = 1; i < agenda->size(); ++i) EXPECT_TRUE(before((*agenda)[i - 1], (*agenda)[i])) << i;
  std::vector<std::string> survey_order;
  for (const Task& t : *agenda) {
    if (t.type == TaskType::kNpsSurvey) survey_order.emplace_back(p.customers().id[t.customer]);
  }
  std::vector<std::string> expected = ids;
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(survey_order, expected);
}

// The statuses, the transitions and the tasks are made in parts on several
// threads when there are enough customers (src/core/parallel.h): the
// agenda is the same, field for field and word for word, on one thread.
// 120,000 customers in shuffled id order (the id-order path), ids of 9 to
// 14 bytes sharing their first 8 with others (the whole-id comparison),
// every task type but purchase windows.
TEST(AgendaThreadsTest, TheSameAgendaOnOneThreadAsOnSeveral) {
  Portfolio p;
  std::mt19937_64 rng(7);
  const size_t n = 120'000;
  std::vector<std::string> ids(n);
  // Every id once, shuffled: "CLIENTE-" then a number of 1 to 6 digits.
  for (size_t c = 0; c < n; ++c) ids[c] = StrCat("CLIENTE-", (c * 7919) % n);
  std::vector<std::string_view> id_v(ids.begin(), ids.end());
  CustomerColumns cc;
  cc.id = id_v;
  ASSERT_TRUE(p.AppendCustomers(cc).ok());
  std::vector<std::string> rep_ids = {"R1", "R2", "R3"};
  std::vector<std::string_view> rep_v(rep_ids.begin(), rep_ids.end());
  RepColumns rc;
  rc.id = rep_v;
  ASSERT_TRUE(p.AppendReps(rc).ok());
  std::vector<CustomerIndex> tc, ac, kc, ic, sc;
  std::vector<DayNumber> td, as, ks, ke, id, sd;
  std::vector<MinorUnits> ta, kv;
  std::vector<RepIndex> ar, ir;
  std::vector<std::uint8_t> kr;
  std::vector<std::string_view> ich;
  std::vector<std::int32_t> ss;
  for (size_t c = 0; c < n; ++c) {
    const auto ci = static_cast<CustomerIndex>(c);
    for (int k = static_cast<int>(rng() % 6); k > 0; --k) {
      tc.push_back(ci);
      td.push_back(kAsOf - static_cast<DayNumber>(rng() % 500));
      ta.push_back(static_cast<MinorUnits>(rng() % 50'000) - 2'000);  // some returns
    }
    if (rng() % 10 != 0) {
      ac.push_back(ci);
      ar.push_back(static_cast<RepIndex>(rng() % 3));
      as.push_back(D(2024, 1, 1));
    }
    if (rng() % 8 == 0) {
      kc.push_back(ci);
      ke.push_back(kAsOf + static_cast<DayNumber>(rng() % 120) - 10);
      ks.push_back(ke.back() - 365);
      kv.push_back(static_cast<MinorUnits>(rng() % 1'000'000));
      kr.push_back(rng() % 4 == 0 ? 1 : 0);
    }
    if (rng() % 3 == 0) {
      ic.push_back(ci);
      ir.push_back(0);
      id.push_back(kAsOf - static_cast<DayNumber>(rng() % 200));
      ich.push_back(rng() % 2 == 0 ? "visita" : "call");
    }
    if (rng() % 5 == 0) {
      sc.push_back(ci);
      sd.push_back(kAsOf - static_cast<DayNumber>(rng() % 400));
      ss.push_back(static_cast<std::int32_t>(rng() % 11));
    }
  }
  ASSERT_TRUE(p.AppendTransactions({tc, td, ta, {}, {}, {}}).ok());
  ASSERT_TRUE(p.AppendAssignments({ac, ar, as, {}}).ok());
  ContractColumns kcol;
  kcol.customer = kc;
  kcol.start = ks;
  kcol.end = ke;
  kcol.value = kv;
  kcol.auto_renew = kr;
  ASSERT_TRUE(p.AppendContracts(kcol).ok());
  InteractionColumns icol;
  icol.customer = ic;
  icol.rep = ir;
  icol.date = id;
  icol.channel = ich;
  ASSERT_TRUE(p.AppendInteractions(icol).ok());
  ASSERT_TRUE(p.AppendSurveyAnswers({sc, sd, ss}).ok());
  auto engine = StatusEngine::Create(p, StatusPolicy::Default());
  ASSERT_TRUE(engine.ok());
  AgendaOptions o;
  o.as_of = kAsOf;
  auto before = [&](const Task& a, const Task& b) {  // the agenda's order, in full
    if (a.due != b.due) return a.due < b.due;
    if (a.priority != b.priority) return a.priority > b.priority;
    const std::string_view x = p.customers().id[a.customer], y = p.customers().id[b.customer];
    if (x != y) return x < y;
    return a.type < b.type;
  };
  auto run = [&](int threads) {
    internal::ScopedMaxThreadsForTesting scope(threads);
    EXPECT_EQ(internal::PartsFor(n, 50'000), threads == 1 ? 1u : 2u);
    auto agenda = BuildAgenda(p, *engine, o);
    EXPECT_TRUE(agenda.ok()) << agenda.status();
    std::vector<std::string> rows;
    if (!agenda.ok()) return rows;
    bool ordered = true;
    for (size_t i = 1; i < agenda->size(); ++i) ordered = ordered && before((*agenda)[i - 1], (*agenda)[i]);
    EXPECT_TRUE(ordered) << threads << " threads";
    for (const Task& t : *agenda) {
      rows.push_back(StrCat(agenda->Key(t), "|", t.rep, "|", t.due, "|", t.overdue, "|", t.priority, "|",
                            agenda->Reason(t)));
    }
    return rows;
  };
  const std::vector<std::string> one = run(1);
  const std::vector<std::string> two = run(2);
  EXPECT_GT(one.size(), n / 2);
  for (TaskType type : {TaskType::kRenewal, TaskType::kReactivation, TaskType::kVisit, TaskType::kNpsSurvey,
                        TaskType::kFollowUp}) {
    const std::string prefix = StrCat(TaskTypeName(type), ":");
    EXPECT_TRUE(std::any_of(one.begin(), one.end(), [&](const std::string& r) { return r.starts_with(prefix); }))
        << prefix;
  }
  EXPECT_TRUE(one == two);  // element by element, not printed: 60k+ rows
  // And the statuses the agenda started from.
  internal::ScopedMaxThreadsForTesting single(1);
  auto serial = engine->Classify(kAsOf);
  ASSERT_TRUE(serial.ok());
  internal::ScopedMaxThreadsForTesting several(2);
  auto parallel = engine->Classify(kAsOf);
  ASSERT_TRUE(parallel.ok());
  EXPECT_TRUE(serial->status == parallel->status && serial->rule == parallel->rule &&
              serial->last_purchase == parallel->last_purchase && serial->event_day == parallel->event_day &&
              serial->renewal_contract == parallel->renewal_contract);
  // And every customer's transitions over a year, in two parts or one.
  auto transitions_on = [&](int threads) {
    internal::ScopedMaxThreadsForTesting scope(threads);
    auto found = engine->Transitions(kAsOf - 365, kAsOf);
    EXPECT_TRUE(found.ok());
    std::vector<std::string> rows;
    if (found.ok()) {
      for (const StatusTransition& t : *found) {
        StrAppend(&rows.emplace_back(), t.customer, "|", StatusName(t.from), "|", StatusName(t.to), "|", t.date, "|",
                  t.rule);
      }
    }
    return rows;
  };
  const std::vector<std::string> all_one = transitions_on(1);
  EXPECT_GT(all_one.size(), n / 4);
  EXPECT_TRUE(all_one == transitions_on(2));
}

// The engine gives the statuses and last purchases, the portfolio the
// contacts and revenue: rows appended in between would mix two states.
// And an agenda's words after a merge renumbered the customers.
TEST_F(AgendaTest, AStaleEngineIsRefusedAndAMergeIsSaid) {
  Buy("K", kAsOf - 2, 100);
  auto engine = StatusEngine::Create(p, StatusPolicy::FixedThresholds(30, 90, 365));
  ASSERT_TRUE(engine.ok());
  AgendaOptions o;
  o.as_of = kAsOf;
  auto agenda = BuildAgenda(p, *engine, o);
  ASSERT_TRUE(agenda.ok() && !agenda->empty());
  const Task first = (*agenda)[0];
  EXPECT_EQ(agenda->Key(first).find("(the portfolio merged"), std::string::npos);
  Buy("K", kAsOf - 1, 100);
  auto stale = BuildAgenda(p, *engine, o);
  EXPECT_EQ(stale.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(stale.status().message().find("(rows appended since the engine was made); make a new engine"),
            std::string::npos)
      << stale.status();
  ASSERT_TRUE(p.MergeCustomers(std::vector<CustomerMerge>{{"A", {"B"}, ToDate(kAsOf), "test"}}).ok());
  EXPECT_EQ(agenda->Key(first), "(the portfolio merged customers after this agenda was made)");
  EXPECT_EQ(agenda->Reason(first), "(the portfolio merged customers after this agenda was made)");
}

TEST_F(AgendaTest, BadOptionsAreClearErrors) {
  auto engine = StatusEngine::Create(p, StatusPolicy::FixedThresholds(30, 90, 365));
  ASSERT_TRUE(engine.ok());
  AgendaOptions o;
  EXPECT_NE(BuildAgenda(p, *engine, o).status().message().find("as-of date is required"), absl::string_view::npos);
  o.as_of = kAsOf;
  o.horizon_days = -1;
  EXPECT_NE(BuildAgenda(p, *engine, o).status().message().find("horizon_days must be >= 0"),
            absl::string_view::npos);
  o.horizon_days = 7;
  o.renewal_urgent_days = 90;
  EXPECT_FALSE(BuildAgenda(p, *engine, o).ok());
  o.renewal_urgent_days = 15;
  std::vector<double> short_values(2, 1.0);
  o.expected_value = short_values;
  EXPECT_NE(BuildAgenda(p, *engine, o).status().message().find("expected_value has 2 entries"),
            absl::string_view::npos);
}

TEST_F(AgendaTest, PurchaseWindowCallsBeforeTheWindowOpensWithAnOffer) {
  // A buys x every 10 days (last on as_of - 10: window as_of - 2 .. as_of + 2);
  // B too, but was called on as_of - 3; C bought once; D's window opened
  // long ago. E, F, G buy x with y, so A is offered y.
  auto buy = [&](const char* id, DayNumber day, const char* category) {
    ASSERT_TRUE(p.AddTransactions(std::vector<Transaction>{{id, ToDate(day), 10000, "", "", category, {}}}).ok());
  };
  for (const char* id : {"A", "B"}) {
    for (int d : {30, 20, 10}) buy(id, kAsOf - d, "x");
  }
  Contact("B", kAsOf - 3);
  buy("C", kAsOf - 5, "x");
  buy("D", kAsOf - 100, "x");
  buy("D", kAsOf - 90, "x");
  for (const char* id : {"E", "F", "G"}) {
    buy(id, D(2025, 1, 1), "x");
    buy(id, D(2025, 1, 1), "y");
  }
  EXPECT_EQ(AgendaOptions{}.types.size(), 5u);  // not asked for by default
  const std::vector<Row> tasks = Agenda(TaskType::kPurchaseWindow);
  ASSERT_EQ(tasks.size(), 1u);
  const Row& a = tasks[0];
  EXPECT_EQ(p.customers().id[a.customer], "A");
  EXPECT_EQ(a.due, kAsOf - 4);
  EXPECT_EQ(a.anchor, kAsOf - 2);
  EXPECT_TRUE(a.overdue);
  EXPECT_EQ(a.key, "purchase_window:A:2026-06-28");
  EXPECT_EQ(a.reason,
            "next purchase expected 2026-06-30 (window 2026-06-28 to 2026-07-02; a purchase every 10 days, last "
            "2026-06-20); offer y: 43% of customers who buy x also buy y (lift 1.0; 3 customers)");  // 3 of x's 7 buyers
  EXPECT_EQ(ParseTaskType("purchase_window"), TaskType::kPurchaseWindow);
}

}  // namespace
}  // namespace carteira
