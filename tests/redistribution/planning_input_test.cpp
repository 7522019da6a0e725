// What the policies read: holders and history on the as-of date, the
// holder's last touch, locks, weights and rep attributes, with errors that
// name the customer or rep.
#include "carteira/redistribution/planning_input.h"

#include "fixtures.h"

namespace carteira {
namespace {

using namespace testing_redistribution;

TEST(PlanningInput, HoldersHistoryCooldownAndLastTouch) {
  Portfolio p;
  ASSERT_TRUE(p.AddReps(std::vector<Rep>{{.id = "R1"}, {.id = "R2"}, {.id = "R3"}}).ok());
  ASSERT_TRUE(p.AddAssignments(std::vector<Assignment>{
                  {"A", "R1", ToDate(D(2024, 1, 1)), ""},
                  {"A", "R2", ToDate(kAsOf - 100), ""},
                  {"A", "R2", ToDate(kAsOf - 50), "confirmed"},  // same rep again: one holding
                  {"A", "R3", ToDate(kAsOf + 5), ""},            // after the date: ignored
                  {"B", "R3", ToDate(D(2020, 1, 1)), ""},
                  {"B", "R1", ToDate(D(2021, 1, 1)), ""},
                  {"B", "R3", ToDate(D(2022, 1, 1)), ""}})
                  .ok());
  ASSERT_TRUE(p.AddTransactions(std::vector<Transaction>{
                  {"A", ToDate(kAsOf - 120), 100, "", "R1", "", {}},  // R1 sold it, not the holder
                  {"A", ToDate(kAsOf - 30), 250, "", "R2", "", {}},
                  {"A", ToDate(kAsOf + 1), 999, "", "R2", "", {}},    // after the date
                  {"B", ToDate(D(2019, 1, 1)), 40, "", "", "", {}}})
                  .ok());
  ASSERT_TRUE(p.AddInteractions(std::vector<Interaction>{{"A", "R2", ToDate(kAsOf - 10), "call", ""},
                                                         {"A", "R1", ToDate(kAsOf - 2), "call", ""}})
                  .ok());
  auto in = MakePlanningInput(p, Classify(p));
  ASSERT_TRUE(in.ok()) << in.status();
  const CustomerIndex a = *p.FindCustomer("A"), b = *p.FindCustomer("B");
  const RepIndex r1 = *p.FindRep("R1"), r2 = *p.FindRep("R2"), r3 = *p.FindRep("R3");
  EXPECT_EQ(in->holder[a], r2);
  EXPECT_EQ(in->holder_since[a], kAsOf - 100);
  EXPECT_EQ(in->holder_last_touch[a], kAsOf - 10);  // R2's call; R1's later call is not the holder's
  EXPECT_EQ(in->value[a], 350);
  EXPECT_EQ(in->value[b], 0);  // outside the 365-day window
  EXPECT_TRUE(in->InCooldown(a, r1, 180));   // R1 held A until 100 days ago
  EXPECT_FALSE(in->InCooldown(a, r1, 99));
  EXPECT_FALSE(in->InCooldown(a, r1, 0));
  EXPECT_FALSE(in->InCooldown(a, r3, 10000));
  EXPECT_EQ(in->holder[b], r3);
  EXPECT_TRUE(in->InCooldown(b, r3, 10000));  // an earlier holding of the same rep
  EXPECT_EQ(in->holder_last_touch[b], kNoDay);
  EXPECT_EQ(in->reps_by_id, (std::vector<RepIndex>{r1, r2, r3}));
}

TEST(PlanningInput, LocksWeightsAndRepAttributes) {
  Portfolio p;
  Rep r1{.id = "R1"};
  r1.attributes = {{"max_load", "40"}, {"away_until", "15/07/2026"}};
  ASSERT_TRUE(p.AddReps(std::vector<Rep>{r1, {.id = "R2"}}).ok());
  Customer key{.id = "KEY"};
  key.key_account = true;
  Customer pinned{.id = "PIN"};
  pinned.attributes = {{"pinned", "Sim"}, {"peso", "3"}};
  Customer plain{.id = "PLAIN"};
  plain.attributes = {{"pinned", "não"}};
  ASSERT_TRUE(p.AddCustomers(std::vector<Customer>{key, pinned, plain}).ok());
  PlanningInputOptions options;
  options.weight_attribute = "peso";
  auto in = MakePlanningInput(p, Classify(p), options);
  ASSERT_TRUE(in.ok()) << in.status();
  EXPECT_EQ(in->locked, (std::vector<std::uint8_t>{1, 1, 0}));
  EXPECT_EQ(in->weight, (std::vector<std::int64_t>{1, 3, 1}));
  EXPECT_EQ(in->rep_max_load[0], 40);
  EXPECT_EQ(in->rep_away_until[0], D(2026, 7, 15));
  EXPECT_FALSE(in->Available(0));
  EXPECT_TRUE(in->Available(1));
}

TEST(PlanningInput, BadAttributesNameTheRecord) {
  Portfolio p;
  Rep r1{.id = "R1"};
  r1.attributes = {{"away_until", "someday"}};
  ASSERT_TRUE(p.AddReps(std::vector<Rep>{r1}).ok());
  Customer c{.id = "C1"};
  c.attributes = {{"peso", "-2"}};
  ASSERT_TRUE(p.AddCustomers(std::vector<Customer>{c}).ok());
  auto in = MakePlanningInput(p, Classify(p));
  EXPECT_NE(in.status().message().find("rep R1: attribute away_until 'someday'"), absl::string_view::npos)
      << in.status();

  Portfolio q;
  ASSERT_TRUE(q.AddCustomers(std::vector<Customer>{c}).ok());
  PlanningInputOptions options;
  options.weight_attribute = "peso";
  in = MakePlanningInput(q, Classify(q), options);
  EXPECT_NE(in.status().message().find("customer C1: attribute peso '-2' is not a whole number"),
            absl::string_view::npos)
      << in.status();
  options.weight_attribute = "nope";
  EXPECT_FALSE(MakePlanningInput(q, Classify(q), options).ok());
}

}  // namespace
}  // namespace carteira
